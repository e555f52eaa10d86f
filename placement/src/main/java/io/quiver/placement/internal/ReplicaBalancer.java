package io.quiver.placement.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Balances replica counts over placeable nodes with augmenting paths: while some node {@code u} holds at least two
 * replicas more than a node {@code v} it can reach, move one replica along the cheapest chain
 * {@code u -> x -> ... -> v} (each hop a different shard, each hop keeping the hard rules; cost = new moves, then
 * hops). A direct move is a chain
 * of length one, the common case; longer chains get past the zone rule (a shard may only move within its zone when
 * every zone already holds one replica). Every applied chain lowers the sum of squared counts, so the loop ends.
 *
 * <p>Pinned shards never move here. Sources are tried from the most loaded node down; among the cheapest sinks the
 * least loaded wins; a hop prefers replicas that arrived earlier in the plan (re-targeting an earlier move is free
 * after {@link MoveCompactor}), then replicas that are not the leader hint so leadership stays put.
 */
public final class ReplicaBalancer {
  /** Search cost of a hop that adds a move to the plan, against 1 for re-targeting an earlier move. */
  private static final long NEW_MOVE = 1 << 16;

  private final Layout layout;

  private ReplicaBalancer(Layout layout) {
    this.layout = layout;
  }

  /** Balances {@code layout} in place, recording moves. */
  public static void balance(Layout layout) {
    new ReplicaBalancer(layout).run();
  }

  private void run() {
    while (step()) {
      // each step applied one chain
    }
  }

  /**
   * One augmentation: count levels are tried from the highest down; all nodes of one level search together (one
   * multi-source BFS), so a level that cannot reach a sink costs one search, not one per node.
   */
  private boolean step() {
    List<Integer> placeable = placeableNodes();
    if (placeable.isEmpty()) {
      return false;
    }
    int min = Integer.MAX_VALUE;
    TreeSet<Integer> levels = new TreeSet<>(Comparator.reverseOrder());
    for (int n : placeable) {
      min = Math.min(min, layout.count(n));
      levels.add(layout.count(n));
    }
    List<Integer>[] shardsOf = null;
    for (int level : levels) {
      if (level < min + 2) {
        return false;
      }
      if (shardsOf == null) {
        shardsOf = movableShardsByNode();
      }
      List<Integer> sources = new ArrayList<>();
      for (int n : placeable) {
        if (layout.count(n) == level) {
          sources.add(n);
        }
      }
      if (augment(sources, level - 2, shardsOf)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Cheapest chain from any source to a node at or below {@code limit}. A hop that moves a replica which arrived
   * earlier in this plan costs 1 (compaction folds it into the earlier move), any other hop costs
   * {@link #NEW_MOVE}; so the search minimises real moves first and hops second (Dijkstra over at most a few hundred
   * nodes). Among the cheapest sinks the least loaded wins.
   */
  private boolean augment(List<Integer> sources, int limit, List<Integer>[] shardsOf) {
    int n = layout.nodeCount();
    int[] parent = new int[n];
    int[] via = new int[n];
    long[] dist = new long[n];
    boolean[] done = new boolean[n];
    Arrays.fill(parent, -1);
    Arrays.fill(dist, Long.MAX_VALUE);
    sources.forEach(u -> dist[u] = 0);
    long best = Long.MAX_VALUE;
    List<Integer> sinks = new ArrayList<>();
    while (true) {
      int a = closest(dist, done);
      if (a < 0 || dist[a] > best) {
        break;
      }
      done[a] = true;
      if (dist[a] > 0 && layout.count(a) <= limit) {
        best = dist[a];
        sinks.add(a);
        continue;
      }
      for (int s : shardsOf[a]) {
        long d = dist[a] + (layout.arrived(s, a) ? 1 : NEW_MOVE);
        for (int b = 0; b < n; b++) {
          if (!done[b] && d < dist[b] && layout.canMove(s, a, b)) {
            dist[b] = d;
            parent[b] = a;
            via[b] = s;
          }
        }
      }
    }
    sinks.sort(Comparator.comparingInt((Integer b) -> layout.count(b)).thenComparingInt(b -> b));
    for (int v : sinks) {
      if (applyChain(v, parent, via)) {
        return true;
      }
    }
    return false;
  }

  private static int closest(long[] dist, boolean[] done) {
    int best = -1;
    for (int i = 0; i < dist.length; i++) {
      if (!done[i] && dist[i] != Long.MAX_VALUE && (best < 0 || dist[i] < dist[best])) {
        best = i;
      }
    }
    return best;
  }

  /** Applies the chain ending at {@code v}, source side first; rolls back if a hop became invalid. */
  private boolean applyChain(int v, int[] parent, int[] via) {
    List<int[]> hops = new ArrayList<>();
    for (int b = v; parent[b] >= 0; b = parent[b]) {
      hops.add(0, new int[] {via[b], parent[b], b});
    }
    int mark = layout.mark();
    for (int[] hop : hops) {
      if (!layout.canMove(hop[0], hop[1], hop[2])) {
        layout.rollback(mark);
        return false;
      }
      layout.move(hop[0], hop[1], hop[2]);
    }
    return true;
  }

  /**
   * Per node, the unpinned shards it replicates: replicas that arrived earlier in this plan first (moving one again
   * re-targets the earlier move at no extra cost once compacted), then non-leader replicas (so leadership stays
   * put), then a fixed pseudo-random order (so a joining node does not collect consecutive shard numbers).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private List<Integer>[] movableShardsByNode() {
    List<long[]>[] keyed = new List[layout.nodeCount()];
    for (int i = 0; i < keyed.length; i++) {
      keyed[i] = new ArrayList<>();
    }
    for (int s = 0; s < layout.shardCount(); s++) {
      if (layout.pinned(s)) {
        continue;
      }
      for (int i = 0; i < layout.size(s); i++) {
        int node = layout.replica(s, i);
        // Ascending: replicas that already arrived in this plan (MoveCompactor folds the two moves into one), then
        // non-leader replicas, then a fixed pseudo-random order.
        long order = (Mix.pair(s, node) >>> 2) | (i == 0 ? 1L << 61 : 0) | (layout.arrived(s, node) ? 0 : 1L << 62);
        keyed[node].add(new long[] {order, s});
      }
    }
    List<Integer>[] out = new List[keyed.length];
    for (int i = 0; i < keyed.length; i++) {
      keyed[i].sort((x, y) -> Long.compare(x[0], y[0]));
      out[i] = new ArrayList<>(keyed[i].size());
      for (long[] k : keyed[i]) {
        out[i].add((int) k[1]);
      }
    }
    return out;
  }

  private List<Integer> placeableNodes() {
    List<Integer> nodes = new ArrayList<>();
    for (int i = 0; i < layout.nodeCount(); i++) {
      if (layout.placeable(i)) {
        nodes.add(i);
      }
    }
    return nodes;
  }
}
