package io.quiver.raft;

import java.util.List;

/**
 * A point-in-time picture of the cluster for the admin API: the metadata group's records (read linearizably) plus
 * what every replica reports about its group (commit and applied index, role).
 *
 * @param clusterId cluster name
 * @param clusterUuid id chosen at bootstrap
 * @param version metadata log index the records were read at
 * @param metadataLeader node leading the metadata group, or {@code null} if unknown
 * @param metadataVoters voters of the metadata group
 * @param nodes every registered node
 * @param shards every shard
 * @param moves active and recently finished moves, oldest first
 */
public record ClusterStatus(
    String clusterId,
    String clusterUuid,
    long version,
    String metadataLeader,
    List<String> metadataVoters,
    List<Node> nodes,
    List<Shard> shards,
    List<MoveInfo> moves) {

  /** Copies lists. */
  public ClusterStatus {
    metadataVoters = List.copyOf(metadataVoters);
    nodes = List.copyOf(nodes);
    shards = List.copyOf(shards);
    moves = List.copyOf(moves);
  }

  /** Whether every shard has a leader and a reachable majority. */
  public boolean healthy() {
    return shards.stream().allMatch(Shard::hasQuorum);
  }

  /**
   * One node.
   *
   * @param address advertised addresses
   * @param zone failure domain
   * @param ordinal join ordinal
   * @param state joining, up, draining, down or removed (lower case)
   * @param replicas number of shard replicas it holds in the shard map
   */
  public record Node(NodeAddress address, String zone, long ordinal, String state, int replicas) {}

  /**
   * One shard.
   *
   * @param shard shard number
   * @param epoch shard-map epoch (bumped by every replica-set change)
   * @param replicas voters per the shard map
   * @param leader node id of the current Raft leader, or {@code null}
   * @param commitIndex the leader's commit index ({@code -1} if no leader answered)
   * @param replicaStatus per replica: role, indexes, lag
   * @param hasQuorum whether a leader answered and a majority of replicas answered
   */
  public record Shard(
      int shard, long epoch, List<String> replicas, String leader, long commitIndex, List<Replica> replicaStatus,
      boolean hasQuorum) {
    /** Copies lists. */
    public Shard {
      replicas = List.copyOf(replicas);
      replicaStatus = List.copyOf(replicaStatus);
    }
  }

  /**
   * One replica of a shard.
   *
   * @param nodeId node
   * @param role LEADER, FOLLOWER, LISTENER, CANDIDATE, or UNREACHABLE / MISSING (node up but group absent)
   * @param commitIndex replica's commit index ({@code -1} unknown)
   * @param appliedIndex replica's applied index ({@code -1} unknown)
   * @param lag leader commit index minus this replica's applied index ({@code -1} unknown)
   */
  public record Replica(String nodeId, String role, long commitIndex, long appliedIndex, long lag) {}

  /**
   * One move.
   *
   * @param id move id
   * @param shard shard
   * @param from source node
   * @param to target node
   * @param kind manual, rebalance, drain, replace or rebuild (lower case)
   * @param state planned, adding, catching_up, promoting, removing, done, failed or cancelled (lower case)
   * @param cancelRequested an operator asked to cancel
   * @param note last transition note
   */
  public record MoveInfo(
      long id, int shard, String from, String to, String kind, String state, boolean cancelRequested, String note) {}
}
