package io.quiver.raft.shard;

import io.quiver.raft.ErrorCode;

/**
 * What a shard replica answers to a write (after apply) or to a read probe.
 *
 * @param appliedIndex the log index of the write, or the replica's applied index for a probe
 * @param samples number of samples stored by the write (0 for probes and rejections)
 * @param error {@code null} on success; otherwise the deterministic rejection (e.g. STALE_EPOCH)
 * @param message human-readable detail of a rejection, empty on success
 */
public record ShardReply(long appliedIndex, long samples, ErrorCode error, String message) {
  /** Normalises the message. */
  public ShardReply {
    message = message == null ? "" : message;
  }

  /** A successful reply. */
  public static ShardReply ok(long appliedIndex, long samples) {
    return new ShardReply(appliedIndex, samples, null, "");
  }

  /** A deterministic rejection. */
  public static ShardReply rejected(long appliedIndex, ErrorCode code, String message) {
    return new ShardReply(appliedIndex, 0, code, message);
  }

  /** Whether the operation succeeded. */
  public boolean isOk() {
    return error == null;
  }
}
