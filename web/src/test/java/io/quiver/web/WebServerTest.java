package io.quiver.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.columnar.SeriesSamples;
import io.quiver.index.Labels;
import io.quiver.web.bench.RemoteWriteEncoder;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebServerTest {
  static final long STALE_NAN = 0x7ff0000000000002L;
  static final String RW_TYPE = "application/x-protobuf";
  static final String RW2_TYPE = "application/x-protobuf;proto=io.prometheus.write.v2.Request";

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final MemoryStore store = new MemoryStore();
  private Vertx vertx;
  private WebServer server;
  private String base;

  private void start(Map<String, String> settings, WebServices services) {
    Map<String, String> props = new HashMap<>(settings);
    props.put(WebConfigKeys.BIND_HOST.name(), "127.0.0.1");
    props.putIfAbsent(WebConfigKeys.DECODE_THREADS.name(), "2");
    vertx = Vertx.vertx();
    server = WebServer.create(vertx, WebConfigKeys.read(props), services);
    int port = server.start(0).join();
    base = "http://127.0.0.1:" + port;
  }

  private void start(Map<String, String> settings) {
    start(settings, WebServices.of(store, store));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
      server.close();
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  private HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(20)).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static byte[] remoteWrite(SeriesSamples... series) {
    return RemoteWriteEncoder.snappy(RemoteWriteEncoder.encode(List.of(series)));
  }

  private static byte[] gzip(String s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(s.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  @Test
  void shouldRoundTripRemoteWriteThroughExportAndImportKeepingStaleMarkerBits() throws Exception {
    start(Map.of());
    SeriesSamples up = new SeriesSamples(Labels.of("__name__", "up", "job", "node"), new long[] {1000, 2000, 3000},
        new long[] {Double.doubleToRawLongBits(1), Double.doubleToRawLongBits(0), STALE_NAN});
    HttpResponse<String> r = post("/api/v1/write", remoteWrite(up), "Content-Type", RW_TYPE,
        "Content-Encoding", "snappy", "X-Prometheus-Remote-Write-Version", "0.1.0");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);

    HttpResponse<String> export = get("/api/v1/export?match[]=" + q("up{job=\"node\"}"));
    assertThat(export.statusCode()).isEqualTo(200);
    assertThat(export.body()).isEqualTo("{\"metric\":{\"__name__\":\"up\",\"job\":\"node\"},"
        + "\"values\":[1.0,0.0,\"NaN:0x7ff0000000000002\"],\"timestamps\":[1000,2000,3000]}\n");
    HttpResponse<String> ranged = get("/api/v1/export?match[]=up&start=1.5&end=2");
    assertThat(ranged.body()).contains("\"timestamps\":[2000]");

    // Re-import the export under another name: bits survive the JSON path too.
    String reimport = export.body().replace("\"up\"", "\"up_copy\"");
    assertThat(post("/api/v1/import", reimport.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(204);
    assertThat(get("/api/v1/export?match[]=up_copy").body()).contains("\"NaN:0x7ff0000000000002\"");
  }

  @Test
  void shouldRejectBadLineProtocolWith400NamingTheLineAndStoreNothing() throws Exception {
    start(Map.of());
    HttpResponse<String> r = post("/api/v2/write?precision=ns",
        "cpu,host=a value=1 1700000000000000000\ncpu,host=a value= 1700000000000000000\n".getBytes());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r.body()).contains("\"code\":\"web.bad_request\"").contains("line=2").contains("column=18");
    assertThat(store.writes()).isZero();
    assertThat(get("/api/v1/export?match[]=cpu_value").body()).isEmpty();
  }

  @Test
  void shouldAnswer400ForGarbageOfEveryProtocolAndStayHealthy() throws Exception {
    start(Map.of());
    assertThat(post("/api/v1/write", "not snappy at all".getBytes(), "Content-Encoding", "snappy",
        "Content-Type", RW_TYPE).statusCode()).isEqualTo(400);
    HttpResponse<String> json = post("/api/v1/import",
        "{\"labels\":{\"__name__\":\"x\"},\"samples\":[[1,\"nan?\"]]}".getBytes());
    assertThat(json.statusCode()).isEqualTo(400);
    assertThat(json.body()).contains("line=1");
    assertThat(post("/write?precision=x", "m v=1".getBytes()).statusCode()).isEqualTo(400);
    assertThat(post("/write", gzip("m v=1").length > 0 ? new byte[] {0x1f, (byte) 0x8b, 1, 2} : null,
        "Content-Encoding", "gzip").statusCode()).isEqualTo(400);
    assertThat(get("/api/v1/series?match[]=" + q("up{")).statusCode()).isEqualTo(400);
    assertThat(get("/api/v1/series").statusCode()).isEqualTo(400);
    assertThat(get("/api/v1/export?match[]=up&start=yesterday").statusCode()).isEqualTo(400);
    assertThat(get("/health").statusCode()).isEqualTo(200);
    assertThat(store.writes()).isZero();
  }

  @Test
  void shouldAcceptGzipBodiesForInfluxAndJson() throws Exception {
    start(Map.of());
    assertThat(post("/write?db=tg&precision=s", gzip("disk,host=h1 used=10i,free=2.5 1700000000\n"),
        "Content-Encoding", "gzip").statusCode()).isEqualTo(204);
    assertThat(post("/api/v1/import", gzip("{\"labels\":{\"__name__\":\"j\"},\"samples\":[[5,1]]}\n"),
        "Content-Encoding", "gzip").statusCode()).isEqualTo(204);
    assertThat(get("/api/v1/export?match[]=disk_used").body())
        .isEqualTo("{\"metric\":{\"__name__\":\"disk_used\",\"db\":\"tg\",\"host\":\"h1\"},\"values\":[10.0],"
            + "\"timestamps\":[1700000000000]}\n");
    assertThat(get("/api/v1/export?match[]=j").body()).contains("\"timestamps\":[5]");
    assertThat(post("/api/v1/import", "{}".getBytes(), "Content-Encoding", "br").statusCode()).isEqualTo(415);
  }

  /**
   * curl --data-binary, the Influx 1.x docs' own example, labels every body application/x-www-form-urlencoded. An
   * ingest body is never a form: such requests are read raw (they failed with a 500 from Vert.x' form decoder once a
   * line passed its attribute limit).
   */
  @Test
  void shouldReadIngestBodiesLabelledAsFormsRaw() throws Exception {
    start(Map.of());
    String form = "application/x-www-form-urlencoded";
    StringBuilder lines = new StringBuilder();
    StringBuilder json = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      lines.append("cpu,host=h").append(i).append(" usage=").append(i).append(" 1700000000000000000\n");
      json.append("{\"labels\":{\"__name__\":\"f\",\"i\":\"").append(i).append("\"},\"samples\":[[5,1]]}\n");
    }
    assertThat(lines.length()).isGreaterThan(16 * 1024);
    HttpResponse<String> influx = post("/write?db=d", lines.toString().getBytes(StandardCharsets.UTF_8),
        "Content-Type", form);
    assertThat(influx.statusCode()).as(influx.body()).isEqualTo(204);
    HttpResponse<String> imported = post("/api/v1/import", json.toString().getBytes(StandardCharsets.UTF_8),
        "Content-Type", form);
    assertThat(imported.statusCode()).as(imported.body()).isEqualTo(204);
    assertThat(get("/api/v1/series?match[]=f").body()).contains("\"i\":\"399\"");
  }

  @Test
  void shouldAnswer413ForOversizedBodiesAndDeclaredSizes() throws Exception {
    start(Map.of(WebConfigKeys.MAX_BODY_BYTES.name(), "4096", WebConfigKeys.MAX_DECODED_BYTES.name(), "8192"));
    HttpResponse<String> big = post("/write", "m v=1\n".repeat(1000).getBytes());
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(big.body()).contains("web.payload_too_large");
    byte[] bomb = {(byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01, 0x00};
    assertThat(post("/api/v1/write", bomb, "Content-Encoding", "snappy").statusCode()).isEqualTo(413);
    assertThat(post("/write", gzip("m v=1\n".repeat(2000)), "Content-Encoding", "gzip").statusCode())
        .isEqualTo(413);
    assertThat(store.writes()).isZero();
  }

  @Test
  void shouldAnswer415ForUnsupportedRemoteWriteFormats() throws Exception {
    start(Map.of());
    byte[] body = remoteWrite(SeriesSamples.of(Labels.of("__name__", "a"), 1, 1));
    HttpResponse<String> r = post("/api/v1/write", body, "Content-Type", "application/x-protobuf;proto=foo.Bar");
    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(r.body()).contains("web.unsupported_media_type");
    assertThat(post("/api/v1/write", body, "Content-Encoding", "gzip").statusCode()).isEqualTo(415);
    assertThat(post("/api/v1/write", body, "Content-Type", "application/json").statusCode()).isEqualTo(415);
  }

  @Test
  void shouldAnswerRemoteWrite2WithWrittenHeaders() throws Exception {
    start(Map.of());
    // A v1 body sent as v2 decodes to an empty request (v1 field numbers are reserved in v2): 204, 0 written.
    HttpResponse<String> r = post("/api/v1/write", remoteWrite(SeriesSamples.of(Labels.of("__name__", "a"), 1, 1)),
        "Content-Type", RW2_TYPE, "Content-Encoding", "snappy");
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.headers().firstValue("X-Prometheus-Remote-Write-Samples-Written")).hasValue("0");
    HttpResponse<String> bad = post("/api/v1/write", "junk".getBytes(), "Content-Type", RW2_TYPE);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.headers().firstValue("X-Prometheus-Remote-Write-Samples-Written")).hasValue("0");
  }

  @Test
  void shouldAnswer503WithRetryAfterWhenAShardHasNoQuorum() throws Exception {
    start(Map.of(WebConfigKeys.RETRY_AFTER_SECONDS.name(), "3"));
    store.outcome(b -> CompletableFuture.completedFuture(
        IngestOutcome.failed(io.quiver.raft.ErrorCode.UNAVAILABLE, "no leader [shard=3]")));
    HttpResponse<String> r = post("/api/v1/write", remoteWrite(SeriesSamples.of(Labels.of("__name__", "a"), 1, 1)));
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("3");
    assertThat(r.body()).contains("raft.unavailable").contains("shard=3");
    store.outcome(b -> CompletableFuture.completedFuture(
        IngestOutcome.failed(io.quiver.raft.ErrorCode.OVERLOADED, "queue full")));
    assertThat(post("/write", "m v=1".getBytes()).statusCode()).isEqualTo(503);
    store.outcome(b -> CompletableFuture.completedFuture(IngestOutcome.unknown("proposal timed out")));
    HttpResponse<String> unknown = post("/write", "m v=1".getBytes());
    assertThat(unknown.statusCode()).isEqualTo(503);
    assertThat(unknown.body()).contains("web.timeout");
  }

  @Test
  void shouldAnswer503WhenCommitDeadlinePasses() throws Exception {
    start(Map.of(WebConfigKeys.INGEST_TIMEOUT_MS.name(), "200"));
    store.outcome(b -> new CompletableFuture<>());
    HttpResponse<String> r = post("/api/v1/import", "{\"labels\":{\"__name__\":\"x\"},\"samples\":[[1,1]]}".getBytes());
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("web.timeout").contains("unknown");
    assertThat(r.headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void shouldAnswer503WhenOverTheInFlightBudget() throws Exception {
    start(Map.of(WebConfigKeys.IN_FLIGHT_BYTES.name(), "4"));
    CompletableFuture<IngestOutcome> pending = new CompletableFuture<>();
    CompletableFuture<Void> firstArrived = new CompletableFuture<>();
    store.outcome(b -> {
      firstArrived.complete(null);
      return pending;
    });
    CompletableFuture<HttpResponse<String>> first = http.sendAsync(HttpRequest.newBuilder(
        URI.create(base + "/write")).POST(HttpRequest.BodyPublishers.ofString("m v=1")).build(),
        HttpResponse.BodyHandlers.ofString());
    firstArrived.get(10, java.util.concurrent.TimeUnit.SECONDS);
    HttpResponse<String> second = post("/write", "m v=2".getBytes());
    assertThat(second.statusCode()).isEqualTo(503);
    assertThat(second.body()).contains("web.overloaded");
    pending.complete(IngestOutcome.committed(1));
    assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(204);
  }

  @Test
  void shouldServeSeriesLabelsAndValues() throws Exception {
    start(Map.of());
    assertThat(post("/api/v2/write?bucket=b&org=o&precision=ms",
        "cpu,host=a v=1 10\ncpu,host=b v=2 20\nmem,host=a free=3 30\n".getBytes()).statusCode()).isEqualTo(204);
    assertThat(get("/api/v1/series?match[]=" + q("cpu_v{host=~\"a|b\"}")).body())
        .isEqualTo("{\"status\":\"success\",\"data\":[{\"__name__\":\"cpu_v\",\"db\":\"b\",\"host\":\"a\"},"
            + "{\"__name__\":\"cpu_v\",\"db\":\"b\",\"host\":\"b\"}]}");
    assertThat(get("/api/v1/labels").body()).isEqualTo("{\"status\":\"success\",\"data\":[\"__name__\",\"db\","
        + "\"host\"]}");
    assertThat(get("/api/v1/label/__name__/values").body())
        .isEqualTo("{\"status\":\"success\",\"data\":[\"cpu_v\",\"mem_free\"]}");
  }

  @Test
  void shouldExposeMetricsHealthAndReadiness() throws Exception {
    CompletableFuture<java.util.Optional<String>> ready = CompletableFuture.completedFuture(
        java.util.Optional.of("shard without leader [shard=2]"));
    start(Map.of(), WebServices.of(store, store).withReadiness(() -> ready)
        .withMetrics(List.of(out -> out.family("quiver_shard_commit_index", "gauge", "Commit index.")
            .sample("quiver_shard_commit_index", Map.of("shard", "0"), 42))));
    assertThat(post("/write", "m v=1".getBytes()).statusCode()).isEqualTo(204);
    assertThat(post("/write", "m v=".getBytes()).statusCode()).isEqualTo(400);
    HttpResponse<String> m = get("/metrics");
    assertThat(m.statusCode()).isEqualTo(200);
    assertThat(m.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(m.body())
        .contains("quiver_ingest_requests_total{protocol=\"influx\",outcome=\"ok\"} 1")
        .contains("quiver_ingest_requests_total{protocol=\"influx\",outcome=\"web.bad_request\"} 1")
        .contains("quiver_ingest_samples_total{protocol=\"influx\",outcome=\"ok\"} 1")
        .contains("quiver_ingest_commit_seconds_count 1")
        .contains("jvm_memory_used_bytes{area=\"heap\"}")
        .contains("quiver_shard_commit_index{shard=\"0\"} 42");
    assertThat(get("/health").body()).isEqualTo("{\"status\":\"ok\"}");
    HttpResponse<String> r = get("/ready");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("shard=2");
  }

  @Test
  void shouldAnswerJsonErrorsForUnknownRoutesMethodsAndMissingAdmin() throws Exception {
    start(Map.of());
    HttpResponse<String> nf = get("/nope");
    assertThat(nf.statusCode()).isEqualTo(404);
    assertThat(nf.body()).contains("web.not_found");
    HttpResponse<String> na = get("/api/v1/write");
    assertThat(na.statusCode()).isEqualTo(405);
    assertThat(na.body()).contains("web.method_not_allowed");
    HttpResponse<String> admin = get("/api/admin/status");
    assertThat(admin.statusCode()).isEqualTo(501);
    assertThat(admin.body()).contains("web.not_implemented");
    assertThat(get("/ping").statusCode()).isEqualTo(204);
  }
}
