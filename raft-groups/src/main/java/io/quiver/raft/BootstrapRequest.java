package io.quiver.raft;

import java.util.HashSet;
import java.util.List;

/**
 * Creates a new cluster.
 *
 * @param members the initial nodes, in join order (ordinals 0..n-1); the first five form the metadata group
 * @param shardCount fixed number of shards, 1..1024
 * @param replicationFactor replicas per shard, at most the number of members
 */
public record BootstrapRequest(List<ClusterMember> members, int shardCount, int replicationFactor) {
  /** Maximum number of voters of the metadata group. */
  public static final int MAX_METADATA_VOTERS = 5;

  /** Validates. */
  public BootstrapRequest {
    members = List.copyOf(members);
    if (members.isEmpty()) {
      throw new IllegalArgumentException("no members");
    }
    if (new HashSet<>(members.stream().map(m -> m.address().nodeId()).toList()).size() != members.size()) {
      throw new IllegalArgumentException("duplicate node ids [members=" + members + "]");
    }
    if (shardCount < 1 || shardCount > 1024) {
      throw new IllegalArgumentException("shard count out of range [shardCount=" + shardCount + "]");
    }
    if (replicationFactor < 1 || replicationFactor > members.size()) {
      throw new IllegalArgumentException("replication factor out of range [rf=" + replicationFactor + ", nodes="
          + members.size() + "]");
    }
  }

  /** Voters of the metadata group: every member if at most five, else the first five. */
  public List<ClusterMember> metadataVoters() {
    return members.size() <= MAX_METADATA_VOTERS ? members : members.subList(0, MAX_METADATA_VOTERS);
  }
}
