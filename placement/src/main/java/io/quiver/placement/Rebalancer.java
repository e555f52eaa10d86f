package io.quiver.placement;

import io.quiver.placement.internal.Layout;
import io.quiver.placement.internal.LeaderBalancer;
import io.quiver.placement.internal.MoveCompactor;
import io.quiver.placement.internal.ReplicaBalancer;
import io.quiver.placement.internal.Repairs;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans the single-replica moves from the current shard map to a balanced map that keeps the hard rules.
 *
 * <p>Passes, in plan order: replace replicas on nodes that are not live (down, removed, re-joining after a wipe)
 * and fill under-replicated shards (shards with the fewest live replicas first), move replicas off draining
 * nodes, drop surplus replicas, fix zone-rule violations, then balance replica counts over placeable nodes
 * (augmenting chains, pinned shards untouched), and finally compact chains that moved the same replica twice.
 * Leader hints of the target are balanced last; they are not moves.
 *
 * <p>Safety: every move adds its target before removing its source ({@link Move}), and a pure removal only drops a
 * dead replica or a surplus one, so no shard falls below {@code min(RF - 1, its live replicas before the plan)}
 * live replicas at any step. The plan starts from the authoritative map rather than recomputing
 * {@link Placement#initial}, so it moves only what balance requires.
 */
public final class Rebalancer {
  private Rebalancer() {}

  /** The ordered moves of {@link #compute(PlacementMap, List, int)}. */
  public static List<Move> plan(PlacementMap current, List<NodeInfo> nodes, int rf) {
    return compute(current, nodes, rf).moves();
  }

  /**
   * The full plan: moves, target map, the lower bound and anything unresolved.
   *
   * @param current the shard map now
   * @param nodes every node the metadata group knows, removed ones included (as tombstones); replicas on ids not
   *     listed are treated as on removed nodes
   * @param rf the replication factor
   */
  public static RebalancePlan compute(PlacementMap current, List<NodeInfo> nodes, int rf) {
    if (rf < 1) {
      throw new IllegalArgumentException("replication factor must be positive [rf=" + rf + "]");
    }
    NodeOrder.of(nodes);
    int minimal = minimalMoves(current, nodes, rf);
    Layout layout = Layout.of(current, nodes, rf);
    List<String> unresolved = new ArrayList<>(Repairs.run(layout));
    ReplicaBalancer.balance(layout);
    List<Move> moves = MoveCompactor.compact(layout.moves());
    LeaderBalancer.balance(layout);
    PlacementMap target = layout.toMap();
    return new RebalancePlan(moves, target, minimal, unresolved);
  }

  /**
   * A lower bound on the moves needed to reach a map where every placeable node holds {@code floor} or
   * {@code ceil} of {@code S * RF / placeable} replicas, no replica sits on a node that is not placeable, every
   * shard has RF replicas and the zone rule holds. Each move fills at most one slot below {@code floor}, empties at
   * most one replica above {@code ceil} or on a non-placeable node, adds at most one missing replica and fixes at
   * most one zone excess, so the largest of those four totals is a bound. When zones make that balance impossible,
   * no plan reaches it and the bound is still a bound.
   */
  public static int minimalMoves(PlacementMap current, List<NodeInfo> nodes, int rf) {
    Layout l = Layout.of(current, nodes, rf);
    int placeable = 0;
    for (int n = 0; n < l.nodeCount(); n++) {
      placeable += l.placeable(n) ? 1 : 0;
    }
    if (placeable == 0) {
      return 0;
    }
    long total = (long) l.shardCount() * rf;
    long lo = total / placeable;
    long hi = (total + placeable - 1) / placeable;
    long deficit = 0;
    long excess = 0;
    long misplaced = 0;
    for (int n = 0; n < l.nodeCount(); n++) {
      if (l.placeable(n)) {
        deficit += Math.max(0, lo - l.count(n));
        excess += Math.max(0, l.count(n) - hi);
      } else {
        misplaced += l.count(n);
      }
    }
    long missing = 0;
    long zoneExcess = 0;
    for (int s = 0; s < l.shardCount(); s++) {
      missing += Math.max(0, rf - l.size(s));
      zoneExcess += l.zoneExcess(s);
    }
    long bound = Math.max(Math.max(deficit, excess + misplaced), Math.max(missing + misplaced, zoneExcess));
    return (int) bound;
  }
}
