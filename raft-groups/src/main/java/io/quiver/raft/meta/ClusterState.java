package io.quiver.raft.meta;

import io.quiver.raft.ClusterView;
import io.quiver.raft.NodeAddress;
import io.quiver.raft.ShardReplicas;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The whole state of the metadata group: immutable, replaced on every applied command, so readers never lock.
 *
 * @param clusterId cluster name (group ids derive from it)
 * @param clusterUuid random id chosen at bootstrap; nodes persist it and refuse to serve another cluster
 * @param shardCount number of shards S ({@code 0} = not bootstrapped)
 * @param replicationFactor replicas per shard
 * @param nodes every node ever registered, by id (sorted)
 * @param shards the shard map, row i = shard i
 * @param moves recent and active moves by id (sorted; terminal ones are trimmed to the newest {@link #KEEP_FINISHED})
 * @param nextOrdinal next join ordinal
 * @param settings free-form cluster settings
 * @param version metadata log index of the last applied command
 */
public record ClusterState(
    String clusterId,
    String clusterUuid,
    int shardCount,
    int replicationFactor,
    Map<String, NodeRecord> nodes,
    List<ShardReplicas> shards,
    Map<Long, MoveRecord> moves,
    long nextOrdinal,
    Map<String, String> settings,
    long version) {

  /** Finished moves kept for the status page. */
  public static final int KEEP_FINISHED = 64;

  /** Copies into sorted, unmodifiable collections. */
  public ClusterState {
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(clusterUuid, "clusterUuid");
    nodes = Collections.unmodifiableMap(new TreeMap<>(nodes));
    shards = List.copyOf(shards);
    moves = Collections.unmodifiableMap(new TreeMap<>(moves));
    settings = Collections.unmodifiableMap(new TreeMap<>(settings));
  }

  /** The state before bootstrap. */
  public static ClusterState empty() {
    return new ClusterState("", "", 0, 0, Map.of(), List.of(), Map.of(), 0, Map.of(), 0);
  }

  /** Whether the cluster has been bootstrapped. */
  public boolean bootstrapped() {
    return shardCount > 0;
  }

  /** The node with id {@code nodeId}, or {@code null}. */
  public NodeRecord node(String nodeId) {
    return nodes.get(nodeId);
  }

  /** The active (non-terminal) move of {@code shard}, or {@code null}. */
  public MoveRecord activeMove(int shard) {
    for (MoveRecord m : moves.values()) {
      if (m.shard() == shard && !m.state().terminal()) {
        return m;
      }
    }
    return null;
  }

  /** All active moves, oldest first. */
  public List<MoveRecord> activeMoves() {
    List<MoveRecord> out = new ArrayList<>();
    for (MoveRecord m : moves.values()) {
      if (!m.state().terminal()) {
        out.add(m);
      }
    }
    return out;
  }

  /** Shards that have a replica on {@code nodeId}. */
  public List<Integer> shardsOn(String nodeId) {
    List<Integer> out = new ArrayList<>();
    for (ShardReplicas r : shards) {
      if (r.replicas().contains(nodeId)) {
        out.add(r.shard());
      }
    }
    return out;
  }

  /**
   * Whether {@code nodeId} should host a replica of {@code shard} right now: it is a voter in the shard map, or the
   * target of an active move (its group exists before the map shows it).
   */
  public boolean shouldHost(String nodeId, int shard) {
    if (shard < 0 || shard >= shards.size()) {
      return false;
    }
    if (shards.get(shard).replicas().contains(nodeId)) {
      return true;
    }
    MoveRecord m = activeMove(shard);
    return m != null && m.to().equals(nodeId);
  }

  /** Whether an operator pinned {@code shard} (a manual move completed there); the rebalancer skips it. */
  public boolean pinned(int shard) {
    return "true".equals(settings.get(MetaApplier.pinnedKey(shard)));
  }

  /** The router's view: addresses of every node that is not REMOVED, plus the shard map. */
  public ClusterView toView() {
    Map<String, NodeAddress> addresses = new LinkedHashMap<>();
    for (NodeRecord n : nodes.values()) {
      if (n.state() != NodeState.REMOVED) {
        addresses.put(n.id(), n.address());
      }
    }
    return new ClusterView(clusterId, shardCount, replicationFactor, addresses, shards, version);
  }
}
