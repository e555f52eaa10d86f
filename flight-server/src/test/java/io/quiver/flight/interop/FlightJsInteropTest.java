package io.quiver.flight.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.WriteBatch;
import io.quiver.flight.LocalFlightBackend;
import io.quiver.flight.QuiverFlightServer;
import io.quiver.flight.TestShards;
import io.quiver.index.Labels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Interop with an independent, non-Java Arrow Flight implementation: the npm package
 * {@code @firetiger-oss/flight-sql-client} (gRPC via {@code @grpc/grpc-js}, decoding with {@code apache-arrow} JS)
 * reads the same query as the Java client, and both must see the same rows, label dictionaries, timestamps and
 * column types. Needs {@code node} and {@code interop/flight-js/node_modules} ({@code npm ci} there); skipped, loudly,
 * when they are absent, so {@code mvn verify} does not depend on npm.
 */
@Tag("interop")
class FlightJsInteropTest {
  private static final String COMMAND = "{\"match\":[\"{__name__=~\\\".+\\\"}\"],\"start\":\"1970-01-01T00:00:01Z\"}";

  private BufferAllocator allocator;
  private QuiverFlightServer server;

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
    if (allocator != null) {
      allocator.close();
    }
  }

  @Test
  void shouldDecodeSameRowsDictionariesAndTimestampsAsJavaClient() throws Exception {
    Path script = interopDir().resolve("read.js");
    if (!Files.isDirectory(interopDir().resolve("node_modules")) || !nodeAvailable()) {
      String banner = "\n**********************************************************************\n"
          + "* SKIPPED FlightJsInteropTest: needs node and " + interopDir().resolve("node_modules") + "\n"
          + "* run: (cd interop/flight-js && npm ci)                              *\n"
          + "**********************************************************************\n";
      System.err.println(banner);
      Assumptions.abort(banner);
    }
    allocator = new RootAllocator();
    LocalFlightBackend backend = LocalFlightBackend.of("interop", TestShards.memory(3, 500));
    writeData(backend, new Random(42));
    server = QuiverFlightServer.start(allocator, "127.0.0.1", 0, backend);

    JsonNode java = new ObjectMapper().readTree(javaRead(server));
    JsonNode js = new ObjectMapper().readTree(nodeRead(script, server.location().getUri().toString()));

    assertThat(js.get("endpoints")).isEqualTo(java.get("endpoints"));
    assertThat(js.get("dictionaries")).isEqualTo(java.get("dictionaries"));
    assertThat(js.get("rows").size()).isEqualTo(java.get("rows").size());
    assertThat(js.get("rows")).isEqualTo(java.get("rows"));
    List<String> types = new ArrayList<>();
    js.get("columns").forEach(c -> types.add(c.get("name").asText() + ":" + c.get("type").asText()));
    assertThat(types).startsWith("timestamp:Timestamp<MILLISECOND, UTC>", "value:Float64")
        .contains("__name__:Dictionary<Int32, Utf8>", "zone:Dictionary<Int32, Utf8>");
  }

  private static void writeData(LocalFlightBackend backend, Random random) {
    List<SeriesSamples> batch = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      Labels.Builder b = Labels.builder().add("__name__", i % 3 == 0 ? "up" : "http_requests_total")
          .add("instance", "10.0.0." + i + ":9100").add("job", "node");
      if (i % 4 == 0) {
        b.add("zone", "eu-" + (i % 2) + "ä");
      }
      int n = 300;
      long[] ts = new long[n];
      long[] bits = new long[n];
      for (int k = 0; k < n; k++) {
        ts[k] = 1_000 + (long) random.nextInt(100_000) * 15;
        double v = switch (k % 50) {
          case 0 -> Double.NaN;
          case 1 -> Double.POSITIVE_INFINITY;
          default -> random.nextGaussian() * 100;
        };
        bits[k] = Double.doubleToRawLongBits(v);
      }
      batch.add(new SeriesSamples(b.build(), ts, bits));
    }
    backend.write(new WriteBatch(batch)).join();
  }

  /** The same JSON document read.js prints, from the Java Flight client. */
  private String javaRead(QuiverFlightServer s) throws Exception {
    try (FlightClient client = FlightClient.builder(allocator, s.location()).build()) {
      FlightInfo info = client.getInfo(FlightDescriptor.command(COMMAND.getBytes(StandardCharsets.UTF_8)));
      List<String[]> rows = new ArrayList<>();
      TreeMap<String, TreeSet<String>> dictionaries = new TreeMap<>();
      for (FlightEndpoint ep : info.getEndpoints()) {
        try (FlightStream stream = client.getStream(ep.getTicket())) {
          VectorSchemaRoot root = stream.getRoot();
          while (stream.next()) {
            for (int r = 0; r < root.getRowCount(); r++) {
              rows.add(row(stream, root, r));
            }
          }
          // Dictionaries arrive before the first batch; read them once the stream is consumed.
          for (FieldVector v : root.getFieldVectors()) {
            if (v.getField().getDictionary() != null) {
              VarCharVector dict = (VarCharVector) stream.getDictionaryProvider()
                  .lookup(v.getField().getDictionary().getId()).getVector();
              TreeSet<String> set = dictionaries.computeIfAbsent(v.getName(), k -> new TreeSet<>());
              for (int i = 0; i < dict.getValueCount(); i++) {
                set.add(new String(dict.get(i), StandardCharsets.UTF_8));
              }
            }
          }
        }
      }
      rows.sort((a, b) -> a[0].equals(b[0]) ? Long.compare(Long.parseLong(a[1]), Long.parseLong(b[1]))
          : a[0].compareTo(b[0]));
      ObjectMapper m = new ObjectMapper();
      var doc = m.createObjectNode();
      doc.put("endpoints", info.getEndpoints().size());
      var dicts = doc.putObject("dictionaries");
      dictionaries.forEach((k, v) -> {
        var arr = dicts.putArray(k);
        v.forEach(arr::add);
      });
      var arr = doc.putArray("rows");
      for (String[] r : rows) {
        arr.addArray().add(r[0]).add(Long.parseLong(r[1])).add(r[2]);
      }
      return m.writeValueAsString(doc);
    }
  }

  private static String[] row(FlightStream stream, VectorSchemaRoot root, int r) {
    StringBuilder series = new StringBuilder();
    for (FieldVector v : root.getFieldVectors()) {
      if (v.getField().getDictionary() == null || v.isNull(r)) {
        continue;
      }
      VarCharVector dict = (VarCharVector) stream.getDictionaryProvider()
          .lookup(v.getField().getDictionary().getId()).getVector();
      String value = new String(dict.get((int) ((BaseIntVector) v).getValueAsLong(r)), StandardCharsets.UTF_8);
      series.append(series.length() == 0 ? "" : ",").append(v.getName()).append('=').append(value);
    }
    long ts = ((TimeStampMilliTZVector) root.getVector("timestamp")).get(r);
    long bits = ((Float8Vector) root.getVector("value")).getDataBuffer().getLong((long) r * 8);
    String hex = String.format("%016x", bits);
    return new String[] {series.toString(), Long.toString(ts), hex};
  }

  private static String nodeRead(Path script, String uri) throws IOException, InterruptedException {
    Path out = Files.createTempFile("flight-js", ".json");
    Path err = Files.createTempFile("flight-js", ".err");
    try {
      Process p = new ProcessBuilder("node", script.toString(), uri, COMMAND)
          .directory(script.getParent().toFile())
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("node read.js timed out");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError("node read.js failed: " + Files.readString(err));
      }
      return Files.readString(out);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static Path interopDir() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("interop/flight-js"))) {
        return d.resolve("interop/flight-js");
      }
    }
    return dir.resolve("../interop/flight-js").normalize();
  }

  private static boolean nodeAvailable() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
