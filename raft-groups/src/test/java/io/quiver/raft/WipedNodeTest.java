package io.quiver.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.raft.meta.ClusterState;
import io.quiver.raft.meta.MoveKind;
import io.quiver.raft.meta.MoveState;
import io.quiver.raft.meta.NodeState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WipedNodeTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @Test
  void shouldRebuildAWipedNodeAsANewReplicaBySnapshot() throws Exception {
    try (ClusterFixture c = ClusterFixture.builder().nodes(3).shards(2).replicationFactor(3).start()) {
      List<String> acked;
      String victim = c.nodeId(2);
      try (ShardWriter writer = new ShardWriter(c, 0, "pre")) {
        c.await("writes", TIMEOUT, () -> writer.ackedCount() >= 150);
        // The victim leads shard 0 when it is wiped, so the last leader every Ratis client in this JVM saw for the
        // shard (RaftClientImpl's JVM-wide leader cache) is a node that will no longer host the group. That made
        // every rebuild setConfiguration fail on GroupMismatchException (no client fail-over) until the deadline.
        List<NodeAddress> replicas = c.view().shard(0).replicas().stream().map(id -> c.view().nodes().get(id))
            .toList();
        c.await("victim leads shard 0", TIMEOUT, () -> {
          if (!victim.equals(c.shardLeader(0))) {
            try {
              c.anyNode().ops().transferLeadership(c.shardGroup(0), replicas, victim, 5_000);
            } catch (RaftException e) {
              return false;
            }
          }
          return victim.equals(c.shardLeader(0));
        });
        int ackedBefore = writer.ackedCount();
        c.await("writes acknowledged by the victim as leader", TIMEOUT,
            () -> writer.ackedCount() >= ackedBefore + 20 && victim.equals(c.shardLeader(0)));
        writer.close();
        acked = writer.acked();
      }
      ClusterState before = c.state();
      String oldIncarnation = c.node(2).incarnation();
      c.wipe(2);
      RaftNode reborn = c.restart(2);
      assertThat(reborn.incarnation()).isNotEqualTo(oldIncarnation);
      assertThat(reborn.ratisServer().getGroupIds()).isEmpty();

      ClusterState after = c.await("replicas rebuilt", TIMEOUT, () -> {
        ClusterState s = c.state();
        var n = s.node(victim);
        boolean rebuilt = n.incarnation().equals(reborn.incarnation()) && n.state() == NodeState.UP
            && n.rebuildShards().isEmpty() && s.activeMoves().isEmpty()
            && s.moves().values().stream().filter(m -> m.kind() == MoveKind.REBUILD).count() == 2;
        return rebuilt ? s : null;
      });
      assertThat(after.moves().values()).filteredOn(m -> m.kind() == MoveKind.REBUILD)
          .allMatch(m -> m.state() == MoveState.DONE && m.from().equals(victim));
      for (int shard = 0; shard < 2; shard++) {
        assertThat(after.shards().get(shard).replicas()).contains(victim);
        assertThat(after.shards().get(shard).epoch()).isGreaterThan(before.shards().get(shard).epoch());
      }
      List<String> entries = ShardMoveTest.awaitIdenticalReplicas(c, 0, after.shards().get(0).replicas());
      assertThat(entries).containsAll(acked);
      c.await("wiped node back in the metadata group", TIMEOUT, () -> reborn.contains(reborn.metadataGroupId()));
      c.awaitShardLeaders();
    }
  }
}
