package io.quiver.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.raft.NodeAddress;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three full nodes (Raft, HTTP, Flight) in one JVM on 127.0.0.1, bootstrapped like {@code bin/quiver local} does:
 * writes through one node are read back through the others, over HTTP and over Arrow Flight.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeClusterIT {
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  private final List<QuiverNode> nodes = new ArrayList<>();
  private final List<NodeAddress> members = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Path dataRoot;

  @BeforeAll
  void startCluster() throws Exception {
    dataRoot = Files.createTempDirectory("quiver-node-it");
    int[] ports = LocalCluster.freePorts(9);
    for (int i = 0; i < 3; i++) {
      members.add(new NodeAddress("n" + (i + 1), "127.0.0.1", ports[3 * i + 2], ports[3 * i], ports[3 * i + 1]));
    }
    for (int i = 0; i < 3; i++) {
      NodeAddress m = members.get(i);
      Map<String, String> s = new HashMap<>();
      s.put("quiver.node.id", m.nodeId());
      s.put("quiver.node.host", m.host());
      s.put("quiver.node.raft-port", Integer.toString(m.raftPort()));
      s.put("quiver.node.http-port", Integer.toString(m.httpPort()));
      s.put("quiver.node.flight-port", Integer.toString(m.flightPort()));
      s.put("quiver.node.data-dir", dataRoot.resolve(m.nodeId()).toString());
      s.put("quiver.node.zone", "zone-" + (i + 1));
      s.put("quiver.node.arrow-memory-bytes", Long.toString(512L << 20));
      s.put("quiver.cluster.initial", MemberSpec.format(members));
      s.put("quiver.cluster.shards", "4");
      s.put("quiver.cluster.rf", "3");
      nodes.add(QuiverNode.start(NodeConfig.of(s)));
    }
    StatusClient status = new StatusClient(members.get(0).httpUrl(), Duration.ofSeconds(5));
    await("every shard has a leader", status::allShardsLed);
  }

  @AfterAll
  void stopCluster() throws IOException {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
    if (dataRoot != null) {
      try (var walk = Files.walk(dataRoot)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void shouldReadThroughNodeCWhatWasWrittenThroughNodeA() throws Exception {
    long now = System.currentTimeMillis();
    StringBuilder body = new StringBuilder();
    for (int s = 0; s < 20; s++) {
      body.append("{\"labels\":{\"__name__\":\"it_temp\",\"room\":\"r").append(s).append("\"},\"samples\":[[")
          .append(now).append(',').append(s).append("],[").append(now + 1000).append(',').append(s + 0.5)
          .append("]]}\n");
    }
    HttpResponse<String> w = post(members.get(0), "/api/v1/import", body.toString());
    assertThat(w.statusCode()).as(w.body()).isEqualTo(204);

    // Linearizable read-back through another node, immediately after the acknowledgement.
    HttpResponse<String> r = get(members.get(2), "/api/v1/export?match[]=" + enc("it_temp"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    long samples = r.body().lines().filter(l -> !l.isBlank())
        .mapToLong(l -> new JsonObject(l).getJsonArray("values").size()).sum();
    assertThat(samples).isEqualTo(40);

    HttpResponse<String> series = get(members.get(1), "/api/v1/series?match[]=" + enc("it_temp{room=~\"r1.*\"}"));
    JsonArray data = new JsonObject(series.body()).getJsonArray("data");
    assertThat(data).hasSize(11); // r1, r10..r19

    // The reads above went through read-barrier entries, which every replica applies and counts.
    String metrics = get(members.get(2), "/metrics").body();
    assertThat(sum(metrics, "quiver_shard_read_barriers_total")).isPositive();
    assertThat(sum(metrics, "quiver_shard_read_barrier_entries_total")).isPositive();
    // The 40 samples sit in that node's heads, counted against its budget; no maintenance step has failed.
    assertThat(sum(metrics, "quiver_store_heads_bytes")).isPositive();
    assertThat(sum(metrics, "quiver_store_heads_limit_bytes")).isGreaterThan(sum(metrics, "quiver_store_heads_bytes"));
    assertThat(sum(metrics, "quiver_store_maintenance_failures_total")).isZero();
  }

  /** Sum of every sample of {@code family} in a Prometheus text exposition. */
  private static double sum(String exposition, String family) {
    return exposition.lines().filter(l -> l.startsWith(family + "{") || l.startsWith(family + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  void shouldSeeAnAcknowledgedWriteInAnImmediateFlightReadOnEveryReplica() throws Exception {
    long now = System.currentTimeMillis();
    String line = "{\"labels\":{\"__name__\":\"it_ryw\",\"k\":\"v\"},\"samples\":[[" + now + ",42]]}\n";
    assertThat(post(members.get(1), "/api/v1/import", line).statusCode()).isEqualTo(204);
    try (BufferAllocator allocator = new RootAllocator()) {
      for (NodeAddress reader : members) {
        try (FlightClient client = FlightClient.builder(allocator,
            Location.forGrpcInsecure(reader.host(), reader.flightPort())).build()) {
          FlightInfo info = client.getInfo(FlightDescriptor.command(
              "{\"match\":[\"it_ryw\"]}".getBytes(StandardCharsets.UTF_8)));
          assertThat(info.getEndpoints()).hasSize(1);
          FlightEndpoint ep = info.getEndpoints().get(0);
          // Read from every location, followers included: each must already see the write.
          for (Location loc : ep.getLocations()) {
            try (FlightClient replica = FlightClient.builder(allocator, loc).build();
                FlightStream stream = replica.getStream(ep.getTicket())) {
              long rows = 0;
              while (stream.next()) {
                rows += stream.getRoot().getRowCount();
              }
              assertThat(rows).as("rows from %s via %s", loc, reader.nodeId()).isEqualTo(1);
            }
          }
        }
      }
    }
  }

  @Test
  void shouldReportHealthyStatusWithAQuorumForEveryShard() throws Exception {
    JsonObject s = new StatusClient(members.get(1).httpUrl(), Duration.ofSeconds(10)).status();
    assertThat(AdminCommands.Status.quorumEverywhere(s)).isTrue();
    assertThat(s.getJsonArray("nodes")).hasSize(3);
  }

  private HttpResponse<String> post(NodeAddress node, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + path)).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(NodeAddress node, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + path)).timeout(Duration.ofSeconds(30))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      TimeUnit.MILLISECONDS.sleep(100); // polling over HTTP: there is no event to await
    }
  }
}
