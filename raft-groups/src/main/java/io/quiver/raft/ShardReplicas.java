package io.quiver.raft;

import java.util.List;
import java.util.Objects;

/**
 * One row of the shard map: the voting replicas of a shard's Raft group.
 *
 * @param shard shard number, {@code 0 <= shard < shardCount}
 * @param replicas node ids of the voting replicas
 * @param leaderHint node id believed to lead the group, or {@code null}; a hint only
 * @param epoch bumped every time the replica set of this shard changes; proposals carry it (see ShardLogCodec)
 */
public record ShardReplicas(int shard, List<String> replicas, String leaderHint, long epoch) {
  /** Copies the replica list and validates. */
  public ShardReplicas {
    replicas = List.copyOf(replicas);
    if (shard < 0) {
      throw new IllegalArgumentException("negative shard [shard=" + shard + "]");
    }
    if (epoch < 0) {
      throw new IllegalArgumentException("negative epoch [shard=" + shard + ", epoch=" + epoch + "]");
    }
    if (leaderHint != null && !replicas.contains(leaderHint)) {
      leaderHint = null;
    }
    Objects.requireNonNull(replicas);
  }
}
