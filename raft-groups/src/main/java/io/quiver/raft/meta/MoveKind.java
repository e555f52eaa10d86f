package io.quiver.raft.meta;

/** Why a move exists. */
public enum MoveKind {
  /** Requested by an operator (admin API). */
  MANUAL,
  /** Planned by the rebalancer (a node joined, counts uneven). */
  REBALANCE,
  /** Emptying a decommissioned (draining) node. */
  DRAIN,
  /** Re-creating the replica of a node that stayed DOWN too long; the source is gone. */
  REPLACE,
  /** Re-seeding a replica whose node lost its data (new incarnation): source == target, rebuilt by snapshot. */
  REBUILD
}
