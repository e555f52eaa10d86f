package io.quiver.raft.meta;

import io.quiver.raft.ErrorCode;
import io.quiver.raft.ShardReplicas;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Pure, deterministic apply of one command: {@code (state, command, logIndex) -> (state', result)}. No clocks, no
 * randomness, no I/O; the log index is the only source of fresh numbers (move ids). Identical on every replica.
 */
public final class MetaApplier {
  private MetaApplier() {}

  /** Result of applying one command. */
  public record Applied(ClusterState state, MetaResult result) {}

  /** Applies {@code c} at log index {@code index}. A rejected command leaves the state unchanged except its version. */
  public static Applied apply(ClusterState s, MetaCommand c, long index) {
    if (c instanceof MetaCommand.Bootstrap b) {
      return bootstrap(s, b, index);
    } else if (c instanceof MetaCommand.Join j) {
      return join(s, j, index);
    } else if (c instanceof MetaCommand.SetNodeState n) {
      return setNodeState(s, n, index);
    } else if (c instanceof MetaCommand.SetIncarnation i) {
      return setIncarnation(s, i, index);
    } else if (c instanceof MetaCommand.StartMove m) {
      return startMove(s, m, index);
    } else if (c instanceof MetaCommand.AdvanceMove m) {
      return advanceMove(s, m, index);
    } else if (c instanceof MetaCommand.CancelMove m) {
      return cancelMove(s, m, index);
    } else if (c instanceof MetaCommand.SetLeaderHint h) {
      return leaderHint(s, h, index);
    } else if (c instanceof MetaCommand.PutSetting p) {
      return putSetting(s, p, index);
    } else if (c instanceof MetaCommand.ReadState) {
      return new Applied(s, MetaResult.ok(s.version())); // a read: state and version unchanged
    }
    throw new IllegalArgumentException("unknown command " + c);
  }

  private static Applied reject(ClusterState s, long index, ErrorCode code, String message) {
    return new Applied(withVersion(s, index), MetaResult.error(code, message));
  }

  private static ClusterState withVersion(ClusterState s, long index) {
    return new ClusterState(s.clusterId(), s.clusterUuid(), s.shardCount(), s.replicationFactor(), s.nodes(),
        s.shards(), s.moves(), s.nextOrdinal(), s.settings(), index);
  }

  private static ClusterState with(
      ClusterState s, Map<String, NodeRecord> nodes, List<ShardReplicas> shards, Map<Long, MoveRecord> moves,
      long index) {
    return new ClusterState(s.clusterId(), s.clusterUuid(), s.shardCount(), s.replicationFactor(), nodes, shards,
        trim(moves), s.nextOrdinal(), s.settings(), index);
  }

  private static Applied bootstrap(ClusterState s, MetaCommand.Bootstrap b, long index) {
    if (s.bootstrapped()) {
      return reject(s, index, ErrorCode.ALREADY_BOOTSTRAPPED,
          "cluster already bootstrapped [clusterUuid=" + s.clusterUuid() + "]");
    }
    Map<String, NodeRecord> nodes = new TreeMap<>();
    long ordinal = 0;
    for (MetaCommand.NodeSpec n : b.nodes()) {
      if (nodes.containsKey(n.address().nodeId())) {
        return reject(s, index, ErrorCode.INVALID_REQUEST, "duplicate node [nodeId=" + n.address().nodeId() + "]");
      }
      nodes.put(n.address().nodeId(),
          new NodeRecord(n.address(), n.zone(), ordinal++, NodeState.UP, n.incarnation(), Set.of()));
    }
    List<ShardReplicas> shards = new ArrayList<>();
    for (int i = 0; i < b.shardCount(); i++) {
      List<String> r = b.replicas().get(i);
      if (r.size() != b.replicationFactor() || new HashSet<>(r).size() != r.size() || !nodes.keySet().containsAll(r)) {
        return reject(s, index, ErrorCode.INVALID_REQUEST, "invalid replicas [shard=" + i + ", replicas=" + r + "]");
      }
      shards.add(new ShardReplicas(i, r, r.get(0), 1));
    }
    ClusterState next = new ClusterState(b.clusterId(), b.clusterUuid(), b.shardCount(), b.replicationFactor(), nodes,
        shards, Map.of(), ordinal, s.settings(), index);
    return new Applied(next, MetaResult.ok(index));
  }

  private static Applied join(ClusterState s, MetaCommand.Join j, long index) {
    if (!s.bootstrapped()) {
      return reject(s, index, ErrorCode.NOT_BOOTSTRAPPED, "cluster not bootstrapped");
    }
    String id = j.address().nodeId();
    NodeRecord old = s.node(id);
    Map<String, NodeRecord> nodes = new TreeMap<>(s.nodes());
    if (old != null && old.state() != NodeState.REMOVED) {
      if (old.address().equals(j.address())) {
        return new Applied(withVersion(s, index), MetaResult.ok(old.ordinal()));
      }
      // Same id, new addresses: the node restarted elsewhere; keep ordinal and replicas.
      nodes.put(id, old.withAddress(j.address()));
      return new Applied(with(s, nodes, s.shards(), s.moves(), index), MetaResult.ok(old.ordinal()));
    }
    long ordinal = s.nextOrdinal();
    nodes.put(id, new NodeRecord(j.address(), j.zone(), ordinal, NodeState.JOINING, j.incarnation(), Set.of()));
    ClusterState next = new ClusterState(s.clusterId(), s.clusterUuid(), s.shardCount(), s.replicationFactor(), nodes,
        s.shards(), s.moves(), ordinal + 1, s.settings(), index);
    return new Applied(next, MetaResult.ok(ordinal));
  }

  private static Applied setNodeState(ClusterState s, MetaCommand.SetNodeState c, long index) {
    NodeRecord n = s.node(c.nodeId());
    if (n == null) {
      return reject(s, index, ErrorCode.NODE_NOT_FOUND, "unknown node [nodeId=" + c.nodeId() + "]");
    }
    if (n.state() == c.state()) {
      return new Applied(withVersion(s, index), MetaResult.ok(n.ordinal()));
    }
    if (!n.state().canMoveTo(c.state())) {
      return reject(s, index, ErrorCode.CONFLICT,
          "node state transition not allowed [nodeId=" + c.nodeId() + ", from=" + n.state() + ", to=" + c.state()
              + "]");
    }
    if (c.state() == NodeState.REMOVED && !s.shardsOn(c.nodeId()).isEmpty()) {
      return reject(s, index, ErrorCode.CONFLICT,
          "node still holds replicas [nodeId=" + c.nodeId() + ", shards=" + s.shardsOn(c.nodeId()) + "]");
    }
    Map<String, NodeRecord> nodes = new TreeMap<>(s.nodes());
    nodes.put(c.nodeId(), n.withState(c.state()));
    return new Applied(with(s, nodes, s.shards(), s.moves(), index), MetaResult.ok(n.ordinal()));
  }

  private static Applied setIncarnation(ClusterState s, MetaCommand.SetIncarnation c, long index) {
    NodeRecord n = s.node(c.nodeId());
    if (n == null) {
      return reject(s, index, ErrorCode.NODE_NOT_FOUND, "unknown node [nodeId=" + c.nodeId() + "]");
    }
    if (n.incarnation().equals(c.incarnation())) {
      return new Applied(withVersion(s, index), MetaResult.ok(0));
    }
    Set<Integer> rebuild = new HashSet<>(n.rebuildShards());
    if (!n.incarnation().isEmpty()) {
      // The node lost its data: every replica it was supposed to hold must be re-seeded by snapshot.
      rebuild.addAll(s.shardsOn(c.nodeId()));
    }
    Map<String, NodeRecord> nodes = new TreeMap<>(s.nodes());
    nodes.put(c.nodeId(), n.withIncarnation(c.incarnation(), rebuild));
    return new Applied(with(s, nodes, s.shards(), s.moves(), index), MetaResult.ok(rebuild.size()));
  }

  private static Applied startMove(ClusterState s, MetaCommand.StartMove c, long index) {
    if (c.shard() < 0 || c.shard() >= s.shardCount()) {
      return reject(s, index, ErrorCode.SHARD_NOT_FOUND, "no such shard [shard=" + c.shard() + "]");
    }
    ShardReplicas row = s.shards().get(c.shard());
    MoveRecord active = s.activeMove(c.shard());
    if (active != null) {
      return reject(s, index, ErrorCode.CONFLICT,
          "shard already moving [shard=" + c.shard() + ", moveId=" + active.id() + "]");
    }
    if (!row.replicas().contains(c.from())) {
      return reject(s, index, ErrorCode.CONFLICT,
          "source holds no replica [shard=" + c.shard() + ", from=" + c.from() + ", replicas=" + row.replicas() + "]");
    }
    NodeRecord to = s.node(c.to());
    if (to == null) {
      return reject(s, index, ErrorCode.NODE_NOT_FOUND, "unknown target [to=" + c.to() + "]");
    }
    boolean rebuild = c.from().equals(c.to());
    if (rebuild != (c.kind() == MoveKind.REBUILD)) {
      return reject(s, index, ErrorCode.INVALID_REQUEST,
          "source equals target only for REBUILD [shard=" + c.shard() + ", kind=" + c.kind() + "]");
    }
    if (!rebuild && row.replicas().contains(c.to())) {
      return reject(s, index, ErrorCode.CONFLICT,
          "target already holds a replica [shard=" + c.shard() + ", to=" + c.to() + "]");
    }
    if (!rebuild && !to.state().acceptsReplicas()) {
      return reject(s, index, ErrorCode.CONFLICT,
          "target does not accept replicas [to=" + c.to() + ", state=" + to.state() + "]");
    }
    Map<Long, MoveRecord> moves = new TreeMap<>(s.moves());
    moves.put(index, new MoveRecord(index, c.shard(), c.from(), c.to(), c.kind(), row.replicas(), MoveState.PLANNED,
        false, ""));
    Map<String, NodeRecord> nodes = s.nodes();
    if (rebuild && to.rebuildShards().contains(c.shard())) {
      Set<Integer> left = new HashSet<>(to.rebuildShards());
      left.remove(c.shard());
      nodes = new TreeMap<>(nodes);
      nodes.put(to.id(), to.withRebuild(left));
    }
    return new Applied(with(s, nodes, s.shards(), moves, index), MetaResult.ok(index));
  }

  private static Applied advanceMove(ClusterState s, MetaCommand.AdvanceMove c, long index) {
    MoveRecord m = s.moves().get(c.id());
    if (m == null) {
      return reject(s, index, ErrorCode.MOVE_NOT_FOUND, "no such move [moveId=" + c.id() + "]");
    }
    if (m.state() != c.expected()) {
      return reject(s, index, ErrorCode.CONFLICT,
          "move state changed [moveId=" + c.id() + ", expected=" + c.expected() + ", actual=" + m.state() + "]");
    }
    if (!m.state().canMoveTo(c.next())) {
      return reject(s, index, ErrorCode.CONFLICT,
          "move transition not allowed [moveId=" + c.id() + ", from=" + m.state() + ", to=" + c.next() + "]");
    }
    List<ShardReplicas> shards = s.shards();
    if (c.next() == MoveState.REMOVING) {
      // The voter set changed: publish it with a new epoch so stale routers are rejected.
      ShardReplicas row = shards.get(m.shard());
      List<ShardReplicas> copy = new ArrayList<>(shards);
      String hint = row.leaderHint() != null && m.targetVoters().contains(row.leaderHint()) ? row.leaderHint() : null;
      copy.set(m.shard(), new ShardReplicas(m.shard(), m.targetVoters(), hint, row.epoch() + 1));
      shards = copy;
    }
    Map<Long, MoveRecord> moves = new TreeMap<>(s.moves());
    moves.put(m.id(), m.with(c.next(), c.note()));
    ClusterState next = with(s, s.nodes(), shards, moves, index);
    if (c.next() == MoveState.DONE && m.kind() == MoveKind.MANUAL) {
      // An operator's placement overrides the rebalancer: pin the shard (PutSetting pinned.<shard>=false unpins).
      Map<String, String> settings = new HashMap<>(next.settings());
      settings.put(pinnedKey(m.shard()), "true");
      next = new ClusterState(next.clusterId(), next.clusterUuid(), next.shardCount(), next.replicationFactor(),
          next.nodes(), next.shards(), next.moves(), next.nextOrdinal(), settings, index);
    }
    return new Applied(next, MetaResult.ok(m.id()));
  }

  private static Applied cancelMove(ClusterState s, MetaCommand.CancelMove c, long index) {
    MoveRecord m = s.moves().get(c.id());
    if (m == null) {
      return reject(s, index, ErrorCode.MOVE_NOT_FOUND, "no such move [moveId=" + c.id() + "]");
    }
    if (m.state() == MoveState.CANCELLED || m.cancelRequested()) {
      return new Applied(withVersion(s, index), MetaResult.ok(m.id()));
    }
    if (!m.state().cancellable() || m.kind() == MoveKind.REBUILD) {
      return reject(s, index, ErrorCode.CONFLICT,
          "move can no longer be cancelled [moveId=" + c.id() + ", state=" + m.state() + "]");
    }
    Map<Long, MoveRecord> moves = new TreeMap<>(s.moves());
    moves.put(m.id(), m.state() == MoveState.PLANNED
        ? m.with(MoveState.CANCELLED, "cancelled before start")
        : m.withCancelRequested());
    return new Applied(with(s, s.nodes(), s.shards(), moves, index), MetaResult.ok(m.id()));
  }

  private static Applied leaderHint(ClusterState s, MetaCommand.SetLeaderHint c, long index) {
    if (c.shard() < 0 || c.shard() >= s.shardCount()) {
      return reject(s, index, ErrorCode.SHARD_NOT_FOUND, "no such shard [shard=" + c.shard() + "]");
    }
    ShardReplicas row = s.shards().get(c.shard());
    List<ShardReplicas> copy = new ArrayList<>(s.shards());
    copy.set(c.shard(), new ShardReplicas(row.shard(), row.replicas(), c.nodeId(), row.epoch()));
    return new Applied(with(s, s.nodes(), copy, s.moves(), index), MetaResult.ok(row.epoch()));
  }

  private static Applied putSetting(ClusterState s, MetaCommand.PutSetting c, long index) {
    Map<String, String> settings = new HashMap<>(s.settings());
    settings.put(c.key(), c.value());
    ClusterState next = new ClusterState(s.clusterId(), s.clusterUuid(), s.shardCount(), s.replicationFactor(),
        s.nodes(), s.shards(), s.moves(), s.nextOrdinal(), settings, index);
    return new Applied(next, MetaResult.ok(0));
  }

  /** Settings key that pins shard {@code shard} (rebalancing leaves it alone). */
  public static String pinnedKey(int shard) {
    return "pinned." + shard;
  }

  /** Keeps every active move and the newest {@link ClusterState#KEEP_FINISHED} finished ones. */
  private static Map<Long, MoveRecord> trim(Map<Long, MoveRecord> moves) {
    long finished = moves.values().stream().filter(m -> m.state().terminal()).count();
    if (finished <= ClusterState.KEEP_FINISHED) {
      return moves;
    }
    Map<Long, MoveRecord> out = new TreeMap<>(moves);
    long drop = finished - ClusterState.KEEP_FINISHED;
    for (MoveRecord m : moves.values()) {
      if (drop == 0) {
        break;
      }
      if (m.state().terminal()) {
        out.remove(m.id());
        drop--;
      }
    }
    return out;
  }
}
