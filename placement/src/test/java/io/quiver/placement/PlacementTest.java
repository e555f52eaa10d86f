package io.quiver.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlacementTest {

  @Test
  void shouldPlaceBalancedDistinctReplicasWithoutZones() {
    List<NodeInfo> nodes = Clusters.nodes(7, 1);
    PlacementMap map = Placement.initial(64, 3, nodes);
    PlacementStats stats = PlacementStats.of(map, nodes, 3);
    System.out.println("initial S=64 RF=3 7 nodes: replicas=" + stats.replicaCounts() + " leaders="
        + stats.leaderCounts());
    assertThat(map.shardCount()).isEqualTo(64);
    map.shards().forEach(a -> assertThat(a.replicas()).hasSize(3).doesNotHaveDuplicates());
    assertThat(stats.maxDeviation()).isLessThanOrEqualTo(1);
    assertThat(stats.leaderMaxDeviation()).isLessThanOrEqualTo(1);
  }

  @Test
  void shouldPutEveryReplicaInADifferentZoneWhenThereAreEnoughZones() {
    List<NodeInfo> nodes = Clusters.nodes(9, 3);
    PlacementMap map = Placement.initial(128, 3, nodes);
    PlacementStats stats = PlacementStats.of(map, nodes, 3);
    System.out.println("initial S=128 RF=3 9 nodes / 3 zones: replicas=" + stats.replicaCounts());
    assertThat(stats.zoneViolations()).isZero();
    assertThat(stats.maxDeviation()).isLessThanOrEqualTo(1);
    assertThat(stats.leaderMaxDeviation()).isLessThanOrEqualTo(1);
    for (ShardAssignment a : map.shards()) {
      assertThat(a.replicas().stream().map(id -> id.substring(1)).map(Integer::parseInt).map(i -> i % 3).distinct())
          .hasSize(3);
    }
  }

  @Test
  void shouldSpreadAsEvenlyAsPossibleWithFewerZonesThanReplicas() {
    List<NodeInfo> nodes = Clusters.nodes(6, 2);
    ZoneRule rule = ZoneRule.of(nodes, 3);
    assertThat(rule.maxPerZone()).isEqualTo(2);
    PlacementMap map = Placement.initial(32, 3, nodes);
    assertThat(PlacementStats.of(map, nodes, 3).zoneViolations()).isZero();
    assertThat(ZoneRule.of(Clusters.nodes(5, 1), 3).maxPerZone()).isEqualTo(3);
    assertThat(ZoneRule.of(Clusters.nodes(4, 4), 3).maxPerZone()).isEqualTo(1);
  }

  @Test
  void shouldBeDeterministicAndSkipNodesThatAreNotPlaceable() {
    List<NodeInfo> nodes = Clusters.withState(Clusters.nodes(6, 1), "n2", NodeState.REMOVED);
    PlacementMap a = Placement.initial(16, 3, nodes);
    assertThat(Placement.initial(16, 3, nodes)).isEqualTo(a);
    assertThat(a.replicaCounts()).doesNotContainKey("n2");
  }

  @Test
  void shouldRejectTooFewNodes() {
    assertThatThrownBy(() -> Placement.initial(16, 3, Clusters.nodes(2, 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
