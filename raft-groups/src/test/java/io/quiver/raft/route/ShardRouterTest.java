package io.quiver.raft.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.WriteBatch;
import io.quiver.index.Labels;
import io.quiver.raft.ClusterView;
import io.quiver.raft.ErrorCode;
import io.quiver.raft.shard.FileShardData;
import io.quiver.raft.shard.ShardLogCodec;
import io.quiver.raft.shard.ShardTestSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Router against raft-data's shard-group harness (views are controlled by the test). */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ShardRouterTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  @TempDir Path tmp;
  private ShardTestSupport cluster;
  private ShardRouter router;

  @AfterEach
  void tearDown() throws Exception {
    if (router != null) {
      router.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A 3-replica cluster holding shard 0 of a one-shard map, and a router over it configured by {@code config}. */
  private void startOneShard(ShardRouterConfig config) throws Exception {
    cluster = ShardTestSupport.start(tmp, 1);
    router = new ShardRouter(config, () -> CompletableFuture.completedFuture(cluster.view(1, 1, 0)));
  }

  static RaftProperties clientProperties() {
    RaftProperties p = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(2, TimeUnit.SECONDS));
    return p;
  }

  static WriteBatch batch(int series, long ts) {
    List<SeriesSamples> out = new ArrayList<>();
    for (int i = 0; i < series; i++) {
      out.add(SeriesSamples.of(Labels.of("__name__", "req", "i", Integer.toString(i)), ts, ts + i));
    }
    return new WriteBatch(out);
  }

  @Test
  void shouldRefreshTheViewOnStaleEpochAndSplitOversizedBatches() throws Exception {
    cluster = ShardTestSupport.start(tmp, 2);
    AtomicReference<ClusterView> current = new AtomicReference<>(cluster.view(2, 1, 0));
    AtomicLong fetches = new AtomicLong();
    // generous deadline: ~20 chunks of one shard on a loaded 2-core CI machine
    router = new ShardRouter(ShardRouterConfig.defaults(clientProperties()).withMaxEntryBytes(64 * 1024)
        .withWriteTimeoutMs(60_000),
        () -> {
          fetches.incrementAndGet();
          return CompletableFuture.completedFuture(current.get());
        });
    WriteResult first = router.write(batch(100, 1)).get(30, TimeUnit.SECONDS);
    assertThat(first.allCommitted()).as("%s", first).isTrue();

    // The control plane moved shard 0: epoch 3 is fenced on the replicas; the router still routes with epoch 0.
    cluster.send(0, ShardLogCodec.encodeFence(3));
    current.set(cluster.view(2, 2, 3));
    long before = fetches.get();
    WriteResult second = router.write(batch(100, 2)).get(30, TimeUnit.SECONDS);
    assertThat(second.allCommitted()).as("%s", second).isTrue();
    assertThat(fetches.get()).isGreaterThan(before);
    assertThat(router.stats().retries()).isPositive();

    // ~1.2 MB of samples for one series: split under the 64 KiB entry cap, all committed.
    long[] ts = new long[150_000];
    long[] vs = new long[ts.length];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = 10_000 + i;
      vs[i] = Double.doubleToRawLongBits(Math.random());
    }
    Labels big = Labels.of("__name__", "big");
    WriteResult third = router.write(new WriteBatch(List.of(new SeriesSamples(big, ts, vs))))
        .get(90, TimeUnit.SECONDS);
    assertThat(third.allCommitted()).as("%s", third).isTrue();
    assertThat(router.stats().splitChunks()).isGreaterThan(8);
    Labels req99 = Labels.of("__name__", "req", "i", "99");
    for (String node : cluster.nodes()) {
      FileShardData d = cluster.linearizable(node, router.shardOf(big));
      assertThat(d.get(big, 10_000 + ts.length - 1)).as("last sample on %s", node).isNotNull();
      FileShardData r = cluster.linearizable(node, router.shardOf(req99));
      assertThat(r.get(req99, 2)).as("req99 on %s", node).isEqualTo(Double.doubleToRawLongBits(2 + 99));
    }
  }

  @Test
  void shouldCoalesceConcurrentWritesToAShardIntoFewerEntriesAndAnswerEachWrite() throws Exception {
    startOneShard(ShardRouterConfig.defaults(clientProperties()).withMaxInFlightEntriesPerShard(1)
        .withWriteTimeoutMs(60_000));
    assertThat(router.write(batch(1, 0)).get(30, TimeUnit.SECONDS).allCommitted()).isTrue();
    long entriesBefore = router.stats().entries();
    int writes = 200;
    List<CompletableFuture<WriteResult>> results = new ArrayList<>();
    for (int w = 1; w <= writes; w++) {
      results.add(router.write(batch(3, w))); // all queued at once, one entry in flight
    }
    for (int w = 1; w <= writes; w++) {
      WriteResult r = results.get(w - 1).get(60, TimeUnit.SECONDS);
      assertThat(r.allCommitted()).as("write %d: %s", w, r).isTrue();
      assertThat(r.outcomes()).singleElement().satisfies(o -> assertThat(o.samples()).isEqualTo(3));
    }
    long entries = router.stats().entries() - entriesBefore;
    assertThat(entries).as("entries for %d writes", writes).isLessThan(writes / 2);
    assertThat(router.stats().coalescedParts()).isGreaterThanOrEqualTo(writes - entries);
    // every sample of every write is on every replica, in the order written
    Labels i2 = Labels.of("__name__", "req", "i", "2");
    for (String node : cluster.nodes()) {
      FileShardData d = cluster.linearizable(node, 0);
      for (int w = 1; w <= writes; w++) {
        assertThat(d.get(i2, w)).as("write %d on %s", w, node).isEqualTo(Double.doubleToRawLongBits(w + 2));
      }
    }
  }

  @Test
  void shouldReportUnknownNotFailedWhenTheShardHasNoQuorum() throws Exception {
    startOneShard(ShardRouterConfig.defaults(clientProperties()).withWriteTimeoutMs(2_000));
    assertThat(router.write(batch(10, 1)).get(30, TimeUnit.SECONDS).allCommitted()).isTrue();
    List<String> nodes = cluster.nodes();
    cluster.stop(nodes.get(0));
    cluster.stop(nodes.get(1));
    WriteResult r = router.write(batch(10, 2)).get(30, TimeUnit.SECONDS);
    assertThat(r.outcomes()).hasSize(1);
    assertThat(r.outcomes().get(0).status()).as("%s", r).isEqualTo(ShardOutcome.Status.UNKNOWN);
  }

  @Test
  void shouldAnswerEachCoalescedWriteByItsOwnDeadlineAndKeepPursuingTheEntryForTheLaterOnes() throws Exception {
    startOneShard(ShardRouterConfig.defaults(clientProperties()).withMaxInFlightEntriesPerShard(1)
        .withWriteTimeoutMs(10_000));
    assertThat(router.write(batch(3, 1)).get(30, TimeUnit.SECONDS).allCommitted()).isTrue();
    List<String> nodes = cluster.nodes();
    cluster.stop(nodes.get(0));
    cluster.stop(nodes.get(1));
    long start = System.nanoTime();
    CompletableFuture<WriteResult> a = router.write(batch(3, 2)); // takes the only slot; no quorum
    Thread.sleep(100);
    CompletableFuture<WriteResult> b = router.write(batch(3, 3)); // queued: deadline ~0.1 s after a's
    Thread.sleep(5_000);
    CompletableFuture<WriteResult> c = router.write(batch(3, 4)); // queued: deadline ~5 s after b's
    // a times out alone; b and c leave together as the next entry, which lives until c's deadline.
    WriteResult ra = a.get(30, TimeUnit.SECONDS);
    WriteResult rb = b.get(30, TimeUnit.SECONDS);
    long bAnsweredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(ra.outcomes().get(0).status()).as("%s", ra).isEqualTo(ShardOutcome.Status.UNKNOWN);
    assertThat(rb.outcomes().get(0).status()).as("%s", rb).isEqualTo(ShardOutcome.Status.UNKNOWN);
    assertThat(bAnsweredMs).as("b answered by its own deadline").isLessThan(12_000);
    assertThat(c).as("c still pursued after b's deadline").isNotDone();
    cluster.start(nodes.get(0));
    cluster.start(nodes.get(1));
    WriteResult rc = c.get(30, TimeUnit.SECONDS);
    assertThat(rc.allCommitted()).as("%s", rc).isTrue();
    Labels i0 = Labels.of("__name__", "req", "i", "0");
    for (String node : cluster.nodes()) {
      assertThat(cluster.linearizable(node, 0).get(i0, 4)).as("c on %s", node).isEqualTo(Double.doubleToRawLongBits(4));
    }
  }

  @Test
  void shouldFailValidationRejectionsAsFailed() throws Exception {
    startOneShard(ShardRouterConfig.defaults(clientProperties()));
    // a label value so large that even one sample exceeds the replicas' entry cap
    String huge = "x".repeat(600 * 1024);
    WriteResult r = router.write(new WriteBatch(List.of(SeriesSamples.of(Labels.of("__name__", huge), 1, 1))))
        .get(30, TimeUnit.SECONDS);
    assertThat(r.outcomes().get(0).status()).isEqualTo(ShardOutcome.Status.FAILED);
    assertThat(r.outcomes().get(0).code()).isEqualTo(ErrorCode.BATCH_TOO_LARGE);
    // the group keeps serving
    assertThat(router.write(batch(5, 3)).get(30, TimeUnit.SECONDS).allCommitted()).isTrue();
    Message ignored = Message.valueOf(ByteString.EMPTY);
    assertThat(ignored).isNotNull();
  }

  static Duration deadline() {
    return DEADLINE;
  }
}
