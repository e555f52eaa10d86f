package io.quiver.raft.meta;

import java.util.List;
import java.util.Objects;

/**
 * One replica move of one shard, as recorded in the metadata group.
 *
 * @param id move id: the metadata log index of the command that created it (unique, increasing)
 * @param shard the shard
 * @param from replica leaving the group (for {@link MoveKind#REBUILD} equal to {@code to})
 * @param to replica joining the group
 * @param kind why the move exists
 * @param expected the shard's voters when the move was planned (the COMPARE_AND_SET baseline)
 * @param state current step
 * @param cancelRequested an operator asked to cancel; the mover rolls back and moves to CANCELLED
 * @param note last transition note (failure reason, step detail)
 */
public record MoveRecord(
    long id,
    int shard,
    String from,
    String to,
    MoveKind kind,
    List<String> expected,
    MoveState state,
    boolean cancelRequested,
    String note) {
  /** Validates and copies. */
  public MoveRecord {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(state, "state");
    expected = List.copyOf(expected);
    note = note == null ? "" : note;
  }

  /** The voters after the move: expected with {@code from} replaced by {@code to}. */
  public List<String> targetVoters() {
    java.util.ArrayList<String> out = new java.util.ArrayList<>();
    for (String r : expected) {
      out.add(r.equals(from) ? to : r);
    }
    if (!out.contains(to)) {
      out.add(to);
    }
    return List.copyOf(out);
  }

  /** Whether the move rebuilds a replica in place. */
  public boolean rebuild() {
    return from.equals(to);
  }

  MoveRecord with(MoveState s, String newNote) {
    return new MoveRecord(id, shard, from, to, kind, expected, s, cancelRequested, newNote);
  }

  MoveRecord withCancelRequested() {
    return new MoveRecord(id, shard, from, to, kind, expected, state, true, note);
  }
}
