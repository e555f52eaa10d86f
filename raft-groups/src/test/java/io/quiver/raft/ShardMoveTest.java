package io.quiver.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.raft.meta.ClusterState;
import io.quiver.raft.meta.MoveRecord;
import io.quiver.raft.meta.MoveState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.RaftGroupId;
import org.junit.jupiter.api.Test;

class ShardMoveTest {
  private static final Duration MOVE_TIMEOUT = Duration.ofSeconds(90);

  @Test
  void shouldMoveTheLeaderReplicaWhileAWriterRuns() throws Exception {
    try (ClusterFixture c = ClusterFixture.builder().nodes(4).shards(2).replicationFactor(3).start()) {
      int shard = 0;
      ClusterState before = c.state();
      String from = c.await("shard leader", ClusterFixture.DEFAULT_TIMEOUT, () -> c.shardLeader(shard));
      String to = before.nodes().keySet().stream()
          .filter(id -> !before.shards().get(shard).replicas().contains(id)).findFirst().orElseThrow();
      RaftGroupId gid = c.shardGroup(shard);
      Path sourceDir = c.dataDir(c.slot(from)).resolve("raft").resolve(gid.getUuid().toString());
      assertThat(sourceDir).exists();

      long moveId;
      List<String> acked;
      try (ShardWriter writer = new ShardWriter(c, shard, "m")) {
        // Enough entries before the move that the target is seeded by a snapshot (threshold 100 in fastTest).
        c.await("writes before the move", MOVE_TIMEOUT, () -> writer.ackedCount() >= 150);
        moveId = c.anyNode().admin().moveShard(shard, from, to).get(30, TimeUnit.SECONDS);
        MoveRecord done = c.await("move finished", MOVE_TIMEOUT, () -> {
          MoveRecord m = c.state().moves().get(moveId);
          return m != null && m.state().terminal() ? m : null;
        });
        assertThat(done.state()).as(c.describe()).isEqualTo(MoveState.DONE);
        int atDone = writer.ackedCount();
        c.await("writes after the move", MOVE_TIMEOUT, () -> writer.ackedCount() >= atDone + 50);
        writer.close();
        assertThat(writer.failed()).as("writes that exhausted %d attempts", ShardWriter.MAX_ATTEMPTS).isZero();
        acked = writer.acked();
      }

      ClusterState after = c.state();
      assertThat(after.shards().get(shard).replicas()).contains(to).doesNotContain(from);
      assertThat(after.shards().get(shard).epoch()).isEqualTo(before.shards().get(shard).epoch() + 1);
      c.await("source group removed", MOVE_TIMEOUT, () -> !c.node(from).contains(gid) && !Files.exists(sourceDir));
      List<String> expected = awaitIdenticalReplicas(c, shard, after.shards().get(shard).replicas());
      assertThat(expected).containsAll(acked);
    }
  }

  /** Waits until every replica applied the same entries; returns them. */
  static List<String> awaitIdenticalReplicas(ClusterFixture c, int shard, List<String> replicas) {
    RaftGroupId gid = c.shardGroup(shard);
    return c.await("replicas identical", MOVE_TIMEOUT, () -> {
      List<List<String>> all = new ArrayList<>();
      for (String id : replicas) {
        try {
          RaftNode n = c.node(id);
          if (n == null || !n.contains(gid)) {
            return null;
          }
          all.add(((TestShardStateMachine) n.ratisServer().getDivision(gid).getStateMachine()).entries());
        } catch (IOException e) {
          return null;
        }
      }
      return all.stream().distinct().count() == 1 ? all.get(0) : null;
    });
  }
}
