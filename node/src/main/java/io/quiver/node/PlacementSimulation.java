package io.quiver.node;

import io.quiver.placement.Move;
import io.quiver.placement.NodeInfo;
import io.quiver.placement.NodeState;
import io.quiver.placement.Placement;
import io.quiver.placement.PlacementMap;
import io.quiver.placement.PlacementStats;
import io.quiver.placement.RebalancePlan;
import io.quiver.placement.Rebalancer;
import io.quiver.placement.ShardAssignment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The offline what-if behind {@code quiver placement simulate}: an initial cluster, nodes joining and leaving, the
 * rebalance plan, and checks of the plan (replay reaches the target, lowest live replica count during the plan).
 * Pure computation; {@link PlacementSimulateCommand} prints it.
 */
final class PlacementSimulation {
  /** {@code --add-zone} value that picks the zone giving the best balance. */
  static final String AUTO = "auto";

  final int shards;
  final int rf;
  final List<NodeInfo> initialNodes = new ArrayList<>();
  final List<String> notes = new ArrayList<>();
  List<NodeInfo> finalNodes;
  PlacementMap before;
  RebalancePlan plan;
  int minLiveDuringPlan;
  boolean replayMatchesTarget;

  PlacementSimulation(int shards, int rf) {
    this.shards = shards;
    this.rf = rf;
  }

  /** Initial cluster: {@code nodes} nodes n0.., zones z0.. round robin ({@code zones <= 1}: no zones). */
  void start(int nodes, int zones) {
    for (int i = 0; i < nodes; i++) {
      initialNodes.add(new NodeInfo("n" + i, zones > 1 ? "z" + (i % zones) : "", i, NodeState.UP));
    }
    before = Placement.initial(shards, rf, initialNodes);
    finalNodes = new ArrayList<>(initialNodes);
  }

  /** Marks {@code count} nodes leaving, from the middle of the join order, so they leave tombstones. */
  void remove(int count, NodeState leavingState) {
    int n = initialNodes.size();
    for (int k = 0; k < count; k++) {
      String id = "n" + ((n / 2 + k) % n);
      finalNodes.replaceAll(x -> x.id().equals(id) ? x.withState(leavingState) : x);
      notes.add("leave " + id + " state=" + leavingState);
    }
  }

  /** Adds {@code count} joining nodes, each in {@code zone}, or in the zone {@link #AUTO} finds best. */
  void add(int count, String zone, boolean zoned) {
    for (int k = 0; k < count; k++) {
      int ordinal = finalNodes.size();
      String id = "n" + ordinal;
      String chosen = !zoned ? "" : AUTO.equals(zone) ? autoZone(id, ordinal) : zone;
      finalNodes.add(new NodeInfo(id, chosen, ordinal, NodeState.UP));
      if (zoned && !AUTO.equals(zone)) {
        notes.add("join " + id + " zone=" + chosen);
      }
    }
  }

  /** Plans and checks the plan by replaying it. */
  void plan() {
    plan = Rebalancer.compute(before, finalNodes, rf);
    Map<String, Boolean> live = new HashMap<>();
    finalNodes.forEach(n -> live.put(n.id(), n.state().live()));
    PlacementMap m = before;
    int min = Integer.MAX_VALUE;
    for (ShardAssignment a : m.shards()) {
      min = Math.min(min, liveCount(a, live));
    }
    for (Move move : plan.moves()) {
      m = m.apply(move);
      min = Math.min(min, liveCount(m.shard(move.shard()), live));
    }
    minLiveDuringPlan = min;
    boolean same = true;
    for (int s = 0; s < shards; s++) {
      same &= new java.util.HashSet<>(m.shard(s).replicas()).equals(
          new java.util.HashSet<>(plan.target().shard(s).replicas()));
    }
    replayMatchesTarget = same;
  }

  PlacementStats beforeStats() {
    return PlacementStats.of(before, initialNodes, rf);
  }

  PlacementStats afterStats() {
    return PlacementStats.of(plan.target(), finalNodes, rf);
  }

  /** Replicas per node id over all nodes (zero included), for the table. */
  static Map<String, Integer> counts(PlacementMap map, List<NodeInfo> nodes, boolean leaders) {
    Map<String, Integer> out = new LinkedHashMap<>();
    nodes.forEach(n -> out.put(n.id(), 0));
    (leaders ? map.leaderCounts() : map.replicaCounts()).forEach((id, c) -> out.put(id, c));
    return out;
  }

  /**
   * Tries the new node in every existing zone (fewest nodes first) and in a new zone, keeping the first with the
   * lowest max_dev. With RF zones and RF replicas per shard each zone holds exactly S replicas, so one node added
   * to an existing zone cannot be balanced; this says so instead of hiding it.
   */
  private String autoZone(String id, int ordinal) {
    Map<String, Integer> perZone = new TreeMap<>();
    finalNodes.stream().filter(n -> n.state().placeable()).forEach(n -> perZone.merge(n.zone(), 1, Integer::sum));
    List<String> candidates = new ArrayList<>(perZone.keySet());
    candidates.sort((a, b) -> perZone.get(a) != perZone.get(b).intValue() ? perZone.get(a) - perZone.get(b)
        : a.compareTo(b));
    String fresh = freshZone();
    candidates.add(fresh);
    String best = null;
    int bestDev = Integer.MAX_VALUE;
    StringBuilder tried = new StringBuilder();
    for (String z : candidates) {
      List<NodeInfo> trial = new ArrayList<>(finalNodes);
      trial.add(new NodeInfo(id, z, ordinal, NodeState.UP));
      RebalancePlan p = Rebalancer.compute(before, trial, rf);
      int dev = PlacementStats.of(p.target(), trial, rf).maxDeviation();
      tried.append(tried.length() == 0 ? "" : ", ").append(z).append(z.equals(fresh) ? "(new)" : "")
          .append(" -> max_dev ").append(dev);
      if (dev < bestDev) {
        best = z;
        bestDev = dev;
      }
    }
    notes.add("join " + id + " zone=" + best + (best.equals(fresh) ? " (new zone)" : "") + "  [--add-zone auto tried: "
        + tried + "]");
    return best;
  }

  private String freshZone() {
    for (int i = 0; ; i++) {
      String z = "z" + i;
      if (finalNodes.stream().noneMatch(n -> n.zone().equals(z))) {
        return z;
      }
    }
  }

  private static int liveCount(ShardAssignment a, Map<String, Boolean> live) {
    int c = 0;
    for (String id : a.replicas()) {
      c += Boolean.TRUE.equals(live.get(id)) ? 1 : 0;
    }
    return c;
  }
}
