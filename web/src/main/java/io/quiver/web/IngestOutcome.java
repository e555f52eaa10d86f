package io.quiver.web;

import java.util.Objects;

/**
 * What became of one ingest request after it was split by shard and proposed: committed on every shard, failed
 * (nothing or only part was committed, with a code saying why), or unknown (a deadline passed; some shards may have
 * committed). Only {@link Status#COMMITTED} is answered 2xx. Retrying a failed or unknown request is safe because
 * identical samples are stored once.
 *
 * @param status the outcome
 * @param failure why it failed ({@code null} unless {@link Status#FAILED}); mapped to a status by the web mapper
 * @param message human-readable detail, {@code what happened [key=value, ...]} ({@code ""} when committed)
 * @param shards number of shards the request touched
 */
public record IngestOutcome(Status status, io.quiver.raft.ErrorCode failure, String message, int shards) {

  /** The three outcomes, after Jepsen's ok / fail / info. */
  public enum Status {
    /** Every shard of the request committed its part on a Raft majority. */
    COMMITTED,
    /** At least one shard definitely did not commit; {@link #failure()} says why. */
    FAILED,
    /** The outcome of at least one shard is not known (timeout); treat as indeterminate. */
    UNKNOWN
  }

  /** Validates that a failure code is present exactly when the status is {@link Status#FAILED}. */
  public IngestOutcome {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(message, "message");
    if ((status == Status.FAILED) != (failure != null)) {
      throw new IllegalArgumentException("failure code must be set exactly for FAILED [status=" + status
          + ", failure=" + failure + "]");
    }
    if (shards < 0) {
      throw new IllegalArgumentException("negative shard count [shards=" + shards + "]");
    }
  }

  /** Every one of {@code shards} shards committed. */
  public static IngestOutcome committed(int shards) {
    return new IngestOutcome(Status.COMMITTED, null, "", shards);
  }

  /** At least one shard failed with {@code code}. */
  public static IngestOutcome failed(io.quiver.raft.ErrorCode code, String message) {
    return new IngestOutcome(Status.FAILED, code, message, 0);
  }

  /** The outcome is unknown (e.g. a proposal timed out). */
  public static IngestOutcome unknown(String message) {
    return new IngestOutcome(Status.UNKNOWN, null, message, 0);
  }
}
