package io.quiver.raft.route;

import io.quiver.columnar.WriteBatch;
import io.quiver.raft.ClusterFixture;
import io.quiver.raft.RaftNodeConfig;
import io.quiver.raft.ShardStateMachineFactory;
import io.quiver.raft.shard.ShardData;
import io.quiver.raft.shard.ShardStateMachineContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.util.TimeDuration;

/**
 * In-process variant of {@code bin/quiver bench raft}: 3 RaftNodes in this JVM (raft-control's ClusterFixture with
 * production timeouts), S shards at RF 3, the router driven by {@link RouterLoadGenerator}. The shard store is a
 * counting store (the Raft path is measured, not the columnar engine) unless the sixth argument is {@code columnar}.
 * Usage: {@code RaftBenchMain [shards=16] [seconds=30] [batch=5000] [inflight=16] [entriesPerShard=1] [counting|columnar]}.
 */
public final class RaftBenchMain {
  private RaftBenchMain() {}

  /** Counts samples; a checkpoint is one small file naming the count. */
  static final class CountingShardData implements ShardData {
    private final Path dir;
    private volatile long applied;
    private volatile long samples;

    CountingShardData(Path dir) {
      this.dir = dir;
    }

    @Override
    public void write(WriteBatch batch, long logIndex) {
      samples += batch.sampleCount();
      applied = logIndex;
    }

    @Override
    public long lastAppliedIndex() {
      return applied;
    }

    @Override
    public long lastDurableIndex() {
      return applied;
    }

    @Override
    public Checkpoint checkpoint() throws IOException {
      Path f = dir.resolve("count-" + applied);
      Files.writeString(f, Long.toString(samples));
      return new Checkpoint(applied, List.of(f));
    }

    @Override
    public void close() {}
  }

  public static void main(String[] args) throws Exception {
    int shards = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
    int inflight = args.length > 3 ? Integer.parseInt(args[3]) : 16;
    int perShard = args.length > 4 ? Integer.parseInt(args[4]) : ShardRouterConfig.DEFAULT_IN_FLIGHT_ENTRIES_PER_SHARD;
    ExecutorService queries = Executors.newFixedThreadPool(2);
    boolean columnar = args.length > 5 && args[5].equals("columnar");
    org.apache.arrow.memory.RootAllocator allocator = new org.apache.arrow.memory.RootAllocator();
    ShardStateMachineContext ctx = ShardStateMachineContext.of("bench", columnar
        ? io.quiver.raft.shard.ColumnarShardData.opener(allocator, io.quiver.columnar.StoreConfig.defaults())
        : CountingShardData::new, queries);
    ShardStateMachineFactory factory = ShardStateMachineFactory.of(ctx);
    RaftProperties client = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(client, TimeDuration.valueOf(3, TimeUnit.SECONDS));
    try (ClusterFixture cluster = ClusterFixture.builder().clusterId("bench").nodes(3).shards(shards)
            .replicationFactor(3).timeouts(RaftNodeConfig.Timeouts.production())
            .shardFactory((id, dir) -> factory).start();
        ShardRouter router = new ShardRouter(ShardRouterConfig.defaults(client).withWriteTimeoutMs(10_000)
            .withMaxInFlightEntriesPerShard(perShard),
            () -> cluster.anyNode().clusterView())) {
      router.view().get(30, TimeUnit.SECONDS);
      RouterLoadGenerator gen = new RouterLoadGenerator(router, 100_000);
      RouterLoadGenerator.Figures f = gen.runSequence(new RouterLoadGenerator.Sequence(5, seconds, batch, inflight),
          () -> {
            int victim = cluster.slot(cluster.shardLeader(0));
            return () -> cluster.kill(victim);
          },
          () -> ProcessHandle.current().info().totalCpuDuration().orElse(java.time.Duration.ZERO),
          System.out::println);
      System.out.println(f.line());
    } finally {
      queries.shutdownNow();
    }
  }
}
