package io.quiver.raft.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.WriteBatch;
import io.quiver.index.Labels;
import io.quiver.raft.ClusterFixture;
import io.quiver.raft.RouterWriter;
import io.quiver.raft.ClusterView;
import io.quiver.raft.GroupIds;
import io.quiver.raft.RaftException;
import io.quiver.raft.RaftNode;
import io.quiver.raft.ShardStateMachineFactory;
import io.quiver.raft.shard.Consistency;
import io.quiver.raft.shard.FileShardData;
import io.quiver.raft.shard.ShardLogCodec;
import io.quiver.raft.shard.ShardStateMachine;
import io.quiver.raft.shard.ShardStateMachineContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.statemachine.StateMachine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The router and the shard state machine on raft-control's full in-process cluster ({@link ClusterFixture}: real
 * RaftNodes with the metadata group; the router's view comes from {@code RaftNode.clusterView()}).
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ShardRouterClusterTest {
  private static final int SHARDS = 4;
  private final ExecutorService queryExecutor = Executors.newFixedThreadPool(2);
  private ClusterFixture cluster;
  private ShardRouter router;

  @AfterEach
  void tearDown() {
    if (router != null) {
      router.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    queryExecutor.shutdownNow();
  }

  private void start() throws Exception {
    cluster = ClusterFixture.builder().nodes(3).shards(SHARDS).replicationFactor(3)
        .shardFactory((nodeId, dataDir) -> factory()).start();
    router = new ShardRouter(ShardRouterConfig.defaults(ShardRouterTest.clientProperties()).withWriteTimeoutMs(8_000),
        () -> cluster.anyNode().clusterView());
  }

  private ShardStateMachineFactory factory() {
    ShardStateMachineContext ctx = new ShardStateMachineContext("test", FileShardData.opener(), queryExecutor,
        ShardStateMachineContext.DEFAULT_MAX_ENTRY_BYTES, 5_000);
    return new ShardStateMachineFactory() {
      @Override
      public StateMachine create(int shard, RaftGroupId groupId) {
        return new ShardStateMachine(shard, ctx);
      }

      @Override
      public byte[] fenceEntry(int shard, long epoch) {
        return ShardLogCodec.encodeFence(epoch);
      }
    };
  }

  private static WriteBatch batch(long id) {
    List<SeriesSamples> out = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      out.add(SeriesSamples.of(Labels.of("__name__", "w", "s", Integer.toString(i)), id, id * 1000 + i));
    }
    return new WriteBatch(out);
  }

  private FileShardData linearizable(String node, int shard) {
    return cluster.await("linearizable read of shard " + shard + " on " + node, Duration.ofSeconds(45), () -> {
      RaftNode n = cluster.node(node);
      try {
        ShardStateMachine sm = (ShardStateMachine) n.ratisServer().getDivision(GroupIds.shard("test", shard))
            .getStateMachine();
        return (FileShardData) sm.readBarrier(Consistency.LINEARIZABLE, 0).get(15, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RaftException re && re.retryable()) {
          return null;
        }
        throw new AssertionError(e);
      } catch (Exception e) {
        return null;
      }
    });
  }

  /** Every acknowledged batch is present on every replica of every shard (linearizable read on each replica). */
  private void assertAllPresent(List<Long> acknowledged) {
    ClusterView v = router.view().join();
    for (int shard = 0; shard < SHARDS; shard++) {
      for (String node : v.shard(shard).replicas()) {
        FileShardData d = linearizable(node, shard);
        for (long id : acknowledged) {
          for (SeriesSamples s : batch(id).series()) {
            if (router.shardOf(s.labels()) == shard) {
              assertThat(d.get(s.labels(), id)).as("batch %s series %s on %s", id, s.labels(), node)
                  .isEqualTo(s.valueBits()[0]);
            }
          }
        }
      }
    }
  }

  // This test used to fail now and then (2 of 18 runs; 30 of 30 passed after the fix): after the full restart a
  // follower's linearizable read of one shard never completed, its applied index one behind the others. Cause: Ratis'
  // composed follower appends acknowledged an entry they never wrote (docs/design/raft-groups.md, "Ratis behaviours
  // this design works around"; ComposedAppendDropsEntriesTest). RaftPropertiesFactory turns them off.
  @Test
  void shouldResumeWritesAfterKillingAShardLeaderAndKeepEveryAcknowledgedWriteAcrossFullRestart()
      throws Exception {
    start();
    List<Long> acknowledged = new ArrayList<>();
    for (long id = 1; id <= 20; id++) {
      WriteResult r = router.write(batch(id)).get(30, TimeUnit.SECONDS);
      assertThat(r.allCommitted()).as("%s", r).isTrue();
      assertThat(r.outcomes()).hasSize(SHARDS);
      acknowledged.add(id);
    }
    assertAllPresent(acknowledged); // writes through the router are readable linearizably from every replica

    // Kill the leader of shard 0 while a writer keeps going.
    String victim = cluster.await("leader of shard 0", Duration.ofSeconds(30), () -> cluster.shardLeader(0));
    RouterWriter writer = new RouterWriter(router, 100, ShardRouterClusterTest::batch);
    Map<Long, WriteResult> results = writer.results();
    cluster.await("writer running", Duration.ofSeconds(30), () -> results.size() >= 3);
    long killedAt = System.nanoTime();
    int killedIds = (int) writer.nextId();
    cluster.kill(cluster.slot(victim));
    cluster.await("shard 0 commits again after the leader kill", Duration.ofSeconds(60), () ->
        results.entrySet().stream().anyMatch(e -> e.getKey() > killedIds + 1 && e.getValue().outcomes().stream()
            .anyMatch(o -> o.shard() == 0 && o.committed())));
    long failoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
    System.out.println("shard 0 writable again " + failoverMs + " ms after killing its leader " + victim);
    long target = writer.nextId() + 5;
    cluster.await("a few more writes", Duration.ofSeconds(60), () -> writer.nextId() > target);
    writer.close();
    results.forEach((id, r) -> {
      if (r.allCommitted() && !r.outcomes().isEmpty()) {
        acknowledged.add(id);
      }
      r.outcomes().forEach(o -> assertThat(o.status()).as("%s", o).isNotEqualTo(ShardOutcome.Status.FAILED));
    });
    assertThat(acknowledged.size()).isGreaterThan(25);

    // Restart every node (the killed one included): all acknowledged data is back on every replica.
    for (int i = 0; i < cluster.size(); i++) {
      cluster.kill(i);
    }
    for (int i = 0; i < cluster.size(); i++) {
      cluster.restart(i);
    }
    cluster.awaitShardLeaders();
    assertAllPresent(acknowledged);
  }
}
