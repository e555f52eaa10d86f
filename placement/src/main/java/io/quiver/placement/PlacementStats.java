package io.quiver.placement;

import io.quiver.placement.internal.Layout;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well a shard map fits a node set: per-node replica and leader counts and the figures the CLI and tests
 * report. Counts cover the placeable nodes (in join order, zero included); replicas elsewhere are "misplaced".
 *
 * @param replicaCounts replicas per placeable node id, in join order
 * @param leaderCounts leader hints per placeable node id, in join order
 * @param meanReplicas mean replicas per placeable node
 * @param maxDeviation largest {@code |count - mean|} over placeable nodes, rounded up
 * @param leaderMaxDeviation the same for leader hints
 * @param zoneViolations shards breaking the {@link ZoneRule}
 * @param misplaced replicas on nodes that are not placeable (draining, down, removed, unknown)
 * @param underReplicated shards with fewer than RF replicas
 */
public record PlacementStats(
    Map<String, Integer> replicaCounts,
    Map<String, Integer> leaderCounts,
    double meanReplicas,
    int maxDeviation,
    int leaderMaxDeviation,
    int zoneViolations,
    int misplaced,
    int underReplicated) {

  /** Copies the maps. */
  public PlacementStats {
    replicaCounts = Collections.unmodifiableMap(new LinkedHashMap<>(replicaCounts));
    leaderCounts = Collections.unmodifiableMap(new LinkedHashMap<>(leaderCounts));
  }

  /** Computes the statistics of {@code map} over {@code nodes} for replication factor {@code rf}. */
  public static PlacementStats of(PlacementMap map, List<NodeInfo> nodes, int rf) {
    Layout l = Layout.of(map, nodes, rf);
    Map<String, Integer> replicas = new LinkedHashMap<>();
    Map<String, Integer> leaders = new LinkedHashMap<>();
    int misplaced = 0;
    for (int n = 0; n < l.nodeCount(); n++) {
      if (l.placeable(n)) {
        replicas.put(l.id(n), l.count(n));
        leaders.put(l.id(n), l.leaderCount(n));
      } else {
        misplaced += l.count(n);
      }
    }
    int zoneViolations = 0;
    int under = 0;
    for (int s = 0; s < l.shardCount(); s++) {
      zoneViolations += l.zoneExcess(s) > 0 ? 1 : 0;
      under += l.size(s) < rf ? 1 : 0;
    }
    double mean = replicas.isEmpty() ? 0 : sum(replicas) / (double) replicas.size();
    return new PlacementStats(replicas, leaders, mean, maxDeviation(replicas), maxDeviation(leaders), zoneViolations,
        misplaced, under);
  }

  /** Largest {@code |count - mean|} rounded up, in exact integer arithmetic. */
  static int maxDeviation(Map<String, Integer> counts) {
    if (counts.isEmpty()) {
      return 0;
    }
    long n = counts.size();
    long total = sum(counts);
    long worst = 0;
    for (int c : counts.values()) {
      worst = Math.max(worst, Math.abs(c * n - total));
    }
    return (int) ((worst + n - 1) / n);
  }

  private static long sum(Map<String, Integer> counts) {
    long total = 0;
    for (int c : counts.values()) {
      total += c;
    }
    return total;
  }
}
