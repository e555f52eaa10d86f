package io.quiver.raft.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.ShardStore;
import io.quiver.columnar.StoreConfig;
import io.quiver.columnar.StoreStats;
import io.quiver.columnar.WriteBatch;
import io.quiver.index.Labels;
import io.quiver.index.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import io.quiver.raft.RaftException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The shard state machine over the real columnar {@link ShardStore} (via {@link ColumnarShardData}). */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ColumnarShardStateMachineTest {
  private static final long T0 = 1_763_900_000_000L;
  /** Samples per series per entry: 20 series x 25 samples makes ~3 KB entries (several 64 KB log segments). */
  private static final int PER_SERIES = 25;
  private static final long PER_ROUND = 20L * PER_SERIES;
  private static final Selector CPU = Selector.parse("{__name__=\"cpu\"}");

  @TempDir Path tmp;
  private BufferAllocator allocator;
  private ShardTestCluster cluster;

  @AfterEach
  void tearDown() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (allocator != null) {
      allocator.close();
    }
  }

  private static Message batch(int round) {
    List<SeriesSamples> series = new ArrayList<>();
    for (int s = 0; s < 20; s++) {
      long[] ts = new long[PER_SERIES];
      long[] vs = new long[PER_SERIES];
      for (int i = 0; i < PER_SERIES; i++) {
        ts[i] = T0 + (round * (long) PER_SERIES + i) * 15_000;
        vs[i] = Double.doubleToRawLongBits(round + i * 0.5);
      }
      series.add(new SeriesSamples(Labels.of("__name__", "cpu", "host", "h" + s), ts, vs));
    }
    return Message.valueOf(ByteString.copyFrom(ShardLogCodec.encodeWrite(0, new WriteBatch(series))));
  }

  private static void sendAll(RaftClient client, int from, int to) throws Exception {
    List<CompletableFuture<RaftClientReply>> pending = new ArrayList<>();
    for (int r = from; r < to; r++) {
      pending.add(client.async().send(batch(r)));
    }
    for (CompletableFuture<RaftClientReply> f : pending) {
      assertThat(ShardStateMachineTest.reply(f.get(60, TimeUnit.SECONDS)).isOk()).isTrue();
    }
  }

  private ShardStore linearizableStore(String node) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
    while (true) {
      try {
        ShardData d = cluster.sm(node, 0).readBarrier(Consistency.LINEARIZABLE, 0).get(15, TimeUnit.SECONDS);
        return d.unwrap(ShardStore.class);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RaftException re) || !re.retryable() || System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }

  private void assertSamples(String node, long expected) throws Exception {
    ShardStore store = linearizableStore(node);
    assertThat(store).as("columnar store on %s", node).isNotNull();
    assertThat(store.series(CPU)).as("series on %s", node).hasSize(20);
    StoreStats stats = store.stats();
    assertThat(stats.headSamples() + stats.segmentSamples()).as("samples on %s", node).isEqualTo(expected);
  }

  /** Three replicas of shard 0 over real columnar stores; returns the first leader. */
  private String startColumnarShard() throws Exception {
    allocator = new RootAllocator();
    cluster = new ShardTestCluster(tmp, 3, p -> {},
        ColumnarShardData.opener(allocator, StoreConfig.defaults()));
    cluster.startAll();
    cluster.addShard(0);
    return cluster.awaitLeader(0, Duration.ofSeconds(30));
  }

  @Test
  void shouldReplicateRestartAndInstallSnapshotsOfTheColumnarStore() throws Exception {
    String leader = startColumnarShard();
    RaftClient client = cluster.client(0);
    sendAll(client, 0, 60);
    for (String node : cluster.nodes.keySet()) {
      assertSamples(node, 60 * PER_ROUND);
    }

    // Checkpoint every replica, write a tail, restart everything: the tail is replayed onto the checkpoint.
    for (String node : cluster.nodes.keySet()) {
      cluster.snapshot(node, 0);
    }
    sendAll(client, 60, 70);
    for (String node : List.copyOf(cluster.nodes.keySet())) {
      cluster.stop(node);
    }
    cluster.startAll();
    leader = cluster.awaitLeader(0, Duration.ofSeconds(30));
    for (String node : cluster.nodes.keySet()) {
      assertSamples(node, 70 * PER_ROUND);
    }

    // Wipe a follower; it comes back through a leader-sent snapshot of the columnar checkpoint.
    String lead = leader;
    String follower = cluster.nodes.keySet().stream().filter(n -> !n.equals(lead)).findFirst().orElseThrow();
    int port = cluster.nodes.get(follower).port;
    cluster.wipe(follower);
    RaftClient client2 = cluster.client(0);
    sendAll(client2, 70, 140); // enough 64 KB log segments to purge
    // Snapshot (and purge) on both live replicas: leadership may move while the follower is down.
    for (String node : cluster.nodes.keySet()) {
      if (!node.equals(follower)) {
        cluster.snapshot(node, 0);
        // the purge behind a snapshot runs asynchronously in the log worker
        ShardTestCluster.await("log purged on " + node, Duration.ofSeconds(30),
            () -> cluster.division(node, 0).getRaftLog().getStartIndex() > 1);
      }
    }
    cluster.nodes.get(follower).port = port;
    cluster.start(follower);
    cluster.addShardOn(follower, 0);
    ShardTestCluster.await("snapshot installed on " + follower, Duration.ofSeconds(60), () -> {
      try {
        return cluster.sm(follower, 0).getLatestSnapshot() != null;
      } catch (RuntimeException e) {
        return false;
      }
    });
    assertSamples(follower, 140 * PER_ROUND);
  }

  /**
   * A crash in the middle of a catalog commit can leave a replica's MapDB catalog unreadable (MapDB 3.1.0 does not
   * replay its write-ahead log). The replica must come back on its own: the store reopens at its newest checkpoint
   * and Raft replays the log from the snapshot on, so every acknowledged write is there again.
   */
  @Test
  void shouldRecoverAReplicaWhoseCatalogIsUnreadableFromItsCheckpointAndTheLog() throws Exception {
    String leader = startColumnarShard();
    RaftClient client = cluster.client(0);
    sendAll(client, 0, 30);
    String victim = cluster.nodes.keySet().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
    assertSamples(victim, 30 * PER_ROUND);
    cluster.snapshot(victim, 0); // checkpoint at ~30 rounds
    sendAll(client, 30, 50);
    assertSamples(victim, 50 * PER_ROUND);
    linearizableStore(victim).seal(); // live state (segments + catalog) now ahead of the checkpoint
    cluster.stop(victim);

    Path catalog;
    try (var files = Files.walk(cluster.nodes.get(victim).dir)) {
      catalog = files.filter(f -> f.getFileName().toString().equals("catalog.mapdb")).findFirst().orElseThrow();
    }
    Files.write(catalog, new byte[8192]); // what a torn in-place MapDB commit can leave

    sendAll(client, 50, 60); // the other two replicas keep committing meanwhile
    cluster.start(victim); // recovers its groups from storage
    assertSamples(victim, 60 * PER_ROUND); // all 20 series and every sample
  }
}
