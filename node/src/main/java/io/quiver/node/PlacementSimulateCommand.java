package io.quiver.node;

import io.quiver.placement.Move;
import io.quiver.placement.NodeInfo;
import io.quiver.placement.NodeState;
import io.quiver.placement.PlacementStats;
import io.quiver.placement.ShardFunction;
import io.quiver.placement.ZoneRule;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quiver placement simulate}: places shards on a simulated cluster, adds and removes nodes, plans the
 * rebalance and prints per-node replica and leader counts before and after, then one final line
 * {@code placement moves=<n> minimal=<n> max_dev=<n> zone_violations=<n>}.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = "Simulate placement and the rebalance plan for a node change (offline, no cluster needed).")
final class PlacementSimulateCommand implements Callable<Integer> {

  @Option(names = "--shards", defaultValue = "16", description = "Shard count S, 1..1024 (default ${DEFAULT-VALUE}).")
  int shards;

  @Option(names = "--rf", defaultValue = "3", description = "Replication factor (default ${DEFAULT-VALUE}).")
  int rf;

  @Option(names = "--nodes", defaultValue = "5", description = "Initial nodes (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--zones", defaultValue = "1",
      description = "Zones the initial nodes are spread over, round robin; 1 = no zones (default ${DEFAULT-VALUE}).")
  int zones;

  @Option(names = "--add", defaultValue = "0", description = "Nodes joining (default ${DEFAULT-VALUE}).")
  int add;

  @Option(names = "--add-zone", defaultValue = PlacementSimulation.AUTO,
      description = "Zone of joining nodes, or 'auto': try each existing zone (fewest nodes first) and a new one, "
          + "keep the best balanced (default ${DEFAULT-VALUE}).")
  String addZone;

  @Option(names = "--remove", defaultValue = "0",
      description = "Nodes leaving, taken from the middle of the join order (default ${DEFAULT-VALUE}).")
  int remove;

  @Option(names = "--remove-state", defaultValue = "DRAINING",
      description = "How they leave: DRAINING (decommission), DOWN (failed) or REMOVED (default ${DEFAULT-VALUE}).")
  NodeState removeState;

  @Option(names = "--show-moves", description = "Print every move of the plan.")
  boolean showMoves;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  PrintStream out = System.out;

  @Override
  public Integer call() {
    validate();
    PlacementSimulation sim = new PlacementSimulation(shards, rf);
    sim.start(nodes, zones);
    sim.remove(remove, removeState);
    sim.add(add, addZone, zones > 1);
    sim.plan();
    print(sim);
    return sim.replayMatchesTarget ? 0 : 1;
  }

  private void validate() {
    if (shards < 1 || shards > ShardFunction.MAX_SHARDS || rf < 1 || nodes < rf || zones < 1 || add < 0
        || remove < 0 || remove > nodes) {
      throw new CommandLine.ParameterException(spec.commandLine(), "need 1 <= shards <= 1024, rf >= 1, "
          + "nodes >= rf, zones >= 1, add >= 0, 0 <= remove <= nodes [shards=" + shards + ", rf=" + rf + ", nodes="
          + nodes + ", zones=" + zones + ", add=" + add + ", remove=" + remove + "]");
    }
    if (nodes + add - remove < rf) {
      throw new CommandLine.ParameterException(spec.commandLine(), "fewer than rf nodes would remain [remaining="
          + (nodes + add - remove) + ", rf=" + rf + "]");
    }
  }

  private void print(PlacementSimulation sim) {
    ZoneRule rule = ZoneRule.of(sim.finalNodes, rf);
    out.printf("simulate shards=%d rf=%d nodes=%d zones=%d add=%d remove=%d%n", shards, rf, nodes, zones, add,
        remove);
    sim.notes.forEach(n -> out.println("  " + n));
    out.printf("zone rule after: at most %d replica(s) of a shard per zone (%d zone(s) with placeable nodes)%n",
        rule.maxPerZone(), rule.zoneCount());
    printTable(sim);
    PlacementStats b = sim.beforeStats();
    PlacementStats a = sim.afterStats();
    out.printf("before: max_dev=%d leader_max_dev=%d zone_violations=%d mean=%.2f%n", b.maxDeviation(),
        b.leaderMaxDeviation(), b.zoneViolations(), b.meanReplicas());
    out.printf("after:  max_dev=%d leader_max_dev=%d zone_violations=%d mean=%.2f misplaced=%d under_replicated=%d%n",
        a.maxDeviation(), a.leaderMaxDeviation(), a.zoneViolations(), a.meanReplicas(), a.misplaced(),
        a.underReplicated());
    out.printf("plan: moves=%d lower_bound=%d replay_matches_target=%s min_live_replicas_during_plan=%d%n",
        sim.plan.moves().size(), sim.plan.minimalMoves(), sim.replayMatchesTarget, sim.minLiveDuringPlan);
    sim.plan.unresolved().forEach(u -> out.println("  unresolved: " + u));
    if (showMoves) {
      for (Move m : sim.plan.moves()) {
        out.println("  " + m);
      }
    }
    out.printf("placement moves=%d minimal=%d max_dev=%d zone_violations=%d%n", sim.plan.moves().size(),
        sim.plan.minimalMoves(), a.maxDeviation(), a.zoneViolations());
  }

  private void printTable(PlacementSimulation sim) {
    Map<String, Integer> br = PlacementSimulation.counts(sim.before, sim.initialNodes, false);
    Map<String, Integer> bl = PlacementSimulation.counts(sim.before, sim.initialNodes, true);
    Map<String, Integer> ar = PlacementSimulation.counts(sim.plan.target(), sim.finalNodes, false);
    Map<String, Integer> al = PlacementSimulation.counts(sim.plan.target(), sim.finalNodes, true);
    out.printf("%-6s %-5s %-9s %8s %8s %8s %8s%n", "node", "zone", "state", "before", "leaders", "after", "leaders");
    List<NodeInfo> all = sim.finalNodes;
    for (NodeInfo n : all) {
      boolean existed = br.containsKey(n.id());
      String state = existed ? n.state().toString() : n.state() + "(new)";
      out.printf("%-6s %-5s %-9s %8s %8s %8d %8d%n", n.id(), n.zone().isEmpty() ? "-" : n.zone(), state,
          existed ? br.get(n.id()).toString() : "-", existed ? bl.get(n.id()).toString() : "-", ar.get(n.id()),
          al.get(n.id()));
    }
  }
}
