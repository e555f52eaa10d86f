package io.quiver.raft.meta;

import java.util.EnumSet;
import java.util.Set;

/** Lifecycle of a node in the metadata group, with its transition table. */
public enum NodeState {
  /** Registered, not yet heard from with the registered incarnation. */
  JOINING,
  /** Heartbeating; may receive replicas. */
  UP,
  /** Being emptied by the control agent; receives no new replicas. */
  DRAINING,
  /** Not heard from for longer than {@code downAfter}; its replicas are re-created elsewhere after a while. */
  DOWN,
  /** Gone for good (decommissioned); terminal. */
  REMOVED;

  /** States reachable from this one. */
  public Set<NodeState> next() {
    return switch (this) {
      case JOINING -> EnumSet.of(UP, DOWN, DRAINING, REMOVED);
      case UP -> EnumSet.of(DOWN, DRAINING);
      case DOWN -> EnumSet.of(UP, DRAINING, REMOVED);
      case DRAINING -> EnumSet.of(REMOVED, DOWN, UP);
      case REMOVED -> EnumSet.noneOf(NodeState.class);
    };
  }

  /** Whether {@code to} may follow this state. */
  public boolean canMoveTo(NodeState to) {
    return next().contains(to);
  }

  /** Whether the node may receive new replicas. */
  public boolean acceptsReplicas() {
    return this == UP;
  }
}
