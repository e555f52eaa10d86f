package io.quiver.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.raft.meta.ClusterState;
import io.quiver.raft.meta.MoveRecord;
import io.quiver.raft.meta.MoveState;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MoveResumeTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  // Replacing the killed coordinator's replicas is another test's subject: with the fast-test 4 s delay it could put
  // the move's source back on the shard before the assertions below look (that was this test's flakiness).
  private static final RaftNodeConfig.Timeouts NO_REPLACEMENT =
      RaftNodeConfig.Timeouts.fastTest().withDown(Duration.ofSeconds(3), Duration.ofMinutes(30));

  @Test
  void shouldResumeAMoveAfterTheCoordinatorIsKilledMidway() throws Exception {
    try (ClusterFixture c = ClusterFixture.builder().nodes(4).shards(4).replicationFactor(3).timeouts(NO_REPLACEMENT)
        .start()) {
      String coordinator = c.awaitMetadataLeader();
      ClusterState s = c.state();
      int shard = -1;
      String to = null;
      for (var row : s.shards()) {
        String missing = s.nodes().keySet().stream().filter(id -> !row.replicas().contains(id)).findFirst()
            .orElseThrow();
        if (!missing.equals(coordinator)) {
          shard = row.shard();
          to = missing;
          break;
        }
      }
      assertThat(shard).as("a shard whose free node is not the coordinator").isNotNegative();
      int movedShard = shard;
      String from = s.shards().get(shard).replicas().stream().filter(id -> !id.equals(coordinator)).findFirst()
          .orElseThrow();
      try (ShardWriter writer = new ShardWriter(c, shard, "r")) {
        c.await("writes", TIMEOUT, () -> writer.ackedCount() >= 150);
      }
      long moveId = c.anyNode().admin().moveShard(shard, from, to).get(30, TimeUnit.SECONDS);
      MoveState atKill = c.await("move under way", TIMEOUT, () -> {
        MoveRecord m = c.node(coordinator).lastKnownState().moves().get(moveId);
        return m != null && m.state() != MoveState.PLANNED ? m.state() : null;
      });
      c.kill(c.slot(coordinator));
      assertThat(atKill.terminal()).as("killed before the move finished").isFalse();

      MoveRecord done = c.await("move finished by the new coordinator", TIMEOUT, () -> {
        MoveRecord m = c.state().moves().get(moveId);
        return m != null && m.state().terminal() ? m : null;
      });
      assertThat(done.state()).as(c.describe()).isEqualTo(MoveState.DONE);
      ClusterState after = c.state();
      assertThat(after.shards().get(movedShard).replicas()).contains(to).doesNotContain(from);
      String source = from;
      c.await("source group removed", TIMEOUT, () -> !c.node(source).contains(c.shardGroup(movedShard)));
      assertThat(c.metadataLeader()).isNotEqualTo(coordinator);
    }
  }
}
