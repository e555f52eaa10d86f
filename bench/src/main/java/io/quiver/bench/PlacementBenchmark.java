package io.quiver.bench;

import io.quiver.placement.JumpHash;
import io.quiver.placement.NodeInfo;
import io.quiver.placement.NodeState;
import io.quiver.placement.PartitionKeys;
import io.quiver.placement.Placement;
import io.quiver.placement.PlacementMap;
import io.quiver.placement.RebalancePlan;
import io.quiver.placement.Rebalancer;
import io.quiver.placement.ShardFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Series to shard on the ingest path: XXH64 of precomputed canonical label bytes (107 to 130 bytes, realistic
 * Prometheus series) plus jump hash over S = 64, single thread. Target (issue 3): at least 20,000,000 ops/s.
 * {@link #hashOnly} and {@link #jumpOnly} isolate the two halves; {@link #planAddNode} times one rebalance plan
 * (S = 1024, RF = 3, 32 -> 33 nodes), the size of the metadata group's occasional work.
 *
 * <p>The series benchmarks visit {@code keys} different label sets in turn, so nothing can be folded or memoised,
 * and return the result to JMH's blackhole. {@code keys=256} (about 35 KB of keys, resident in L2) is the ingest
 * path, which hashes bytes it has just built; {@code keys=4096} (about 600 KB, more than this machine's 512 KB L2)
 * adds a cache miss per series and shows the cost of hashing cold bytes.
 *
 * <p>Run after {@code mvn -pl placement,bench -am install -DskipTests}, with the fresh placement jar ahead of
 * {@code node/target/lib} (which holds whatever placement jar the last full package copied):
 * <pre>
 * java -cp "bench/target/quiver-bench-0.1.0-SNAPSHOT.jar:placement/target/quiver-placement-0.1.0-SNAPSHOT.jar:\
 * node/target/lib/*" org.openjdk.jmh.Main PlacementBenchmark -f 1 -wi 3 -w 3s -i 5 -r 3s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class PlacementBenchmark {
  private final ShardFunction shards = new ShardFunction(64);
  private PlacementMap map;
  private List<NodeInfo> grown;

  /** Canonical label bytes of {@code keys} random series and their hashes, visited round-robin. */
  @State(Scope.Thread)
  public static class Series {
    private static final String[] METRICS = {
      "http_requests_total", "http_request_duration_seconds_bucket", "node_cpu_seconds_total",
      "process_resident_memory_bytes", "container_memory_working_set_bytes"
    };

    /** Number of different series; a power of two. */
    @Param({"256", "4096"})
    public int keys;

    private byte[][] canonical;
    private long[] hashes;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
      SplittableRandom random = new SplittableRandom(42);
      canonical = new byte[keys][];
      hashes = new long[keys];
      for (int i = 0; i < keys; i++) {
        canonical[i] = PartitionKeys.canonicalBytes(
            "__name__", METRICS[random.nextInt(METRICS.length)],
            "instance", "10.1." + random.nextInt(256) + "." + random.nextInt(256) + ":9100",
            "job", "kubernetes-pods",
            "namespace", "prod-" + random.nextInt(20),
            "pod", "api-" + Long.toHexString(random.nextLong()).substring(0, 10));
        hashes[i] = PartitionKeys.hash64(canonical[i]);
      }
    }

    int nextIndex() {
      return next++ & (keys - 1);
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    List<NodeInfo> nodes = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      nodes.add(new NodeInfo("n" + i, "z" + (i % 3), i, NodeState.UP));
    }
    map = Placement.initial(1024, 3, nodes);
    grown = new ArrayList<>(nodes);
    grown.add(new NodeInfo("n32", "z3", 32, NodeState.UP));
  }

  /** Hash of the canonical bytes plus jump hash: the per-series cost of routing a write. */
  @Benchmark
  public int seriesToShard(Series series) {
    return shards.shardOf(PartitionKeys.hash64(series.canonical[series.nextIndex()]));
  }

  /** The partition key hash alone (XXH64 of the canonical bytes). */
  @Benchmark
  public long hashOnly(Series series) {
    return PartitionKeys.hash64(series.canonical[series.nextIndex()]);
  }

  /** Jump hash alone over precomputed hashes. */
  @Benchmark
  public int jumpOnly(Series series) {
    return JumpHash.bucket(series.hashes[series.nextIndex()], 64);
  }

  /** One add-node rebalance plan for S = 1024, RF = 3 (reported in ops/s; invert for the time per plan). */
  @Benchmark
  @Warmup(iterations = 1, time = 2)
  @Measurement(iterations = 2, time = 2)
  public RebalancePlan planAddNode() {
    return Rebalancer.compute(map, grown, 3);
  }
}
