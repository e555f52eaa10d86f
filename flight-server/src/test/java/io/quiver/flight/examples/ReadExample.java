package io.quiver.flight.examples;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;

/**
 * How a Java service reads Quiver over Arrow Flight: plan with GetFlightInfo, read every endpoint (one per shard) in
 * parallel from the first replica that answers, decode the dictionary-encoded label columns. Compiled with the
 * tests and exercised by {@code ReadExampleTest}; run it against a cluster with
 *
 * <pre>
 * java --add-opens=java.base/java.nio=ALL-UNNAMED -cp ... io.quiver.flight.examples.ReadExample \
 *     grpc+tcp://127.0.0.1:19301 '{"match":["up"],"start":"now-1h"}'
 * </pre>
 */
public final class ReadExample {
  private ReadExample() {}

  /** Reads the query and prints the samples per series. */
  public static void main(String[] args) throws Exception {
    try (BufferAllocator allocator = new RootAllocator()) {
      Map<String, Long> perSeries = read(allocator, new URI(args[0]), args[1]);
      perSeries.forEach((series, n) -> System.out.println(series + " " + n));
      System.out.println(perSeries.values().stream().mapToLong(Long::longValue).sum() + " samples");
    }
  }

  /** Samples per series ({@code name=value,...}) matching {@code commandJson}. */
  public static Map<String, Long> read(BufferAllocator allocator, URI entry, String commandJson) throws Exception {
    Map<URI, FlightClient> clients = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      FlightClient planner = client(clients, allocator, entry);
      FlightInfo info = planner.getInfo(FlightDescriptor.command(commandJson.getBytes(StandardCharsets.UTF_8)));
      List<Future<Map<String, Long>>> parts = new ArrayList<>();
      for (FlightEndpoint endpoint : info.getEndpoints()) {
        parts.add(pool.submit(() -> readEndpoint(clients, allocator, endpoint)));
      }
      Map<String, Long> total = new HashMap<>();
      for (Future<Map<String, Long>> part : parts) {
        part.get().forEach((k, v) -> total.merge(k, v, Long::sum));
      }
      return total;
    } finally {
      pool.shutdownNow();
      for (FlightClient c : clients.values()) {
        c.close();
      }
    }
  }

  private static Map<String, Long> readEndpoint(Map<URI, FlightClient> clients, BufferAllocator allocator,
      FlightEndpoint endpoint) throws Exception {
    FlightRuntimeException last = null;
    for (Location location : endpoint.getLocations()) { // leader first, then the other replicas
      try (FlightStream stream = client(clients, allocator, location.getUri()).getStream(endpoint.getTicket())) {
        return count(stream);
      } catch (FlightRuntimeException e) {
        FlightStatusCode code = e.status().code();
        if (code != FlightStatusCode.UNAVAILABLE && code != FlightStatusCode.NOT_FOUND
            && code != FlightStatusCode.TIMED_OUT) {
          throw e; // bad request or server bug: another replica would answer the same
        }
        last = e; // replica down, lagging, or no longer holding the shard: try the next one
      }
    }
    throw last != null ? last : new IllegalStateException("endpoint without locations");
  }

  private static Map<String, Long> count(FlightStream stream) {
    Map<String, Long> perSeries = new HashMap<>();
    VectorSchemaRoot root = stream.getRoot();
    while (stream.next()) {
      TimeStampMilliTZVector timestamps = (TimeStampMilliTZVector) root.getVector("timestamp");
      Float8Vector values = (Float8Vector) root.getVector("value");
      DictionaryProvider dictionaries = stream.getDictionaryProvider();
      for (int row = 0; row < root.getRowCount(); row++) {
        long timestampMs = timestamps.get(row);
        double value = values.get(row);
        consume(timestampMs, value); // a real client uses the sample here
        StringBuilder series = new StringBuilder();
        for (FieldVector column : root.getFieldVectors()) {
          if (column.getField().getDictionary() == null || column.isNull(row)) {
            continue; // timestamp/value, or a label this series does not have
          }
          VarCharVector dictionary = (VarCharVector) dictionaries
              .lookup(column.getField().getDictionary().getId()).getVector();
          int index = ((IntVector) column).get(row);
          series.append(series.length() == 0 ? "" : ",").append(column.getName()).append('=')
              .append(new String(dictionary.get(index), StandardCharsets.UTF_8));
        }
        perSeries.merge(series.toString(), 1L, Long::sum);
      }
    }
    return perSeries;
  }

  private static void consume(long timestampMs, double value) {
    // e.g. feed a histogram or a model
  }

  private static FlightClient client(Map<URI, FlightClient> clients, BufferAllocator allocator, URI uri) {
    return clients.computeIfAbsent(uri, u -> FlightClient.builder(allocator, new Location(u)).build());
  }
}
