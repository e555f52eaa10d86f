package io.quiver.placement;

import java.util.EnumSet;
import java.util.Set;

/**
 * Lifecycle of a node as the metadata group records it, with an explicit transition table.
 *
 * <pre>
 *   JOINING  -> UP | DOWN | DRAINING | REMOVED
 *   UP       -> DRAINING | DOWN
 *   DRAINING -> UP | DOWN | REMOVED
 *   DOWN     -> UP | DRAINING | REMOVED
 *   REMOVED  -> (terminal; the join ordinal stays behind as a tombstone)
 * </pre>
 *
 * <p>The table and the two properties match {@code io.quiver.raft.meta.NodeState} (the metadata group's own enum),
 * so mapping one to the other is by name.
 *
 * <p>Placement only reads two properties: whether new replicas may go to the node ({@link #placeable()}) and
 * whether its existing replicas count as live for the RF-1 safety rule ({@link #live()}). The metadata layer decides
 * when a node becomes {@code DOWN} (after a configurable time unreachable); a node marked {@code DOWN} is evacuated
 * by the next plan.
 */
public enum NodeState {
  /**
   * Registered but not yet heard from with its current incarnation: receives no replicas, and replicas it is
   * listed with are not counted live (a wiped node must not count as holding its old log) and are re-created
   * elsewhere by a plan. Plan after the node is {@code UP}.
   */
  JOINING,
  /** Heartbeating and serving; the only state that receives replicas. */
  UP,
  /** Being decommissioned: still serves its replicas, receives no new ones, all of them move away first. */
  DRAINING,
  /** Unreachable for longer than the configured time: its replicas are re-created elsewhere. */
  DOWN,
  /** Gone for good; kept only as a tombstone in the node order. */
  REMOVED;

  /** Whether new replicas may be placed on a node in this state. */
  public boolean placeable() {
    return this == UP;
  }

  /** Whether a replica on a node in this state can vote and serve (counts toward the RF-1 floor). */
  public boolean live() {
    return this == UP || this == DRAINING;
  }

  /** Whether the metadata group may move a node from this state to {@code next}. */
  public boolean canTransitionTo(NodeState next) {
    return successors().contains(next);
  }

  private Set<NodeState> successors() {
    return switch (this) {
      case JOINING -> EnumSet.of(UP, DOWN, DRAINING, REMOVED);
      case UP -> EnumSet.of(DRAINING, DOWN);
      case DRAINING -> EnumSet.of(UP, DOWN, REMOVED);
      case DOWN -> EnumSet.of(UP, DRAINING, REMOVED);
      case REMOVED -> EnumSet.noneOf(NodeState.class);
    };
  }
}
