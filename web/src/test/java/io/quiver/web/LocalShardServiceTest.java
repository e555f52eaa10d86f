package io.quiver.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.columnar.ShardStore;
import io.quiver.columnar.StoreConfig;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import io.quiver.columnar.SeriesSamples;
import io.quiver.index.Labels;
import io.quiver.web.bench.RemoteWriteEncoder;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP edge over a real {@link ShardStore} through {@link LocalShardService}. */
class LocalShardServiceTest {
  static final long STALE_NAN = 0x7ff0000000000002L;

  @TempDir Path dir;
  private BufferAllocator allocator;
  private ShardStore store;
  private ExecutorService readers;
  private LocalShardService service;
  private Vertx vertx;
  private WebServer server;
  private String base;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
    store = ShardStore.open(dir.resolve("shard-0"), allocator, StoreConfig.defaults());
    readers = Executors.newFixedThreadPool(2);
    service = new LocalShardService(store, allocator, readers);
    vertx = Vertx.vertx();
    server = WebServer.create(vertx, WebConfigKeys.read(Map.of(WebConfigKeys.BIND_HOST.name(), "127.0.0.1",
        WebConfigKeys.DECODE_THREADS.name(), "2")), WebServices.of(service, service));
    base = "http://127.0.0.1:" + server.start(0).join();
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
    service.close();
    readers.shutdownNow();
    store.close();
    allocator.close();
  }

  private HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void shouldStoreRemoteWriteAndExportItBitExactIncludingStaleMarkers() throws Exception {
    SeriesSamples up = new SeriesSamples(Labels.of("__name__", "up", "job", "node"), new long[] {3000, 1000, 2000},
        new long[] {STALE_NAN, Double.doubleToRawLongBits(1), Double.doubleToRawLongBits(0.5)});
    byte[] body = RemoteWriteEncoder.snappy(RemoteWriteEncoder.encode(List.of(up)));
    assertThat(post("/api/v1/write", body, "Content-Encoding", "snappy").statusCode()).isEqualTo(204);
    // A retry of the same request stores nothing twice.
    assertThat(post("/api/v1/write", body, "Content-Encoding", "snappy").statusCode()).isEqualTo(204);
    String match = URLEncoder.encode("up{job=~\"no.*\"}", StandardCharsets.UTF_8);
    assertThat(get("/api/v1/export?match[]=" + match)).isEqualTo("{\"metric\":{\"__name__\":\"up\",\"job\":\"node\"},"
        + "\"values\":[1.0,0.5,\"NaN:0x7ff0000000000002\"],\"timestamps\":[1000,2000,3000]}\n");
    assertThat(get("/api/v1/series?match[]=up")).contains("\"job\":\"node\"");
    assertThat(get("/api/v1/label/job/values")).isEqualTo("{\"status\":\"success\",\"data\":[\"node\"]}");
  }

  @Test
  void shouldStoreNothingOfARejectedRequest() throws Exception {
    HttpResponse<String> r = post("/api/v2/write?precision=ns",
        "cpu,host=a value=1 1700000000000000000\ncpu,host=a value= 1700000000000000000\n".getBytes());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(get("/api/v1/export?match[]=cpu_value")).isEmpty();
    assertThat(store.stats().seriesCount()).isZero();
    assertThat(post("/api/v2/write?precision=s&bucket=b", "cpu,host=a value=1 1700000000\n".getBytes())
        .statusCode()).isEqualTo(204);
    assertThat(get("/api/v1/export?match[]=cpu_value")).contains("\"timestamps\":[1700000000000]");
  }
}
