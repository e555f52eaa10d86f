package io.quiver.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NodeOrderTest {
  private static final int KEYS = 100_000;

  @Test
  void shouldMoveOnlyTheRemovedNodesKeysWhenANodeInTheMiddleIsRemoved() {
    long seed = TestSeeds.seed("NodeOrderTest.remove", null);
    List<NodeInfo> nodes = Clusters.nodes(8, 1);
    NodeOrder before = NodeOrder.of(nodes);
    NodeOrder after = NodeOrder.of(Clusters.withState(nodes, "n3", NodeState.REMOVED));
    assertThat(after.bucketCount()).isEqualTo(8);
    assertThat(after.isTombstone(3)).isTrue();
    SplittableRandom random = new SplittableRandom(seed);
    int[] movedTo = new int[8];
    int moved = 0;
    for (int i = 0; i < KEYS; i++) {
      long key = random.nextLong();
      NodeInfo a = before.pick(key, n -> true);
      NodeInfo b = after.pick(key, n -> true);
      if (!a.id().equals(b.id())) {
        assertThat(a.id()).as("only keys of the removed node move").isEqualTo("n3");
        movedTo[b.ordinal()]++;
        moved++;
      } else {
        assertThat(a.id()).isNotEqualTo("n3");
      }
    }
    System.out.printf("remove n3 of 8: moved=%d (%.2f%%, ideal 12.5%%) spread over the other nodes=%s%n", moved,
        100.0 * moved / KEYS, java.util.Arrays.toString(movedTo));
    assertThat(moved).isBetween((int) (KEYS * 0.115), (int) (KEYS * 0.135));
    for (int i = 0; i < 8; i++) {
      if (i != 3) {
        assertThat(movedTo[i]).isBetween(moved / 7 * 85 / 100, moved / 7 * 115 / 100);
      }
    }
  }

  @Test
  void shouldMoveAboutOneInNPlusOneKeysWhenANodeJoins() {
    long seed = TestSeeds.seed("NodeOrderTest.join", null);
    List<NodeInfo> nodes = Clusters.withState(Clusters.nodes(6, 1), "n2", NodeState.REMOVED);
    NodeOrder before = NodeOrder.of(nodes);
    NodeOrder after = NodeOrder.of(Clusters.plus(nodes, Clusters.node(6, 1)));
    SplittableRandom random = new SplittableRandom(seed);
    int moved = 0;
    for (int i = 0; i < KEYS; i++) {
      long key = random.nextLong();
      NodeInfo a = before.pick(key, n -> true);
      NodeInfo b = after.pick(key, n -> true);
      if (!a.id().equals(b.id())) {
        assertThat(b.id()).as("keys only move to the new node").isEqualTo("n6");
        moved++;
      }
    }
    System.out.printf("join n6 to 5 live nodes (+1 tombstone): moved=%.2f%% (ideal %.2f%%)%n", 100.0 * moved / KEYS,
        100.0 / 6);
    assertThat(moved).isBetween((int) (KEYS / 6.0 * 0.9), (int) (KEYS / 6.0 * 1.1));
  }

  @Test
  void shouldRejectDuplicateOrdinalsAndIds() {
    assertThatThrownBy(() -> NodeOrder.of(List.of(new NodeInfo("a", "", 0, NodeState.UP),
        new NodeInfo("b", "", 0, NodeState.UP)))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NodeOrder.of(List.of(new NodeInfo("a", "", 0, NodeState.UP),
        new NodeInfo("a", "", 1, NodeState.UP)))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldReturnNullWhenNoNodeIsAcceptable() {
    NodeOrder order = NodeOrder.of(List.of(new NodeInfo("a", "", 0, NodeState.REMOVED)));
    assertThat(order.pick(42, n -> true)).isNull();
  }

  @Test
  void shouldFollowTheNodeStateTransitionTable() {
    assertThat(NodeState.UP.canTransitionTo(NodeState.DRAINING)).isTrue();
    assertThat(NodeState.DRAINING.canTransitionTo(NodeState.REMOVED)).isTrue();
    assertThat(NodeState.REMOVED.canTransitionTo(NodeState.UP)).isFalse();
    assertThat(NodeState.UP.canTransitionTo(NodeState.REMOVED)).isFalse();
    assertThat(NodeState.DRAINING.placeable()).isFalse();
    assertThat(NodeState.DRAINING.live()).isTrue();
    assertThat(NodeState.DOWN.live()).isFalse();
  }
}
