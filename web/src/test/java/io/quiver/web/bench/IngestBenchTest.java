package io.quiver.web.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.web.MemoryStore;
import io.quiver.web.WebConfigKeys;
import io.quiver.web.WebServer;
import io.quiver.web.WebServices;
import io.vertx.core.Vertx;
import io.quiver.web.IngestOutcome;
import io.quiver.web.IngestService;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestBenchTest {
  @Test
  void shouldSendEverySampleOnceAndPrintTheSummaryLine() throws Exception {
    // Size via -Dquiver.bench.samples / -Dquiver.bench.series for a manual measurement; small by default.
    long samples = Long.getLong("quiver.bench.samples", 60_000);
    int series = Integer.getInteger("quiver.bench.series", 7_000);
    MemoryStore store = new MemoryStore();
    Vertx vertx = Vertx.vertx();
    boolean noop = Boolean.getBoolean("quiver.bench.noop");
    AtomicLong counted = new AtomicLong();
    IngestService ingest = noop ? batch -> {
      counted.addAndGet(batch.sampleCount());
      return CompletableFuture.completedFuture(IngestOutcome.committed(1));
    } : store;
    try (WebServer server = WebServer.create(vertx, WebConfigKeys.read(Map.of(WebConfigKeys.BIND_HOST.name(),
        "127.0.0.1")), WebServices.of(ingest, store))) {
      int port = server.start(0).join();
      IngestBench bench = new IngestBench(new IngestBench.Options(URI.create("http://127.0.0.1:" + port
          + "/api/v1/write"), series, samples, 5_000, 3, 10_000, 64L << 20, 30_000), 1_700_000_000_000L);
      IngestBench.Result result = bench.run();
      System.out.println(result.summaryLine());
      assertThat(result.errors()).isZero();
      assertThat(result.samples()).isEqualTo(samples);
      assertThat(noop ? counted.get() : store.sampleCount()).isEqualTo(samples);
      assertThat(result.summaryLine()).matches(
          "ingest samples=\\d+ samples_per_s=\\d+ p50_ms=\\d+\\.\\d\\d p99_ms=\\d+\\.\\d\\d errors=0");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }
}
