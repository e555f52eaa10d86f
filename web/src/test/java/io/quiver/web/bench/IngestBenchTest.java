package io.quiver.web.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.columnar.ShardStore;
import io.quiver.columnar.StoreConfig;
import io.quiver.web.IngestOutcome;
import io.quiver.web.IngestService;
import io.quiver.web.LocalShardService;
import io.quiver.web.MemoryStore;
import io.quiver.web.QueryService;
import io.quiver.web.WebConfigKeys;
import io.quiver.web.WebServer;
import io.quiver.web.WebServices;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the load generator against a real server. Small by default; for a measurement pass
 * {@code -Dquiver.bench.samples=.. -Dquiver.bench.series=.. -Dquiver.bench.target=noop|memory|store}
 * ({@code store}: {@link LocalShardService} over a real ShardStore, i.e. one node without Raft).
 */
class IngestBenchTest {
  @TempDir Path dir;

  @Test
  void shouldSendEverySampleOnceAndPrintTheSummaryLine() throws Exception {
    long samples = Long.getLong("quiver.bench.samples", 60_000);
    int series = Integer.getInteger("quiver.bench.series", 7_000);
    int batch = Integer.getInteger("quiver.bench.batch", 5_000);
    String target = System.getProperty("quiver.bench.target", "store");
    MemoryStore memory = new MemoryStore();
    AtomicLong counted = new AtomicLong();
    ExecutorService readers = Executors.newFixedThreadPool(2);
    Vertx vertx = Vertx.vertx();
    try (BufferAllocator allocator = new RootAllocator();
        ShardStore store = ShardStore.open(dir.resolve("shard"), allocator, StoreConfig.defaults());
        LocalShardService local = new LocalShardService(store, allocator, readers)) {
      IngestService ingest = switch (target) {
        case "noop" -> b -> {
          counted.addAndGet(b.sampleCount());
          return CompletableFuture.completedFuture(IngestOutcome.committed(1));
        };
        case "memory" -> memory;
        default -> local;
      };
      QueryService query = target.equals("memory") ? memory : local;
      try (WebServer server = WebServer.create(vertx, WebConfigKeys.read(Map.of(WebConfigKeys.BIND_HOST.name(),
          "127.0.0.1")), WebServices.of(ingest, query))) {
        int port = server.start(0).join();
        IngestBench bench = new IngestBench(new IngestBench.Options(URI.create("http://127.0.0.1:" + port
            + "/api/v1/write"), series, samples, batch, 4, 10_000, 512L << 20, 60_000), 1_700_000_000_000L);
        IngestBench.Result result = bench.run();
        System.out.println("target=" + target + " " + result.summaryLine());
        assertThat(result.errors()).isZero();
        assertThat(result.samples()).isEqualTo(samples);
        long stored = switch (target) {
          case "noop" -> counted.get();
          case "memory" -> memory.sampleCount();
          default -> store.stats().headSamples() + store.stats().segmentSamples();
        };
        assertThat(stored).isEqualTo(samples);
        assertThat(result.summaryLine()).matches(
            "ingest samples=\\d+ samples_per_s=\\d+ p50_ms=\\d+\\.\\d\\d p99_ms=\\d+\\.\\d\\d errors=0");
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
      readers.shutdownNow();
    }
  }
}
