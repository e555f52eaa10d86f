package io.quiver.placement.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Balances replica counts over placeable nodes with augmenting paths: while some node {@code u} holds at least two
 * replicas more than a node {@code v} it can reach, move one replica along the shortest chain
 * {@code u -> x -> ... -> v} (each hop a different shard, each hop keeping the hard rules). A direct move is a chain
 * of length one, the common case; longer chains get past the zone rule (a shard may only move within its zone when
 * every zone already holds one replica). Every applied chain lowers the sum of squared counts, so the loop ends.
 *
 * <p>Pinned shards never move here. Sources are tried from the most loaded node down; among sinks at the shortest
 * distance the least loaded wins; a hop prefers replicas that are not the leader hint so leadership stays put.
 */
public final class ReplicaBalancer {
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

  private boolean step() {
    List<Integer> sources = placeableNodes();
    if (sources.isEmpty()) {
      return false;
    }
    int min = Integer.MAX_VALUE;
    for (int n : sources) {
      min = Math.min(min, layout.count(n));
    }
    sources.sort(Comparator.comparingInt((Integer n) -> -layout.count(n)).thenComparingInt(n -> n));
    for (int u : sources) {
      if (layout.count(u) < min + 2) {
        return false;
      }
      if (augment(u)) {
        return true;
      }
    }
    return false;
  }

  private boolean augment(int u) {
    int n = layout.nodeCount();
    int[] parent = new int[n];
    int[] via = new int[n];
    boolean[] seen = new boolean[n];
    Arrays.fill(parent, -1);
    seen[u] = true;
    int limit = layout.count(u) - 2;
    List<Integer> frontier = List.of(u);
    while (!frontier.isEmpty()) {
      List<Integer> next = new ArrayList<>();
      for (int a : frontier) {
        for (int s : movableShards(a)) {
          for (int b = 0; b < n; b++) {
            if (!seen[b] && layout.canMove(s, a, b)) {
              seen[b] = true;
              parent[b] = a;
              via[b] = s;
              next.add(b);
            }
          }
        }
      }
      List<Integer> sinks = new ArrayList<>();
      for (int b : next) {
        if (layout.count(b) <= limit) {
          sinks.add(b);
        }
      }
      sinks.sort(Comparator.comparingInt((Integer b) -> layout.count(b)).thenComparingInt(b -> b));
      for (int v : sinks) {
        if (applyChain(u, v, parent, via)) {
          return true;
        }
      }
      frontier = next;
    }
    return false;
  }

  /** Applies the chain ending at {@code v}, source side first; rolls back if a hop became invalid. */
  private boolean applyChain(int u, int v, int[] parent, int[] via) {
    List<int[]> hops = new ArrayList<>();
    for (int b = v; b != u; b = parent[b]) {
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

  /** Unpinned shards with a replica on {@code node}: non-leader replicas first, then a fixed pseudo-random order. */
  private List<Integer> movableShards(int node) {
    List<Integer> shards = new ArrayList<>();
    for (int s = 0; s < layout.shardCount(); s++) {
      if (!layout.pinned(s) && layout.contains(s, node)) {
        shards.add(s);
      }
    }
    shards.sort(Comparator.comparingInt((Integer s) -> layout.leader(s) == node ? 1 : 0)
        .thenComparingLong(s -> Mix.pair(s, node)));
    return shards;
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
