package io.quiver.placement.internal;

import io.quiver.placement.Move;
import java.util.ArrayList;
import java.util.List;

/**
 * Shortens a plan without changing its end state: a move {@code (s, x -> y)} followed later by
 * {@code (s, y -> z)} with no other move of shard {@code s} in between becomes one move {@code (s, x -> z)} at the
 * earlier position (dropped entirely when {@code z == x}). Valid because between the two moves shard {@code s}
 * did not change, so {@code z} was not a replica at the earlier point either. An add followed by a move of the
 * added replica becomes one add; removes are left alone.
 */
public final class MoveCompactor {
  private MoveCompactor() {}

  /** The compacted plan. */
  public static List<Move> compact(List<Move> moves) {
    List<Move> out = new ArrayList<>(moves);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int i = 0; i < out.size() && !changed; i++) {
        Move first = out.get(i);
        if (first.isRemove()) {
          continue;
        }
        int j = nextOfShard(out, i);
        if (j < 0) {
          continue;
        }
        Move second = out.get(j);
        if (second.isAdd() || second.isRemove() || !second.fromNode().equals(first.toNode())) {
          continue;
        }
        out.remove(j);
        if (first.isAdd()) {
          out.set(i, new Move(first.shard(), null, second.toNode()));
        } else if (second.toNode().equals(first.fromNode())) {
          out.remove(i);
        } else {
          out.set(i, new Move(first.shard(), first.fromNode(), second.toNode()));
        }
        changed = true;
      }
    }
    return List.copyOf(out);
  }

  private static int nextOfShard(List<Move> moves, int i) {
    for (int j = i + 1; j < moves.size(); j++) {
      if (moves.get(j).shard() == moves.get(i).shard()) {
        return j;
      }
    }
    return -1;
  }
}
