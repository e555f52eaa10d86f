package io.quiver.raft;

import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of what the metadata group says about the cluster, as routers and the admin API use it.
 *
 * @param clusterId cluster identity (part of every group id)
 * @param shardCount fixed number of shards S
 * @param replicationFactor replicas per shard
 * @param nodes every known node's addresses by node id
 * @param shards the shard map, index i holds shard i
 * @param version metadata log index this view was read at; larger is newer
 */
public record ClusterView(
    String clusterId,
    int shardCount,
    int replicationFactor,
    Map<String, NodeAddress> nodes,
    List<ShardReplicas> shards,
    long version) {
  /** Copies the collections and checks that the shard list is complete and in order. */
  public ClusterView {
    nodes = Map.copyOf(nodes);
    shards = List.copyOf(shards);
    if (shards.size() != shardCount) {
      throw new IllegalArgumentException(
          "shard map incomplete [shardCount=" + shardCount + ", rows=" + shards.size() + "]");
    }
    for (int i = 0; i < shards.size(); i++) {
      if (shards.get(i).shard() != i) {
        throw new IllegalArgumentException("shard map out of order [row=" + i + ", shard=" + shards.get(i).shard() + "]");
      }
    }
  }

  /** The row of shard {@code shard}. */
  public ShardReplicas shard(int shard) {
    return shards.get(shard);
  }
}
