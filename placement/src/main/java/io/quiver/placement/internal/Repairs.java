package io.quiver.placement.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Hard-constraint repairs, in the order a plan must run them: (1) replace replicas on nodes that are not live
 * ({@code DOWN}, {@code JOINING}, {@code REMOVED}, unknown) and fill under-replicated shards, shards with the
 * fewest live replicas first; (2) move replicas off {@code DRAINING} nodes; (3) drop surplus replicas; (4) fix
 * zone-rule violations. Pinned shards are repaired too: these are the hard constraints a pin cannot override.
 *
 * <p>Every repair adds before it removes, so a shard's live replica count never drops. Problems that cannot be
 * solved (no eligible target) are reported as unresolved and the replica stays where it is.
 */
public final class Repairs {
  private final Layout layout;
  private final List<String> unresolved = new ArrayList<>();

  private Repairs(Layout layout) {
    this.layout = layout;
  }

  /** Runs all repairs on {@code layout}, recording moves; returns descriptions of what could not be repaired. */
  public static List<String> run(Layout layout) {
    Repairs r = new Repairs(layout);
    List<Integer> order = new ArrayList<>();
    for (int s = 0; s < layout.shardCount(); s++) {
      order.add(s);
    }
    order.sort(Comparator.comparingInt(layout::liveCount).thenComparingInt(s -> s));
    order.forEach(r::replaceDead);
    order.forEach(r::drain);
    order.forEach(r::trim);
    order.forEach(r::spreadZones);
    return List.copyOf(r.unresolved);
  }

  private void replaceDead(int s) {
    for (int node : replicasWhere(s, n -> !layout.live(n))) {
      if (layout.size(s) > layout.rf()) {
        layout.remove(s, node);
        continue;
      }
      int to = target(s, node);
      if (to < 0) {
        unresolved.add("no target for a replica on a dead node [shard=" + s + ", node=" + layout.id(node) + "]");
      } else {
        layout.move(s, node, to);
      }
    }
    while (layout.size(s) < layout.rf()) {
      int to = target(s, -1);
      if (to < 0) {
        unresolved.add("under-replicated, no target [shard=" + s + ", replicas=" + layout.size(s) + "]");
        return;
      }
      layout.add(s, to);
    }
  }

  private void drain(int s) {
    for (int node : replicasWhere(s, n -> layout.live(n) && !layout.placeable(n))) {
      int to = target(s, node);
      if (to < 0) {
        unresolved.add("no target to drain to [shard=" + s + ", node=" + layout.id(node) + "]");
      } else {
        layout.move(s, node, to);
      }
    }
  }

  private void trim(int s) {
    while (layout.size(s) > layout.rf()) {
      int victim = -1;
      for (int i = 0; i < layout.size(s); i++) {
        int n = layout.replica(s, i);
        if (victim < 0 || surplusRank(s, n) > surplusRank(s, victim)) {
          victim = n;
        }
      }
      layout.remove(s, victim);
    }
  }

  /** Higher means a better replica to drop: not placeable, then in a crowded zone, then busier, then not leader. */
  private long surplusRank(int s, int n) {
    long rank = layout.placeable(n) ? 0 : 1L << 40;
    rank += layout.inCrowdedZone(s, n) ? 1L << 32 : 0;
    rank += (long) layout.count(n) << 1;
    return rank + (layout.leader(s) == n ? 0 : 1);
  }

  private void spreadZones(int s) {
    while (layout.zoneExcess(s) > 0) {
      int best = -1;
      int bestTo = -1;
      for (int i = 0; i < layout.size(s); i++) {
        int n = layout.replica(s, i);
        if (!layout.inCrowdedZone(s, n)) {
          continue;
        }
        int to = strictTarget(s, n);
        if (to >= 0 && (best < 0 || surplusRank(s, n) > surplusRank(s, best))) {
          best = n;
          bestTo = to;
        }
      }
      if (best < 0) {
        unresolved.add("zone rule cannot be met [shard=" + s + "]");
        return;
      }
      layout.move(s, best, bestTo);
    }
  }

  /** Least-loaded node that keeps the hard rules, else least-loaded distinct placeable node, else -1. */
  private int target(int s, int from) {
    int to = strictTarget(s, from);
    if (to >= 0) {
      return to;
    }
    for (int b = 0; b < layout.nodeCount(); b++) {
      if (layout.placeable(b) && !layout.contains(s, b) && (to < 0 || layout.count(b) < layout.count(to))) {
        to = b;
      }
    }
    return to;
  }

  private int strictTarget(int s, int from) {
    int to = -1;
    for (int b = 0; b < layout.nodeCount(); b++) {
      if (layout.canMove(s, from, b) && (to < 0 || layout.count(b) < layout.count(to))) {
        to = b;
      }
    }
    return to;
  }

  private List<Integer> replicasWhere(int s, java.util.function.IntPredicate test) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < layout.size(s); i++) {
      if (test.test(layout.replica(s, i))) {
        out.add(layout.replica(s, i));
      }
    }
    return out;
  }
}
