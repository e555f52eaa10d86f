package io.quiver.placement;

/**
 * Series to shard: {@code JumpHash.bucket(partitionKeyHash, shardCount)}. The shard count is fixed when a
 * cluster is created.
 *
 * @param shardCount number of shards S, {@code 1 <= S <= 1024}
 */
public record ShardFunction(int shardCount) {
  /** Largest supported shard count: every shard is a Raft group with its own log and threads. */
  public static final int MAX_SHARDS = 1024;

  /** Validates the shard count. */
  public ShardFunction {
    if (shardCount < 1 || shardCount > MAX_SHARDS) {
      throw new IllegalArgumentException("shard count out of range [shardCount=" + shardCount + ", max=" + MAX_SHARDS
          + "]");
    }
  }

  /** The shard of a series whose partition key hash ({@link PartitionKeys#hash64(byte[])}) is given. */
  public int shardOf(long partitionKeyHash) {
    return JumpHash.bucket(partitionKeyHash, shardCount);
  }

  /** The shard of a series given its canonical label bytes. */
  public int shardOfCanonical(byte[] canonicalLabelBytes) {
    return shardOf(PartitionKeys.hash64(canonicalLabelBytes));
  }
}
