package io.quiver.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How many replicas move when a node joins or leaves; prints planned against minimal moves. */
class DisplacementTest {
  private static final int SHARDS = 64;
  private static final int RF = 3;

  @ParameterizedTest(name = "zones={0}")
  @CsvSource({"1", "3"})
  void shouldMoveAtMostTheNewNodesShareWhenAddingANode(int zones) {
    for (int n = 3; n <= 10; n++) {
      List<NodeInfo> nodes = Clusters.nodes(n, zones);
      PlacementMap before = Placement.initial(SHARDS, RF, nodes);
      List<NodeInfo> grown = Clusters.plus(nodes, Clusters.node(n, zones));
      RebalancePlan plan = Rebalancer.compute(before, grown, RF);
      PlacementStats after = PlacementStats.of(plan.target(), grown, RF);
      int bound = ceilDiv(SHARDS * RF, n + 1) + n;
      System.out.printf("add: zones=%d n=%2d -> %2d  moves=%3d minimal=%3d bound=%3d max_dev=%d leader_dev=%d"
          + " new_node=%d%n", zones, n, n + 1, plan.moves().size(), plan.minimalMoves(), bound,
          after.maxDeviation(), after.leaderMaxDeviation(), after.replicaCounts().get("n" + n));
      assertThat(plan.moves().size()).isLessThanOrEqualTo(bound);
      String newNode = "n" + n;
      assertThat(plan.moves()).allMatch(m -> newNode.equals(m.toNode()), "every move goes to the new node");
      PlanChecks.replaysSafely(before, grown, RF, plan);
      PlanChecks.targetKeepsHardRules(grown, RF, plan);
      if (PlanChecks.evenZones(grown)) {
        assertThat(after.maxDeviation()).isLessThanOrEqualTo(1);
        assertThat(plan.moves().size()).isLessThanOrEqualTo(plan.minimalMoves() + n);
      }
    }
  }

  @ParameterizedTest(name = "zones={0} state={1}")
  @CsvSource({"1, DRAINING", "1, DOWN", "1, REMOVED", "2, DRAINING", "3, DOWN"})
  void shouldMoveOnlyTheLeavingNodesReplicasPlusRebalancingWhenRemovingANode(int zones, NodeState state) {
    for (int n = 4; n <= 11; n++) {
      List<NodeInfo> nodes = Clusters.nodes(n, zones);
      PlacementMap before = Placement.initial(SHARDS, RF, nodes);
      String leaving = "n" + (n / 2);
      List<NodeInfo> shrunk = Clusters.withState(nodes, leaving, state);
      RebalancePlan plan = Rebalancer.compute(before, shrunk, RF);
      PlacementStats after = PlacementStats.of(plan.target(), shrunk, RF);
      int held = before.replicaCounts().get(leaving);
      long offLeaving = plan.moves().stream().filter(m -> leaving.equals(m.fromNode())).count();
      System.out.printf("remove: zones=%d %-8s %s of %2d  moves=%3d minimal=%3d held=%3d bound=%3d max_dev=%d%n",
          zones, state, leaving, n, plan.moves().size(), plan.minimalMoves(), held, held + n,
          after.maxDeviation());
      assertThat(offLeaving).isEqualTo(held);
      assertThat(plan.moves().subList(0, held)).allMatch(m -> leaving.equals(m.fromNode()),
          "moves off the leaving node come first");
      if (zones == 1 || zones >= RF) {
        // With 1 < zones < RF the zone cap can force extra moves that no plan avoids: e.g. 2 zones, RF 3, a node
        // of the smaller zone leaves, and every shard that kept two replicas in that zone must now give one up
        // (the cap of 2 per zone means each shard needs one replica there, and balance allows no more). Those
        // are printed, not bounded here.
        assertThat(plan.moves().size()).isLessThanOrEqualTo(held + n);
      }
      PlanChecks.replaysSafely(before, shrunk, RF, plan);
      PlanChecks.targetKeepsHardRules(shrunk, RF, plan);
      if (PlanChecks.evenZones(shrunk)) {
        assertThat(after.maxDeviation()).isLessThanOrEqualTo(1);
      }
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
