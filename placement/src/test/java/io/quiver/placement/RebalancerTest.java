package io.quiver.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.placement.internal.MoveCompactor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RebalancerTest {
  private static final int RF = 3;

  @Test
  void shouldPlanNothingForABalancedMap() {
    List<NodeInfo> nodes = Clusters.nodes(5, 1);
    PlacementMap map = Placement.initial(32, RF, nodes);
    RebalancePlan plan = Rebalancer.compute(map, nodes, RF);
    assertThat(plan.moves()).isEmpty();
    assertThat(plan.minimalMoves()).isZero();
  }

  @Test
  void shouldLeavePinnedShardsAloneWhenBalancing() {
    List<NodeInfo> nodes = Clusters.nodes(4, 1);
    PlacementMap map = pin(Placement.initial(16, RF, nodes), 0, 1, 2, 3, 4, 5, 6, 7);
    List<NodeInfo> grown = Clusters.plus(nodes, Clusters.node(4, 1));
    RebalancePlan plan = Rebalancer.compute(map, grown, RF);
    assertThat(plan.moves()).isNotEmpty().allMatch(m -> m.shard() >= 8);
    PlanChecks.replaysSafely(map, grown, RF, plan);
    for (int s = 0; s < 8; s++) {
      assertThat(plan.target().shard(s)).isEqualTo(map.shard(s));
    }
  }

  @Test
  void shouldMovePinnedReplicasOffRemovedNodes() {
    List<NodeInfo> nodes = Clusters.nodes(5, 1);
    PlacementMap map = pin(Placement.initial(8, RF, nodes), 0);
    String victim = map.shard(0).replicas().get(1);
    List<NodeInfo> after = Clusters.withState(nodes, victim, NodeState.REMOVED);
    RebalancePlan plan = Rebalancer.compute(map, after, RF);
    assertThat(plan.moves()).anyMatch(m -> m.shard() == 0 && victim.equals(m.fromNode()));
    assertThat(plan.target().shard(0).pinned()).isTrue();
    PlanChecks.targetKeepsHardRules(after, RF, plan);
  }

  @Test
  void shouldRepairTheShardWithTheFewestLiveReplicasFirst() {
    List<NodeInfo> nodes = Clusters.nodes(6, 1);
    List<ShardAssignment> rows = new ArrayList<>();
    rows.add(ShardAssignment.of(0, List.of("n0", "n2", "n3")));
    rows.add(ShardAssignment.of(1, List.of("n0", "n1", "n4")));
    rows.add(ShardAssignment.of(2, List.of("n3", "n4", "n5")));
    PlacementMap map = new PlacementMap(rows);
    List<NodeInfo> after = Clusters.withState(Clusters.withState(nodes, "n0", NodeState.DOWN), "n1", NodeState.DOWN);
    RebalancePlan plan = Rebalancer.compute(map, after, RF);
    System.out.println("two nodes down: " + plan.moves());
    assertThat(plan.moves().get(0).shard()).as("shard 1 has one live replica left").isEqualTo(1);
    assertThat(plan.moves().get(1).shard()).isEqualTo(1);
    PlanChecks.replaysSafely(map, after, RF, plan);
    PlanChecks.targetKeepsHardRules(after, RF, plan);
  }

  @Test
  void shouldMoveOffDrainingNodesBeforeBalancingOntoANewNode() {
    List<NodeInfo> nodes = Clusters.nodes(5, 1);
    PlacementMap map = Placement.initial(32, RF, nodes);
    List<NodeInfo> after = Clusters.plus(Clusters.withState(nodes, "n1", NodeState.DRAINING),
        Clusters.node(5, 1));
    RebalancePlan plan = Rebalancer.compute(map, after, RF);
    int held = map.replicaCounts().get("n1");
    assertThat(plan.moves().subList(0, held)).allMatch(m -> "n1".equals(m.fromNode()));
    assertThat(plan.moves()).hasSizeLessThanOrEqualTo(plan.minimalMoves() + 5);
    PlanChecks.replaysSafely(map, after, RF, plan);
    PlanChecks.targetKeepsHardRules(after, RF, plan);
    assertThat(PlacementStats.of(plan.target(), after, RF).maxDeviation()).isLessThanOrEqualTo(1);
  }

  @Test
  void shouldAddMissingReplicasDropSurplusOnesAndForgetUnknownNodes() {
    List<NodeInfo> nodes = Clusters.nodes(5, 1);
    List<ShardAssignment> rows = new ArrayList<>();
    rows.add(ShardAssignment.of(0, List.of("n0", "n1")));
    rows.add(ShardAssignment.of(1, List.of("n0", "n1", "n2", "n3")));
    rows.add(ShardAssignment.of(2, List.of("ghost", "n3", "n4")));
    PlacementMap map = new PlacementMap(rows);
    RebalancePlan plan = Rebalancer.compute(map, nodes, RF);
    assertThat(plan.moves()).anyMatch(m -> m.shard() == 0 && m.isAdd());
    assertThat(plan.moves()).anyMatch(m -> m.shard() == 1 && m.isRemove());
    assertThat(plan.moves()).anyMatch(m -> m.shard() == 2 && "ghost".equals(m.fromNode()));
    PlanChecks.replaysSafely(map, nodes, RF, plan);
    PlanChecks.targetKeepsHardRules(nodes, RF, plan);
  }

  @Test
  void shouldFixZoneViolations() {
    List<NodeInfo> nodes = Clusters.nodes(6, 3);
    PlacementMap map = new PlacementMap(List.of(ShardAssignment.of(0, List.of("n0", "n3", "n1")),
        ShardAssignment.of(1, List.of("n2", "n4", "n3"))));
    assertThat(PlacementStats.of(map, nodes, RF).zoneViolations()).isEqualTo(1);
    RebalancePlan plan = Rebalancer.compute(map, nodes, RF);
    assertThat(plan.minimalMoves()).isGreaterThanOrEqualTo(1);
    PlanChecks.replaysSafely(map, nodes, RF, plan);
    PlanChecks.targetKeepsHardRules(nodes, RF, plan);
  }

  @Test
  void shouldReportWhatItCannotFix() {
    List<NodeInfo> nodes = Clusters.nodes(3, 1);
    PlacementMap map = Placement.initial(4, RF, nodes);
    RebalancePlan plan = Rebalancer.compute(map, Clusters.withState(nodes, "n2", NodeState.DRAINING), RF);
    assertThat(plan.moves()).isEmpty();
    assertThat(plan.unresolved()).hasSize(4).allMatch(s -> s.startsWith("no target to drain to"));
  }

  @Test
  void shouldCompactChainsThatMoveTheSameReplicaTwice() {
    List<Move> moves = List.of(new Move(0, "a", "b"), new Move(1, "x", "y"), new Move(0, "b", "c"),
        new Move(2, "p", "q"), new Move(2, "q", "p"), new Move(3, null, "a"), new Move(3, "a", "b"),
        new Move(4, "a", "b"), new Move(4, "c", "d"), new Move(4, "b", "e"));
    assertThat(MoveCompactor.compact(moves)).containsExactly(new Move(0, "a", "c"), new Move(1, "x", "y"),
        new Move(3, null, "b"), new Move(4, "a", "b"), new Move(4, "c", "d"), new Move(4, "b", "e"));
  }

  private static PlacementMap pin(PlacementMap map, int... shards) {
    List<ShardAssignment> rows = new ArrayList<>(map.shards());
    for (int s : shards) {
      rows.set(s, rows.get(s).withPinned(true));
    }
    return new PlacementMap(rows);
  }
}
