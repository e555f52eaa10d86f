package io.quiver.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.WriteBatch;
import io.quiver.index.Labels;
import io.quiver.raft.meta.ClusterState;
import io.quiver.raft.meta.MoveRecord;
import io.quiver.raft.meta.MoveState;
import io.quiver.raft.route.ShardOutcome;
import io.quiver.raft.route.ShardRouter;
import io.quiver.raft.route.ShardRouterConfig;
import io.quiver.raft.route.WriteResult;
import io.quiver.raft.shard.Consistency;
import io.quiver.raft.shard.FileShardData;
import io.quiver.raft.shard.ShardStateMachine;
import io.quiver.raft.shard.ShardStateMachineContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.RaftGroupId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A shard move with raft-data's router and shard state machine writing throughout. */
class ShardRouterMoveTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private final ExecutorService queryExecutor = Executors.newFixedThreadPool(2);

  @AfterEach
  void tearDown() {
    queryExecutor.shutdownNow();
  }

  private ShardStateMachineFactory factory() {
    return ShardStateMachineFactory.of(new ShardStateMachineContext("test", FileShardData.opener(), queryExecutor,
        ShardStateMachineContext.DEFAULT_MAX_ENTRY_BYTES, 5_000));
  }

  private static WriteBatch batch(long id) {
    List<SeriesSamples> out = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      out.add(SeriesSamples.of(Labels.of("__name__", "mv", "s", Integer.toString(i)), id, id * 1000 + i));
    }
    return new WriteBatch(out);
  }

  @Test
  void shouldMoveAShardWithZeroFailedRouterWrites() throws Exception {
    try (ClusterFixture c = ClusterFixture.builder().nodes(4).shards(2).replicationFactor(3)
            .shardFactory((id, dir) -> factory()).start();
        ShardRouter router = new ShardRouter(
            ShardRouterConfig.defaults(RaftPropertiesFactory.adminClient(c.anyNode().config()))
                .withWriteTimeoutMs(20_000),
            () -> c.anyNode().clusterView())) {
      int shard = 0;
      ClusterState before = c.state();
      String from = c.await("leader of shard 0", TIMEOUT, () -> c.shardLeader(shard));
      String to = before.nodes().keySet().stream()
          .filter(id -> !before.shards().get(shard).replicas().contains(id)).findFirst().orElseThrow();
      RaftGroupId gid = c.shardGroup(shard);
      Path sourceDir = c.dataDir(c.slot(from)).resolve("raft").resolve(gid.getUuid().toString());

      Map<Long, WriteResult> results;
      try (RouterWriter writer = new RouterWriter(router, 1, ShardRouterMoveTest::batch)) {
        results = writer.results();
        c.await("writes before the move", TIMEOUT, () -> results.size() >= 30);
        long moveId = c.anyNode().admin().moveShard(shard, from, to).get(30, TimeUnit.SECONDS);
        MoveRecord done = c.await("move finished", TIMEOUT, () -> {
          MoveRecord m = c.state().moves().get(moveId);
          return m != null && m.state().terminal() ? m : null;
        });
        assertThat(done.state()).as(c.describe()).isEqualTo(MoveState.DONE);
        long after = writer.nextId() + 20;
        c.await("writes after the move", TIMEOUT, () -> writer.nextId() > after);
      }
      List<Long> acknowledged = new ArrayList<>();
      results.forEach((id, r) -> {
        assertThat(r.outcomes()).as("write %d", id).isNotEmpty();
        r.outcomes().forEach(o -> assertThat(o.status()).as("write %d: %s", id, o)
            .isEqualTo(ShardOutcome.Status.COMMITTED));
        acknowledged.add(id);
      });

      ClusterState s = c.state();
      assertThat(s.shards().get(shard).replicas()).contains(to).doesNotContain(from);
      c.await("source group and directory removed", TIMEOUT,
          () -> !c.node(from).contains(gid) && !Files.exists(sourceDir));
      for (String node : s.shards().get(shard).replicas()) {
        FileShardData d = c.await("linearizable read on " + node, TIMEOUT, () -> {
          try {
            ShardStateMachine sm = (ShardStateMachine) c.node(node).ratisServer().getDivision(gid).getStateMachine();
            return (FileShardData) sm.readBarrier(Consistency.LINEARIZABLE, 0).get(15, TimeUnit.SECONDS);
          } catch (Exception e) {
            return null;
          }
        });
        for (long id : acknowledged) {
          for (SeriesSamples ss : batch(id).series()) {
            if (router.shardOf(ss.labels()) == shard) {
              assertThat(d.get(ss.labels(), id)).as("write %d on %s", id, node).isEqualTo(ss.valueBits()[0]);
            }
          }
        }
      }
    }
  }
}
