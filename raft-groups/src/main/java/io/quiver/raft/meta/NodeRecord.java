package io.quiver.raft.meta;

import io.quiver.raft.NodeAddress;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A node as the metadata group knows it.
 *
 * @param address advertised addresses
 * @param zone failure domain
 * @param ordinal join ordinal, assigned in apply from a counter (0, 1, 2, ... in join order, never reused)
 * @param state lifecycle state
 * @param incarnation id of the node's data directory ({@code ""} until first heard from); a different value means the
 *     node lost its data (Raft amnesia protection)
 * @param rebuildShards shards whose replica on this node was lost with its data and still awaits a REBUILD move
 */
public record NodeRecord(
    NodeAddress address, String zone, long ordinal, NodeState state, String incarnation, Set<Integer> rebuildShards) {
  /** Validates and copies. */
  public NodeRecord {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(incarnation, "incarnation");
    rebuildShards = java.util.Collections.unmodifiableSet(new TreeSet<>(rebuildShards));
  }

  /** The node id. */
  public String id() {
    return address.nodeId();
  }

  NodeRecord withState(NodeState s) {
    return new NodeRecord(address, zone, ordinal, s, incarnation, rebuildShards);
  }

  NodeRecord withIncarnation(String inc, Set<Integer> rebuild) {
    return new NodeRecord(address, zone, ordinal, state, inc, rebuild);
  }

  NodeRecord withRebuild(Set<Integer> rebuild) {
    return new NodeRecord(address, zone, ordinal, state, incarnation, rebuild);
  }

  NodeRecord withAddress(NodeAddress a) {
    return new NodeRecord(a, zone, ordinal, state, incarnation, rebuildShards);
  }
}
