package io.quiver.placement;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The zone (failure domain) rule for one shard's replicas: at most {@link #maxPerZone()} replicas in any zone.
 *
 * <p>{@code maxPerZone} is the smallest cap {@code c} such that the placeable nodes can hold RF replicas with at
 * most {@code c} per zone, i.e. the least {@code c} with {@code sum over zones of min(c, nodesInZone) >= RF}. With at
 * least RF zones (each with a node) that is 1: no two replicas share a zone. With fewer zones it is about
 * {@code ceil(RF / zones)}, so replicas spread as evenly as the zones allow and losing one zone loses as few
 * replicas as possible. Without zones (every zone {@code ""}) the rule is void.
 *
 * @param replicationFactor RF
 * @param zoneCount distinct zones among placeable nodes
 * @param maxPerZone replicas of one shard allowed in one zone
 */
public record ZoneRule(int replicationFactor, int zoneCount, int maxPerZone) {
  /** Validates. */
  public ZoneRule {
    if (replicationFactor < 1 || maxPerZone < 1 || zoneCount < 0) {
      throw new IllegalArgumentException("invalid zone rule [rf=" + replicationFactor + ", zones=" + zoneCount
          + ", maxPerZone=" + maxPerZone + "]");
    }
  }

  /** The rule for replication factor {@code rf} over the placeable nodes among {@code nodes}. */
  public static ZoneRule of(Collection<NodeInfo> nodes, int rf) {
    Map<String, Integer> perZone = new HashMap<>();
    for (NodeInfo n : nodes) {
      if (n.state().placeable()) {
        perZone.merge(n.zone(), 1, Integer::sum);
      }
    }
    int total = perZone.values().stream().mapToInt(Integer::intValue).sum();
    if (total < rf) {
      return new ZoneRule(rf, perZone.size(), rf);
    }
    for (int cap = 1; cap < rf; cap++) {
      int fits = 0;
      for (int n : perZone.values()) {
        fits += Math.min(cap, n);
      }
      if (fits >= rf) {
        return new ZoneRule(rf, perZone.size(), cap);
      }
    }
    return new ZoneRule(rf, perZone.size(), rf);
  }

  /** Replicas above the cap, summed over zones, for one shard whose replicas sit in {@code replicaZones}. */
  public int excess(List<String> replicaZones) {
    Map<String, Integer> counts = new HashMap<>();
    for (String z : replicaZones) {
      counts.merge(z, 1, Integer::sum);
    }
    int excess = 0;
    for (int c : counts.values()) {
      excess += Math.max(0, c - maxPerZone);
    }
    return excess;
  }
}
