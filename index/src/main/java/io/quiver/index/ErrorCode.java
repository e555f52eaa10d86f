package io.quiver.index;

/** Stable error codes of the index module; web/ and flight-server/ map each to a status. */
public enum ErrorCode {
  /** A label set breaks the naming rules or a configured limit. */
  INVALID_LABELS("index.invalid_labels", false),
  /** A selector string does not parse or is semantically empty. */
  INVALID_SELECTOR("index.invalid_selector", false),
  /** The persisted catalog or postings could not be read. */
  CORRUPT_INDEX("index.corrupt", false),
  /** An I/O error while persisting or loading the index. */
  IO("index.io", true);

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
