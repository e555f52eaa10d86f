package io.quiver.raft.shard;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Everything a {@link ShardStateMachine} needs from the node, shared by all shard replicas of a node.
 *
 * @param clusterId cluster id (for log lines)
 * @param storeOpener opens the shard's storage engine in a directory (the columnar ShardStore adapter in production)
 * @param queryExecutor bounded executor for read work handed off from Ratis threads (never the apply thread)
 * @param maxEntryBytes entries larger than this are rejected in startTransaction (BATCH_TOO_LARGE), long before
 *     Ratis' appender byte limit ({@code RaftPropertiesFactory.APPENDER_BYTE_LIMIT}, 1 MB) whose violation would make
 *     the leader step down; keep it at most half of that limit
 * @param readTimeoutMs upper bound for a read barrier (barrier entry committed + applied here)
 */
public record ShardStateMachineContext(
    String clusterId, ShardData.Opener storeOpener, Executor queryExecutor, int maxEntryBytes, long readTimeoutMs) {
  /** Default cap of one encoded entry: 512 KiB, half of the node's 1 MB appender byte limit. */
  public static final int DEFAULT_MAX_ENTRY_BYTES = 512 << 10;

  /** Default read barrier deadline. */
  public static final long DEFAULT_READ_TIMEOUT_MS = 5_000;

  /** Validates. */
  public ShardStateMachineContext {
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(storeOpener, "storeOpener");
    Objects.requireNonNull(queryExecutor, "queryExecutor");
    if (maxEntryBytes < 1024 || maxEntryBytes > (3 << 20)) {
      throw new IllegalArgumentException("maxEntryBytes out of range [maxEntryBytes=" + maxEntryBytes
          + ", min=1024, max=" + (3 << 20) + "]");
    }
    if (readTimeoutMs <= 0) {
      throw new IllegalArgumentException("readTimeoutMs must be positive [readTimeoutMs=" + readTimeoutMs + "]");
    }
  }

  /** A context with the default entry cap and read timeout. */
  public static ShardStateMachineContext of(String clusterId, ShardData.Opener opener, Executor queryExecutor) {
    return new ShardStateMachineContext(
        clusterId, opener, queryExecutor, DEFAULT_MAX_ENTRY_BYTES, DEFAULT_READ_TIMEOUT_MS);
  }
}
