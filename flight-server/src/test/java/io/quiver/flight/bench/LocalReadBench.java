package io.quiver.flight.bench;

import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.ShardStore;
import io.quiver.columnar.StoreConfig;
import io.quiver.columnar.WriteBatch;
import io.quiver.flight.FlightConfigKeys;
import io.quiver.flight.LocalFlightBackend;
import io.quiver.flight.QuiverFlightServer;
import io.quiver.flight.StoreShards;
import io.quiver.index.Labels;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * Single-process read benchmark: S columnar shard stores behind a {@link LocalFlightBackend}, filled with
 * {@code series x samples} scrape-shaped samples (15 s interval, 6 labels), then {@link ReadBench} over loopback
 * with the given parallelism. Not a test; run with
 *
 * <pre>
 * java --add-opens=java.base/java.nio=ALL-UNNAMED -cp $(cat /tmp/cp.txt):flight-server/target/classes:\
 *   flight-server/target/test-classes io.quiver.flight.bench.LocalReadBench 20000 200 4 4 65536
 * </pre>
 *
 * args: series samplesPerSeries shards parallel batchRows [seal=true]
 */
public final class LocalReadBench {
  private LocalReadBench() {}

  /** Loads, reads, prints the bench line. */
  public static void main(String[] args) throws Exception {
    int series = Integer.parseInt(args[0]);
    int samples = Integer.parseInt(args[1]);
    int shards = Integer.parseInt(args[2]);
    int parallel = Integer.parseInt(args[3]);
    int batchRows = Integer.parseInt(args[4]);
    boolean seal = args.length < 6 || Boolean.parseBoolean(args[5]);
    Path dir = Files.createTempDirectory("quiver-read-bench");
    try (BufferAllocator root = new RootAllocator()) {
      List<ShardStore> stores = new ArrayList<>();
      BufferAllocator storeAllocator = root.newChildAllocator("stores", 0, Long.MAX_VALUE);
      StoreConfig config = StoreConfig.builder().fsync(false).batchRows(batchRows).build();
      List<LocalFlightBackend.LocalShard> local = new ArrayList<>();
      for (int i = 0; i < shards; i++) {
        ShardStore s = ShardStore.open(dir.resolve("shard-" + i), storeAllocator, config);
        stores.add(s);
        local.add(StoreShards.local(s));
      }
      LocalFlightBackend backend = LocalFlightBackend.of("bench", local);
      long t0 = System.nanoTime();
      load(backend, series, samples);
      if (seal) {
        stores.forEach(ShardStore::seal);
      }
      System.out.printf("loaded series=%d samples=%d shards=%d in %.1f s (sealed=%s)%n", series,
          (long) series * samples, shards, (System.nanoTime() - t0) / 1e9, seal);
      long d0 = System.nanoTime();
      long direct = 0;
      for (ShardStore s : stores) {
        long p0 = System.nanoTime();
        try (var r = s.select(io.quiver.index.Selector.parse("{__name__=~\".+\"}"), Long.MIN_VALUE,
            Long.MAX_VALUE, storeAllocator)) {
          long p1 = System.nanoTime();
          long rows = 0;
          while (r.next()) {
            rows += r.root().getRowCount();
          }
          direct += rows;
          System.out.printf("direct shard rows=%d open_ms=%.1f scan_ms=%.1f%n", rows, (p1 - p0) / 1e6,
              (System.nanoTime() - p1) / 1e6);
        }
      }
      System.out.printf("direct select: samples=%d samples_per_s=%.0f (one thread)%n", direct,
          direct / ((System.nanoTime() - d0) / 1e9));
      try (QuiverFlightServer server = QuiverFlightServer.builder(root, backend)
          .config(FlightConfigKeys.read(Map.of())).start()) {
        URI uri = server.location().getUri();
        ReadBench.Options options = new ReadBench.Options(uri, List.of("{__name__=~\".+\"}"), null, null, parallel,
            "linearizable");
        for (int run = 0; run < 3; run++) {
          try (BufferAllocator client = root.newChildAllocator("bench-client", 0, Long.MAX_VALUE)) {
            System.out.println(ReadBench.run(client, options).line());
          }
        }
      } finally {
        for (ShardStore s : stores) {
          s.close();
        }
        storeAllocator.close();
      }
    }
  }

  private static void load(LocalFlightBackend backend, int series, int samples) {
    Random random = new Random(1);
    List<Labels> labels = new ArrayList<>(series);
    for (int i = 0; i < series; i++) {
      labels.add(Labels.of("__name__", "metric_" + (i % 50), "instance", "10.1." + (i / 250) + "." + (i % 250),
          "job", "job-" + (i % 10), "region", "r" + (i % 3), "env", i % 2 == 0 ? "prod" : "dev",
          "pod", "pod-" + i));
    }
    long start = 1_700_000_000_000L;
    int chunk = Math.max(1, Math.min(samples, 100));
    for (int from = 0; from < samples; from += chunk) {
      int n = Math.min(chunk, samples - from);
      List<SeriesSamples> batch = new ArrayList<>();
      for (int i = 0; i < series; i++) {
        long[] ts = new long[n];
        long[] bits = new long[n];
        double v = random.nextInt(1000);
        for (int k = 0; k < n; k++) {
          ts[k] = start + (from + k) * 15_000L;
          v += random.nextInt(10);
          bits[k] = Double.doubleToRawLongBits(v);
        }
        batch.add(new SeriesSamples(labels.get(i), ts, bits));
        if (batch.size() >= 2_000) {
          backend.write(new WriteBatch(batch)).join();
          batch = new ArrayList<>();
        }
      }
      if (!batch.isEmpty()) {
        backend.write(new WriteBatch(batch)).join();
      }
    }
  }
}
