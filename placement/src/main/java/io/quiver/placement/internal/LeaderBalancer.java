package io.quiver.placement.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Chooses leader hints (the first replica) so that leader counts over placeable nodes differ by at most one where
 * the replica sets allow it. Leader hints move no data: the executor transfers leadership. Shards whose hint sits
 * on a node that is not placeable get the least-leading placeable replica first; then augmenting chains
 * {@code u -> x -> ... -> v} hand leadership along shards ({@code a -> b} when {@code a} leads a shard that
 * {@code b} replicates). Pinned shards keep their hint unless it is on a node that is not placeable.
 */
public final class LeaderBalancer {
  private final Layout layout;

  private LeaderBalancer(Layout layout) {
    this.layout = layout;
  }

  /** Reorders replica lists of {@code layout} in place. */
  public static void balance(Layout layout) {
    LeaderBalancer b = new LeaderBalancer(layout);
    b.evacuate();
    while (b.step()) {
      // each step moved one unit of leadership along a chain
    }
  }

  private void evacuate() {
    for (int s = 0; s < layout.shardCount(); s++) {
      int leader = layout.leader(s);
      if (leader < 0 || layout.placeable(leader)) {
        continue;
      }
      int best = -1;
      for (int i = 0; i < layout.size(s); i++) {
        int r = layout.replica(s, i);
        if (layout.placeable(r) && (best < 0 || layout.leaderCount(r) < layout.leaderCount(best))) {
          best = r;
        }
      }
      if (best >= 0) {
        layout.setLeader(s, best);
      }
    }
  }

  private boolean step() {
    List<Integer> nodes = new ArrayList<>();
    int min = Integer.MAX_VALUE;
    TreeSet<Integer> levels = new TreeSet<>(Comparator.reverseOrder());
    for (int i = 0; i < layout.nodeCount(); i++) {
      if (layout.placeable(i)) {
        nodes.add(i);
        min = Math.min(min, layout.leaderCount(i));
        levels.add(layout.leaderCount(i));
      }
    }
    List<Integer>[] led = null;
    for (int level : levels) {
      if (level < min + 2) {
        return false;
      }
      if (led == null) {
        led = ledShards();
      }
      List<Integer> sources = new ArrayList<>();
      for (int n : nodes) {
        if (layout.leaderCount(n) == level) {
          sources.add(n);
        }
      }
      if (augment(sources, level - 2, led)) {
        return true;
      }
    }
    return false;
  }

  private boolean augment(List<Integer> sources, int limit, List<Integer>[] led) {
    int n = layout.nodeCount();
    int[] parent = new int[n];
    int[] via = new int[n];
    boolean[] seen = new boolean[n];
    Arrays.fill(parent, -1);
    sources.forEach(u -> seen[u] = true);
    List<Integer> frontier = sources;
    while (!frontier.isEmpty()) {
      List<Integer> next = new ArrayList<>();
      int best = -1;
      for (int a : frontier) {
        for (int s : led[a]) {
          for (int i = 1; i < layout.size(s); i++) {
            int b = layout.replica(s, i);
            if (!seen[b] && layout.placeable(b)) {
              seen[b] = true;
              parent[b] = a;
              via[b] = s;
              next.add(b);
              if (layout.leaderCount(b) <= limit && (best < 0 || layout.leaderCount(b) < layout.leaderCount(best))) {
                best = b;
              }
            }
          }
        }
      }
      if (best >= 0) {
        // Shards along a chain are distinct: each hop uses a shard led by a different node.
        for (int b = best; parent[b] >= 0; b = parent[b]) {
          layout.setLeader(via[b], b);
        }
        return true;
      }
      frontier = next;
    }
    return false;
  }

  /** Per node, the unpinned shards it leads. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private List<Integer>[] ledShards() {
    List<Integer>[] led = new List[layout.nodeCount()];
    for (int i = 0; i < led.length; i++) {
      led[i] = new ArrayList<>();
    }
    for (int s = 0; s < layout.shardCount(); s++) {
      if (!layout.pinned(s) && layout.leader(s) >= 0) {
        led[layout.leader(s)].add(s);
      }
    }
    return led;
  }
}
