package io.quiver.raft.meta;

import io.quiver.raft.NodeAddress;
import java.util.List;
import java.util.Objects;

/** Commands of the metadata group. Every field is validated in the compact constructor; apply is deterministic. */
public sealed interface MetaCommand {

  /**
   * A node of the initial set.
   *
   * @param address addresses
   * @param zone failure domain
   * @param incarnation data-directory id, or {@code ""} if unknown (adopted from the first heartbeat)
   */
  record NodeSpec(NodeAddress address, String zone, String incarnation) {
    /** Validates. */
    public NodeSpec {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(zone, "zone");
      incarnation = incarnation == null ? "" : incarnation;
    }
  }

  /** Creates the cluster: nodes get ordinals in list order; shard i gets {@code replicas.get(i)}, epoch 1. */
  record Bootstrap(
      String clusterId, String clusterUuid, int shardCount, int replicationFactor, List<NodeSpec> nodes,
      List<List<String>> replicas) implements MetaCommand {
    /** Validates shape. */
    public Bootstrap {
      Objects.requireNonNull(clusterId, "clusterId");
      Objects.requireNonNull(clusterUuid, "clusterUuid");
      nodes = List.copyOf(nodes);
      replicas = replicas.stream().map(List::copyOf).toList();
      if (shardCount < 1 || shardCount > 1024 || replicas.size() != shardCount) {
        throw new IllegalArgumentException("invalid shard count [shardCount=" + shardCount + "]");
      }
      if (replicationFactor < 1 || replicationFactor > nodes.size()) {
        throw new IllegalArgumentException("invalid replication factor [rf=" + replicationFactor + "]");
      }
    }
  }

  /** Registers a new node; it gets the next join ordinal and state JOINING. */
  record Join(NodeAddress address, String zone, String incarnation) implements MetaCommand {
    /** Validates. */
    public Join {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(zone, "zone");
      incarnation = incarnation == null ? "" : incarnation;
    }
  }

  /** Moves a node to another lifecycle state (checked against {@link NodeState#next()}). */
  record SetNodeState(String nodeId, NodeState state) implements MetaCommand {
    /** Validates. */
    public SetNodeState {
      Objects.requireNonNull(nodeId, "nodeId");
      Objects.requireNonNull(state, "state");
    }
  }

  /**
   * Records the incarnation a node reported. If a different non-empty incarnation was recorded, the node lost its
   * data: every replica it held is marked for a REBUILD move.
   */
  record SetIncarnation(String nodeId, String incarnation) implements MetaCommand {
    /** Validates. */
    public SetIncarnation {
      Objects.requireNonNull(nodeId, "nodeId");
      Objects.requireNonNull(incarnation, "incarnation");
    }
  }

  /** Plans a move of one replica of {@code shard} from {@code from} to {@code to}. */
  record StartMove(int shard, String from, String to, MoveKind kind) implements MetaCommand {
    /** Validates. */
    public StartMove {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(kind, "kind");
    }
  }

  /** Advances move {@code id} from {@code expected} to {@code next} (compare-and-set on the move state). */
  record AdvanceMove(long id, MoveState expected, MoveState next, String note) implements MetaCommand {
    /** Validates. */
    public AdvanceMove {
      Objects.requireNonNull(expected, "expected");
      Objects.requireNonNull(next, "next");
      note = note == null ? "" : note;
    }
  }

  /** Asks to cancel move {@code id}. */
  record CancelMove(long id) implements MetaCommand {}

  /**
   * A linearizable read through the log: applies as nothing (the state and its version stay as they are) and the
   * leader answers with the whole state as of this entry. Its commit proves the leader still held a majority after
   * the read was sent, which Ratis' ReadIndex does not (see {@code MetaClient#read}).
   */
  record ReadState() implements MetaCommand {}

  /** Records which replica leads {@code shard} (a hint for routers). */
  record SetLeaderHint(int shard, String nodeId) implements MetaCommand {
    /** Validates. */
    public SetLeaderHint {
      Objects.requireNonNull(nodeId, "nodeId");
    }
  }

  /** Sets a cluster setting. */
  record PutSetting(String key, String value) implements MetaCommand {
    /** Validates. */
    public PutSetting {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }
}
