package io.quiver.placement;

import java.util.List;
import java.util.Objects;

/**
 * A rebalance plan.
 *
 * @param moves single-replica moves in execution order (repairs of dead and draining nodes first)
 * @param target the shard map after all moves, with balanced leader hints (leader hints move no data: the executor
 *     transfers leadership after the moves, or whenever convenient)
 * @param minimalMoves a lower bound on the number of moves any plan needs to reach a balanced map (see
 *     {@link Rebalancer#minimalMoves(PlacementMap, List, int)})
 * @param unresolved human-readable problems the plan could not fix (for example no node left to drain to)
 */
public record RebalancePlan(List<Move> moves, PlacementMap target, int minimalMoves, List<String> unresolved) {
  /** Copies and validates. */
  public RebalancePlan {
    moves = List.copyOf(moves);
    Objects.requireNonNull(target, "target");
    unresolved = List.copyOf(unresolved);
    if (minimalMoves < 0) {
      throw new IllegalArgumentException("negative minimal moves [minimalMoves=" + minimalMoves + "]");
    }
  }
}
