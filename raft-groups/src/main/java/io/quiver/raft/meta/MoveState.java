package io.quiver.raft.meta;

import java.util.EnumSet;
import java.util.Set;

/**
 * States of a shard-replica move (notes §6), with the explicit transition table. Each state names the step the
 * mover performs next; every step is idempotent, so after a crash the mover re-runs the recorded step.
 */
public enum MoveState {
  /** Recorded, nothing done yet. */
  PLANNED,
  /** Adding the group on the target with an empty peer list, then the target as a listener (non-voter). */
  ADDING,
  /** Waiting until the listener has caught up (snapshot + log). */
  CATCHING_UP,
  /** Moving leadership off the source, then one COMPARE_AND_SET: target becomes a voter, source leaves. */
  PROMOTING,
  /** Shard map updated (epoch bumped); removing the group and its data on the source. */
  REMOVING,
  /** Finished. */
  DONE,
  /** Gave up; the configuration is as before the move (listener removed). */
  FAILED,
  /** Cancelled by an operator before promotion; the listener was removed. */
  CANCELLED;

  /** States reachable from this one. */
  public Set<MoveState> next() {
    return switch (this) {
      case PLANNED -> EnumSet.of(ADDING, FAILED, CANCELLED);
      case ADDING -> EnumSet.of(CATCHING_UP, FAILED, CANCELLED);
      case CATCHING_UP -> EnumSet.of(PROMOTING, FAILED, CANCELLED);
      case PROMOTING -> EnumSet.of(REMOVING, FAILED);
      case REMOVING -> EnumSet.of(DONE);
      case DONE, FAILED, CANCELLED -> EnumSet.noneOf(MoveState.class);
    };
  }

  /** Whether {@code to} may follow this state. */
  public boolean canMoveTo(MoveState to) {
    return next().contains(to);
  }

  /** Whether the move is finished. */
  public boolean terminal() {
    return this == DONE || this == FAILED || this == CANCELLED;
  }

  /** Whether an operator may still cancel (before the voter set changes). */
  public boolean cancellable() {
    return this == PLANNED || this == ADDING || this == CATCHING_UP;
  }
}
