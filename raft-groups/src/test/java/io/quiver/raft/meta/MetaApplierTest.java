package io.quiver.raft.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.raft.ErrorCode;
import io.quiver.raft.NodeAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetaApplierTest {
  private static final NodeAddress N1 = new NodeAddress("n1", "h", 1, 0, 0);
  private static final NodeAddress N2 = new NodeAddress("n2", "h", 2, 0, 0);
  private static final NodeAddress N3 = new NodeAddress("n3", "h", 3, 0, 0);
  private static final NodeAddress N4 = new NodeAddress("n4", "h", 4, 0, 0);

  private long index = 1;
  private ClusterState state = ClusterState.empty();

  private MetaResult apply(MetaCommand c) {
    MetaApplier.Applied a = MetaApplier.apply(state, c, index++);
    state = a.state();
    return a.result();
  }

  private void bootstrap() {
    assertThat(apply(new MetaCommand.Bootstrap("c", "u", 2, 3,
        List.of(spec(N1), spec(N2), spec(N3)), List.of(List.of("n1", "n2", "n3"), List.of("n2", "n3", "n1"))))
        .ok()).isTrue();
  }

  private static MetaCommand.NodeSpec spec(NodeAddress a) {
    return new MetaCommand.NodeSpec(a, "z", "inc-" + a.nodeId());
  }

  @Test
  void shouldLeaveStateAndVersionAloneOnAReadThroughTheLog() {
    bootstrap();
    ClusterState before = state;
    MetaResult r = apply(new MetaCommand.ReadState());
    assertThat(r.ok()).isTrue();
    assertThat(state).isSameAs(before);
    assertThat(r.value()).isEqualTo(before.version());
  }

  @Test
  void shouldAssignJoinOrdinalsFromACounter() {
    bootstrap();
    assertThat(state.node("n3").ordinal()).isEqualTo(2);
    MetaResult r = apply(new MetaCommand.Join(N4, "z", ""));
    assertThat(r.value()).isEqualTo(3);
    assertThat(state.node("n4").state()).isEqualTo(NodeState.JOINING);
    assertThat(apply(new MetaCommand.Bootstrap("c", "u2", 1, 1, List.of(spec(N1)), List.of(List.of("n1"))))
        .code()).isEqualTo(ErrorCode.ALREADY_BOOTSTRAPPED);
  }

  @Test
  void shouldWalkAMoveThroughItsStatesAndBumpTheEpochOnPromotion() {
    bootstrap();
    apply(new MetaCommand.Join(N4, "z", "inc-n4"));
    apply(new MetaCommand.SetNodeState("n4", NodeState.UP));
    long id = apply(new MetaCommand.StartMove(0, "n1", "n4", MoveKind.MANUAL)).value();
    assertThat(apply(new MetaCommand.StartMove(0, "n2", "n4", MoveKind.MANUAL)).code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(state.shouldHost("n4", 0)).isTrue();
    MoveState[] path = {MoveState.PLANNED, MoveState.ADDING, MoveState.CATCHING_UP, MoveState.PROMOTING};
    for (int i = 0; i + 1 < path.length; i++) {
      assertThat(apply(new MetaCommand.AdvanceMove(id, path[i], path[i + 1], "")).ok()).isTrue();
    }
    // A stale transition (compare-and-set on the move state) is rejected.
    assertThat(apply(new MetaCommand.AdvanceMove(id, MoveState.ADDING, MoveState.CATCHING_UP, "")).ok()).isFalse();
    assertThat(apply(new MetaCommand.CancelMove(id)).code()).isEqualTo(ErrorCode.CONFLICT);
    apply(new MetaCommand.AdvanceMove(id, MoveState.PROMOTING, MoveState.REMOVING, ""));
    assertThat(state.shards().get(0).replicas()).containsExactly("n4", "n2", "n3");
    assertThat(state.shards().get(0).epoch()).isEqualTo(2);
    assertThat(state.shouldHost("n1", 0)).isFalse();
    apply(new MetaCommand.AdvanceMove(id, MoveState.REMOVING, MoveState.DONE, ""));
    assertThat(state.activeMoves()).isEmpty();
    assertThat(MoveState.DONE.next()).isEmpty();
  }

  @Test
  void shouldMarkEveryReplicaForRebuildWhenANodeComesBackWithANewIncarnation() {
    bootstrap();
    assertThat(apply(new MetaCommand.SetIncarnation("n2", "inc-n2")).value()).isZero();
    apply(new MetaCommand.SetIncarnation("n2", "wiped"));
    assertThat(state.node("n2").rebuildShards()).containsExactly(0, 1);
    long id = apply(new MetaCommand.StartMove(1, "n2", "n2", MoveKind.REBUILD)).value();
    assertThat(state.node("n2").rebuildShards()).containsExactly(0);
    assertThat(apply(new MetaCommand.CancelMove(id)).code()).isEqualTo(ErrorCode.CONFLICT);
  }

  @Test
  void shouldRefuseToRemoveANodeThatStillHoldsReplicas() {
    bootstrap();
    apply(new MetaCommand.SetNodeState("n3", NodeState.DRAINING));
    assertThat(apply(new MetaCommand.SetNodeState("n3", NodeState.REMOVED)).code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(apply(new MetaCommand.SetNodeState("n9", NodeState.UP)).code()).isEqualTo(ErrorCode.NODE_NOT_FOUND);
  }

  @Test
  void shouldBeDeterministic() {
    ClusterState a = MetaCodecTest.applyAll(MetaCodecTest.sampleCommands());
    ClusterState b = MetaCodecTest.applyAll(MetaCodecTest.sampleCommands());
    assertThat(MetaCodec.encode(a)).isEqualTo(MetaCodec.encode(b));
  }
}
