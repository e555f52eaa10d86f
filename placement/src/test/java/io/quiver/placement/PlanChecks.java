package io.quiver.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** Invariant checks shared by the example tests and the property tests. */
final class PlanChecks {
  private PlanChecks() {}

  /**
   * Replays {@code plan} from {@code current}: every move is valid when it runs, no shard ever has fewer than
   * {@code min(rf - 1, live replicas before the plan)} live replicas, and the end state equals the target.
   */
  static void replaysSafely(PlacementMap current, List<NodeInfo> nodes, int rf, RebalancePlan plan) {
    Map<String, NodeState> states = new HashMap<>();
    nodes.forEach(n -> states.put(n.id(), n.state()));
    int[] floor = new int[current.shardCount()];
    for (ShardAssignment a : current.shards()) {
      floor[a.shard()] = Math.min(rf - 1, live(a, states));
    }
    PlacementMap m = current;
    for (int step = 0; step < plan.moves().size(); step++) {
      Move move = plan.moves().get(step);
      m = m.apply(move);
      ShardAssignment a = m.shard(move.shard());
      // After the add half of a move the shard has one more member, so checking after the whole move is the
      // tightest point of the step.
      assertThat(live(a, states)).as("live replicas of shard %d after step %d (%s)", move.shard(), step, move)
          .isGreaterThanOrEqualTo(floor[move.shard()]);
    }
    for (int s = 0; s < m.shardCount(); s++) {
      assertThat(new HashSet<>(m.shard(s).replicas())).as("shard %d replicas after the plan", s)
          .isEqualTo(new HashSet<>(plan.target().shard(s).replicas()));
    }
  }

  /** Target keeps the hard rules: RF distinct replicas on placeable nodes, zone rule. */
  static void targetKeepsHardRules(List<NodeInfo> nodes, int rf, RebalancePlan plan) {
    PlacementStats stats = PlacementStats.of(plan.target(), nodes, rf);
    assertThat(plan.unresolved()).as("unresolved").isEmpty();
    assertThat(stats.misplaced()).as("replicas on non-placeable nodes").isZero();
    assertThat(stats.underReplicated()).as("under-replicated shards").isZero();
    assertThat(stats.zoneViolations()).as("zone violations").isZero();
    for (ShardAssignment a : plan.target().shards()) {
      assertThat(a.replicas()).as("replicas of shard %d", a.shard()).hasSize(rf).doesNotHaveDuplicates();
    }
  }

  /** Whether the placeable nodes' zones all have the same number of nodes (then balance within one is feasible). */
  static boolean evenZones(List<NodeInfo> nodes) {
    Map<String, Integer> perZone = new HashMap<>();
    nodes.stream().filter(n -> n.state().placeable()).forEach(n -> perZone.merge(n.zone(), 1, Integer::sum));
    return new HashSet<>(perZone.values()).size() <= 1;
  }

  private static int live(ShardAssignment a, Map<String, NodeState> states) {
    int live = 0;
    for (String id : a.replicas()) {
      NodeState st = states.get(id);
      live += st != null && st.live() ? 1 : 0;
    }
    return live;
  }
}
