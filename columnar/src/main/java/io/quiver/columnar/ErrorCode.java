package io.quiver.columnar;

/** Stable error codes of the columnar module; web/ and flight-server/ map each to a status. */
public enum ErrorCode {
  /** A write batch or scan request is malformed (e.g. a log index going backwards, an empty time range). */
  INVALID_REQUEST("columnar.invalid_request", false),
  /** A segment file is truncated, fails its checksum or does not decode; the message names the file. */
  CORRUPT_SEGMENT("columnar.corrupt_segment", false),
  /** A manifest or checkpoint file is truncated or fails its checksum; the message names the file. */
  CORRUPT_MANIFEST("columnar.corrupt_manifest", false),
  /** The head reached its hard memory limit and could not be sealed. */
  HEAD_FULL("columnar.head_full", true),
  /** An I/O error while reading or writing store files. */
  IO("columnar.io", true),
  /** The store was used after {@code close()}. */
  CLOSED("columnar.closed", false);

  private final String id;
  private final boolean retryable;

  ErrorCode(String id, boolean retryable) {
    this.id = id;
    this.retryable = retryable;
  }

  /** Stable identifier, safe to show to clients and to match on. */
  public String id() {
    return id;
  }

  /** Whether retrying the same operation may succeed. */
  public boolean retryable() {
    return retryable;
  }
}
