package io.quiver.raft.move;

import io.quiver.raft.meta.ClusterState;
import java.util.List;

/**
 * Proposes replica placement; the metadata group decides (STYLE: placement only proposes). Implementations are
 * pure and deterministic.
 */
public interface ReplicaPlanner {
  /** One replica change: {@code from} gives up its replica of {@code shard} to {@code to}. */
  record Step(int shard, String from, String to) {}

  /** Replica lists for a new cluster: {@code result.get(s)} are the nodes of shard s (leader hint first). */
  List<List<String>> initial(int shards, int replicationFactor, List<Member> members);

  /** A member as placement sees it: id, zone, join ordinal. */
  record Member(String id, String zone, long ordinal) {}

  /**
   * Moves that would balance {@code state}: off DRAINING nodes first, then from the fullest to the emptiest UP
   * nodes; only UP nodes receive replicas. At most one move per shard; callers rate-limit.
   */
  List<Step> plan(ClusterState state);
}
