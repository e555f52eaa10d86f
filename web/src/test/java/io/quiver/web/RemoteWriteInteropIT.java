package io.quiver.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.columnar.SeriesSamples;
import io.quiver.index.Labels;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real third-party senders (Debian {@code prometheus} 2.42, {@code victoria-metrics}' vmagent) scrape this server's
 * {@code /metrics} and remote-write to it. Each test is skipped, loudly, when its binary is absent.
 */
class RemoteWriteInteropIT {
  @TempDir Path dir;
  private final MemoryStore store = new MemoryStore();
  private final CompletableFuture<Labels> upArrived = new CompletableFuture<>();
  private final List<Process> processes = new ArrayList<>();
  private Vertx vertx;
  private WebServer server;
  private int port;

  @BeforeEach
  void setUp() {
    IngestService watching = batch -> {
      for (SeriesSamples s : batch.series()) {
        if ("up".equals(s.labels().metricName()) && "quiver".equals(s.labels().get("job"))
            && s.value(s.size() - 1) == 1.0) {
          upArrived.complete(s.labels());
        }
      }
      return store.write(batch);
    };
    vertx = Vertx.vertx();
    server = WebServer.create(vertx, WebConfigKeys.read(Map.of(WebConfigKeys.BIND_HOST.name(), "127.0.0.1")),
        WebServices.of(watching, store));
    port = server.start(0).join();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    server.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void shouldIngestWhatARealPrometheusRemoteWrites() throws Exception {
    Path bin = Path.of("/usr/bin/prometheus");
    Assumptions.assumeTrue(Files.isExecutable(bin), "SKIPPED LOUDLY: /usr/bin/prometheus not installed");
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, scrapeConfig() + """
        remote_write:
          - url: http://127.0.0.1:%d/api/v1/write
            queue_config: { batch_send_deadline: 1s, min_backoff: 50ms, max_backoff: 1s }
            metadata_config: { send: true, send_interval: 1s }
        """.formatted(port));
    start(List.of(bin.toString(), "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
        "--web.listen-address=127.0.0.1:" + freePort()), "prometheus.log");
    verifyUpArrived();
  }

  @Test
  void shouldIngestWhatARealVmagentRemoteWrites() throws Exception {
    Path bin = Path.of("/usr/bin/vmagent");
    Assumptions.assumeTrue(Files.isExecutable(bin), "SKIPPED LOUDLY: /usr/bin/vmagent not installed");
    Path config = dir.resolve("scrape.yml");
    Files.writeString(config, scrapeConfig());
    start(List.of(bin.toString(), "-promscrape.config=" + config,
        "-remoteWrite.url=http://127.0.0.1:" + port + "/api/v1/write", "-remoteWrite.flushInterval=1s",
        "-remoteWrite.tmpDataPath=" + dir.resolve("vmagent-data"), "-httpListenAddr=127.0.0.1:" + freePort()),
        "vmagent.log");
    verifyUpArrived();
  }

  private String scrapeConfig() {
    return """
        global: { scrape_interval: 1s }
        scrape_configs:
          - job_name: quiver
            static_configs: [ { targets: [ "127.0.0.1:%d" ] } ]
        """.formatted(port);
  }

  private void verifyUpArrived() throws Exception {
    Labels up;
    try {
      up = upArrived.get(90, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no up{job=\"quiver\"} == 1 sample within 90 s; see logs in " + dir, e);
    }
    assertThat(up.get("instance")).isEqualTo("127.0.0.1:" + port);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String export = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/api/v1/export?match[]=up%7Bjob%3D%22quiver%22%7D")).build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(export).contains("\"__name__\":\"up\"").contains("\"job\":\"quiver\"");
    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    // Everything the sender pushed was accepted: no remote-write outcome other than ok.
    assertThat(metrics).contains("quiver_ingest_requests_total{protocol=\"remote_write\",outcome=\"ok\"}")
        .doesNotContain("protocol=\"remote_write\",outcome=\"web.");
  }

  private void start(List<String> command, String log) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile())
        .start();
    processes.add(p);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
