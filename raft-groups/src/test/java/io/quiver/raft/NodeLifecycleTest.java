package io.quiver.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.raft.meta.ClusterState;
import io.quiver.raft.meta.MoveKind;
import io.quiver.raft.meta.MoveRecord;
import io.quiver.raft.meta.MoveState;
import io.quiver.raft.meta.NodeState;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Node lifecycle on a real in-process cluster: a decommissioned node drains while writes flow and ends REMOVED, and a
 * node that stays down past {@code replaceAfter} has its replicas re-created on the others. Both end with every shard
 * at full replication, on live nodes only, and every acknowledged write on every replica.
 */
class NodeLifecycleTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @Test
  void shouldDrainADecommissionedNodeWhileWritesFlowAndThenRemoveIt() throws Exception {
    try (ClusterFixture c = ClusterFixture.builder().nodes(4).shards(4).replicationFactor(3).start()) {
      String coordinator = c.awaitMetadataLeader();
      ClusterState before = c.state();
      // Decommission a node that is not the coordinator and holds at least one replica we write to.
      String leaving = before.nodes().keySet().stream()
          .filter(id -> !id.equals(coordinator) && !before.shardsOn(id).isEmpty()).findFirst().orElseThrow();
      int shard = before.shardsOn(leaving).get(0);
      List<String> acked;
      try (ShardWriter writer = new ShardWriter(c, shard, "d")) {
        c.await("writes before the decommission", TIMEOUT, () -> writer.ackedCount() >= 50);
        c.node(coordinator).admin().decommission(leaving).get(30, TimeUnit.SECONDS);
        c.await("node removed", TIMEOUT, () -> c.state().node(leaving).state() == NodeState.REMOVED);
        int atRemoval = writer.ackedCount();
        c.await("writes after the removal", TIMEOUT, () -> writer.ackedCount() >= atRemoval + 20);
        writer.close();
        assertThat(writer.failed()).as("writes that exhausted %d attempts", ShardWriter.MAX_ATTEMPTS).isZero();
        acked = writer.acked();
      }

      ClusterState after = c.awaitNoActiveMoves(TIMEOUT);
      assertThat(after.shardsOn(leaving)).as(c.describe()).isEmpty();
      for (var row : after.shards()) {
        assertThat(row.replicas()).as("shard %d", row.shard()).hasSize(3).doesNotContain(leaving);
      }
      Set<MoveKind> kinds = new HashSet<>();
      for (MoveRecord m : after.moves().values()) {
        if (m.from().equals(leaving)) {
          assertThat(m.state()).as("move %d", m.id()).isEqualTo(MoveState.DONE);
          kinds.add(m.kind());
        }
      }
      assertThat(kinds).as("moves off the draining node").containsExactly(MoveKind.DRAIN);
      c.await("removed node hosts no shard group", TIMEOUT, () -> {
        for (int s = 0; s < after.shardCount(); s++) {
          if (c.node(leaving).contains(c.shardGroup(s))) {
            return false;
          }
        }
        return true;
      });
      c.awaitShardLeaders();
      List<String> applied = ShardMoveTest.awaitIdenticalReplicas(c, shard, after.shards().get(shard).replicas());
      assertThat(applied).containsAll(acked);
    }
  }

  @Test
  void shouldRecreateTheReplicasOfANodeThatStaysDown() throws Exception {
    // fastTest: DOWN after 3 s of silence, replicas re-created 4 s after that.
    try (ClusterFixture c = ClusterFixture.builder().nodes(4).shards(4).replicationFactor(3).start()) {
      String coordinator = c.awaitMetadataLeader();
      ClusterState before = c.state();
      String victim = before.nodes().keySet().stream()
          .filter(id -> !id.equals(coordinator) && !before.shardsOn(id).isEmpty()).findFirst().orElseThrow();
      List<Integer> lost = before.shardsOn(victim);
      int shard = lost.get(0);
      List<String> acked;
      try (ShardWriter writer = new ShardWriter(c, shard, "k")) {
        c.await("writes before the kill", TIMEOUT, () -> writer.ackedCount() >= 50);
        c.kill(c.slot(victim));
        c.await("node marked down", TIMEOUT, () -> c.state().node(victim).state() == NodeState.DOWN);
        ClusterState replaced = c.await("replicas re-created elsewhere", TIMEOUT, () -> {
          ClusterState s = c.state();
          return s.shardsOn(victim).isEmpty() && s.activeMoves().isEmpty() ? s : null;
        });
        for (var row : replaced.shards()) {
          assertThat(row.replicas()).as("shard %d", row.shard()).hasSize(3).doesNotContain(victim);
        }
        for (MoveRecord m : replaced.moves().values()) {
          if (m.from().equals(victim)) {
            assertThat(m.kind()).isEqualTo(MoveKind.REPLACE);
            assertThat(m.state()).as("move %d", m.id()).isEqualTo(MoveState.DONE);
          }
        }
        int atReplace = writer.ackedCount();
        c.await("writes after the replacement", TIMEOUT, () -> writer.ackedCount() >= atReplace + 20);
        writer.close();
        assertThat(writer.failed()).as("writes that exhausted %d attempts", ShardWriter.MAX_ATTEMPTS).isZero();
        acked = writer.acked();
      }
      ClusterState after = c.state();
      c.awaitShardLeaders();
      List<String> applied = ShardMoveTest.awaitIdenticalReplicas(c, shard, after.shards().get(shard).replicas());
      assertThat(applied).containsAll(acked);
    }
  }
}
