package io.quiver.raft.route;

import io.quiver.raft.ErrorCode;
import java.util.Objects;

/**
 * The outcome of one shard's part of a routed write.
 *
 * @param shard the shard
 * @param status committed, failed (definitely not stored) or unknown (may or may not have been committed)
 * @param code why it failed or is unknown; {@code null} when committed
 * @param message detail for logs and error bodies; empty when committed
 * @param samples samples of this shard in the request
 * @param attempts send attempts used (router-level, each may include Ratis client retries)
 */
public record ShardOutcome(int shard, Status status, ErrorCode code, String message, long samples, int attempts) {
  /** Outcome classes, in the Jepsen sense: ok / fail / info. */
  public enum Status {
    /** Committed on a majority and applied by the leader. */
    COMMITTED,
    /** Rejected before it could be stored (validation, stale epoch after refreshes, overload): nothing stored. */
    FAILED,
    /** The deadline passed or the connection broke after sending: the write may or may not be stored. */
    UNKNOWN
  }

  /** Validates. */
  public ShardOutcome {
    Objects.requireNonNull(status, "status");
    message = message == null ? "" : message;
    if (status != Status.COMMITTED) {
      Objects.requireNonNull(code, "code");
    }
  }

  /** Whether this shard's part is committed. */
  public boolean committed() {
    return status == Status.COMMITTED;
  }
}
