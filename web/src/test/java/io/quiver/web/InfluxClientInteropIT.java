package io.quiver.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.WriteApiBlocking;
import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import com.influxdb.exceptions.BadRequestException;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official InfluxDB 2.x Java client ({@code com.influxdb:influxdb-client-java}) writes to {@code /api/v2/write}. */
class InfluxClientInteropIT {
  private final MemoryStore store = new MemoryStore();
  private Vertx vertx;
  private WebServer server;
  private String base;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    server = WebServer.create(vertx, WebConfigKeys.read(Map.of(WebConfigKeys.BIND_HOST.name(), "127.0.0.1")),
        WebServices.of(store, store));
    base = "http://127.0.0.1:" + server.start(0).join();
  }

  @AfterEach
  void tearDown() {
    server.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void shouldStoreWhatTheOfficialClientWritesWithAndWithoutGzip() throws Exception {
    try (InfluxDBClient client = InfluxDBClientFactory.create(base, "token".toCharArray(), "org", "metrics")) {
      WriteApiBlocking write = client.getWriteApiBlocking();
      write.writeRecord(WritePrecision.NS, "cpu,host=web\\ 1,dc=eu usage=0.25,cores=8i 1700000000000000000");
      write.writePoint(Point.measurement("mem").addTag("host", "db-1").addField("free", 2.5)
          .addField("ok", true).time(1_700_000_001_000L, WritePrecision.MS));
      client.enableGzip();
      write.writeRecord(WritePrecision.S, "disk,host=h used=10u 1700000002");
      assertThatThrownBy(() -> write.writeRecord(WritePrecision.NS, "cpu,host=a value= 1"))
          .isInstanceOf(BadRequestException.class).hasMessageContaining("line=1");
    }
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String export = http.send(HttpRequest.newBuilder(URI.create(base
        + "/api/v1/export?match[]=%7B__name__%3D~%22cpu_.*%7Cmem_.*%7Cdisk_.*%22%7D")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(export)
        .contains("{\"metric\":{\"__name__\":\"cpu_usage\",\"db\":\"metrics\",\"dc\":\"eu\",\"host\":\"web 1\"},"
            + "\"values\":[0.25],\"timestamps\":[1700000000000]}")
        .contains("\"__name__\":\"cpu_cores\"")
        .contains("{\"metric\":{\"__name__\":\"mem_free\",\"db\":\"metrics\",\"host\":\"db-1\"},\"values\":[2.5],"
            + "\"timestamps\":[1700000001000]}")
        .contains("\"__name__\":\"mem_ok\"")
        .contains("{\"metric\":{\"__name__\":\"disk_used\",\"db\":\"metrics\",\"host\":\"h\"},\"values\":[10.0],"
            + "\"timestamps\":[1700000002000]}");
    assertThat(store.sampleCount()).isEqualTo(5);
  }
}
