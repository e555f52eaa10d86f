package io.quiver.node;

import io.quiver.raft.ClusterView;
import io.quiver.raft.GroupIds;
import io.quiver.raft.RaftNodeConfig;
import io.quiver.raft.meta.ClusterState;
import io.quiver.raft.meta.MetaClient;
import io.quiver.raft.route.RouterLoadGenerator;
import io.quiver.raft.route.ShardRouter;
import io.quiver.raft.route.ShardRouterConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.util.TimeDuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quiver bench raft}: starts a local cluster of node processes (as {@code quiver local} does, in a temporary
 * directory), drives this process's {@link ShardRouter} against it and prints one final line
 * {@code raft commit_samples_per_s=<n> p50_ms=<x> p99_ms=<x> failover_ms=<n>}.
 *
 * <p>Phases: {@code --warmup-seconds} at full speed (measured: on 2 cores the JIT compilers are ~40% of a node's CPU
 * in its first minute, so a short warm-up measures the compiler); {@code --seconds} at full speed ({@code --inflight} batches in flight), which gives
 * {@code commit_samples_per_s}; half that rate paced open-loop, which gives the latency percentiles; then kill -9 of
 * shard 0's leader process, and {@code failover_ms} is the time from the kill until shard 0 commits a write sent after
 * it. Samples go through the real node: Raft log, fsync, and the columnar shard store on every replica.
 */
@Command(name = "raft", mixinStandardHelpOptions = true,
    description = "Commit throughput, latency and failover of a local cluster of node processes.")
final class BenchRaftCommand implements Callable<Integer> {
  @Option(names = "--nodes", defaultValue = "3", description = "Node processes (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--shards", defaultValue = "16", description = "Shards (default: ${DEFAULT-VALUE}).")
  int shards;

  @Option(names = "--rf", defaultValue = "3", description = "Replicas per shard (default: ${DEFAULT-VALUE}).")
  int rf;

  @Option(names = "--seconds", defaultValue = "30", description = "Full-speed phase (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--warmup-seconds", defaultValue = "20",
      description = "Full-speed warm-up before measuring: JIT compilation of four JVMs on a small machine takes this "
          + "long (default: ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(names = "--batch", defaultValue = "5000",
      description = "Samples per routed write, one per series (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--inflight", defaultValue = "64",
      description = "Routed writes in flight at full speed: the concurrency of the ingest tier, e.g. a few "
          + "Prometheus servers with their default remote-write shards (default: ${DEFAULT-VALUE}).")
  int inflight;

  @Option(names = "--entries-per-shard", defaultValue = "" + ShardRouterConfig.DEFAULT_IN_FLIGHT_ENTRIES_PER_SHARD,
      description = "Router: Raft entries in flight per shard; writes queued meanwhile are coalesced into the next "
          + "entry (default: ${DEFAULT-VALUE}).")
  int entriesPerShard;

  @Option(names = "--series", defaultValue = "100000", description = "Distinct series (default: ${DEFAULT-VALUE}).")
  int series;

  @Option(names = "--data", description = "Data directory (default: a new temporary directory, deleted after).")
  Path data;

  @Option(names = "--node-heap", defaultValue = "auto", description = "Heap of each node, or auto as for quiver local "
      + "(default: ${DEFAULT-VALUE}).")
  String nodeHeap;

  @Option(names = "--jit", defaultValue = "auto", description = "JIT compilers of the node processes: auto, c1 or "
      + "tiered, as for quiver local (default: ${DEFAULT-VALUE}).")
  NodeJit jit;

  @Override
  public Integer call() throws Exception {
    boolean temporary = data == null;
    Path dir = temporary ? Files.createTempDirectory("quiver-bench-raft-") : data;
    try (LocalCluster cluster = LocalCluster.start(new LocalCluster.Spec(nodes, shards, rf, dir, 0, nodeHeap, jit))) {
      String notReady = cluster.awaitReady(Duration.ofSeconds(150));
      if (!notReady.isEmpty()) {
        System.err.println("bench raft: " + notReady);
        return 1;
      }
      RaftProperties client = new RaftProperties();
      RaftClientConfigKeys.Rpc.setRequestTimeout(client, TimeDuration.valueOf(3, TimeUnit.SECONDS));
      try (MetaClient meta = new MetaClient(GroupIds.metadata(RaftNodeConfig.DEFAULT_CLUSTER_ID), cluster.members(),
              client, 20);
          ShardRouter router = new ShardRouter(
              ShardRouterConfig.defaults(client).withMaxInFlightEntriesPerShard(entriesPerShard),
              () -> meta.read().thenApply(ClusterState::toView))) {
        ClusterView view = router.view().get(30, TimeUnit.SECONDS);
        System.err.println("bench raft: " + cluster.jitLine());
        System.err.println("bench raft: " + nodes + " node processes, " + view.shardCount() + " shards, rf " + rf
            + ", batches of " + batch + " samples, " + inflight + " in flight; data " + dir);
        RouterLoadGenerator gen = new RouterLoadGenerator(router, series);
        RouterLoadGenerator.Figures f = gen.runSequence(
            new RouterLoadGenerator.Sequence(warmupSeconds, seconds, batch, inflight),
            () -> {
              String victim;
              try {
                victim = leaderOf(cluster, 0);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
              }
              System.err.println("bench raft: kill -9 of " + victim + ", leader of shard 0");
              return () -> {
                try {
                  cluster.kill(victim);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              };
            },
            () -> cluster.nodesCpu().plus(ownCpu()),
            line -> System.err.println("bench raft: " + line));
        System.out.println(f.line());
        RouterLoadGenerator.Report max = f.full();
        long failover = f.failoverMs();
        return max.unknownBatches() + max.failedBatches() == 0 && failover >= 0 ? 0 : 1;
      }
    } finally {
      if (temporary) {
        deleteTree(dir);
      }
    }
  }

  private static Duration ownCpu() {
    return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** The node that leads {@code shard} now, from n1's admin API. */
  private static String leaderOf(LocalCluster cluster, int shard) throws IOException, InterruptedException {
    StatusClient status = new StatusClient(cluster.members().get(0).httpUrl(), Duration.ofSeconds(5));
    JsonArray shards = status.status().getJsonArray("shards");
    for (int i = 0; i < shards.size(); i++) {
      JsonObject s = shards.getJsonObject(i);
      if (s.getInteger("shard") == shard && s.getString("leader") != null) {
        return s.getString("leader");
      }
    }
    throw new IOException("no leader reported for shard " + shard);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
