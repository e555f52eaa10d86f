package io.quiver.flight.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Flight read load generator: {@code GetFlightInfo} for the selectors, then every endpoint on a pool of
 * {@code parallel} threads, each from the first location that answers (leader first, then the other replicas; a
 * failure before or during a stream restarts that endpoint on the next location). Batches are decoded into the
 * client's vectors by {@link FlightStream#next()}; rows and buffer bytes are counted. The clock starts once the
 * entry connection is up (one ListActions round trip, reported as {@code connect_ms}), right before GetFlightInfo.
 * The result line is {@code read samples=<n> samples_per_s=<n> bytes_per_s=<n> first_batch_ms=<x>}.
 */
public final class ReadBench {
  private static final JsonFactory JSON = JsonFactory.builder().build();

  private ReadBench() {}

  /**
   * What to read.
   *
   * @param flight entry location, e.g. {@code grpc://127.0.0.1:19301} ({@code grpc+tcp://} also accepted)
   * @param match Prometheus selectors (a union)
   * @param start command start (RFC 3339, epoch ms, now-1h) or null for the beginning
   * @param end command end or null for the end of time
   * @param parallel endpoints read at the same time
   * @param consistency {@code linearizable} or {@code follower}
   */
  public record Options(URI flight, List<String> match, String start, String end, int parallel,
      String consistency) {
    /** Validates. */
    public Options {
      Objects.requireNonNull(flight, "flight");
      match = List.copyOf(match);
      if (match.isEmpty()) {
        throw new IllegalArgumentException("at least one --match selector is needed");
      }
      if (parallel < 1) {
        throw new IllegalArgumentException("parallel must be positive [parallel=" + parallel + "]");
      }
    }
  }

  /**
   * What was read.
   *
   * @param samples rows received
   * @param bytes Arrow buffer bytes received (record batches, dictionaries excluded)
   * @param endpoints endpoints read
   * @param elapsedNanos from before GetFlightInfo (the entry connection is up) to the end of the last stream
   * @param firstBatchNanos from before GetFlightInfo to the first batch of any stream, or -1
   * @param planNanos GetFlightInfo alone
   * @param connectNanos the entry connection's set-up before the clock started (see {@code connect})
   */
  public record Result(long samples, long bytes, int endpoints, long elapsedNanos, long firstBatchNanos,
      long planNanos, long connectNanos) {
    /** The summary line {@code bin/quiver bench read} prints last. */
    public String line() {
      double seconds = Math.max(elapsedNanos, 1) / 1e9;
      return String.format(Locale.ROOT, "read samples=%d samples_per_s=%d bytes_per_s=%d first_batch_ms=%.1f",
          samples, (long) (samples / seconds), (long) (bytes / seconds),
          firstBatchNanos < 0 ? -1.0 : firstBatchNanos / 1e6);
    }

    /** Where the time went: planning, first batch, whole read (printed before {@link #line()}). */
    public String phases() {
      return String.format(Locale.ROOT,
          "phases endpoints=%d connect_ms=%.1f plan_ms=%.1f first_batch_ms=%.1f elapsed_ms=%.1f", endpoints,
          connectNanos / 1e6, planNanos / 1e6, firstBatchNanos < 0 ? -1.0 : firstBatchNanos / 1e6,
          elapsedNanos / 1e6);
    }
  }

  /** Runs the benchmark; clients and buffers come from {@code allocator} and are closed before returning. */
  public static Result run(BufferAllocator allocator, Options options) throws InterruptedException {
    AtomicLong firstBatch = new AtomicLong(-1);
    AtomicLong samples = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    Map<URI, FlightClient> clients = new ConcurrentHashMap<>();
    Location entry = new Location(options.flight());
    ExecutorService pool = Executors.newFixedThreadPool(options.parallel(), namedThreads());
    try {
      FlightClient entryClient = clients.computeIfAbsent(clientKey(entry),
          u -> FlightClient.builder(allocator, entry).build());
      long connectStartNanos = System.nanoTime();
      connect(entryClient);
      long startNanos = System.nanoTime();
      long connectNanos = startNanos - connectStartNanos;
      FlightInfo info = entryClient.getInfo(FlightDescriptor.command(command(options)));
      long planNanos = System.nanoTime() - startNanos;
      List<Future<?>> futures = new ArrayList<>();
      for (FlightEndpoint ep : info.getEndpoints()) {
        futures.add(pool.submit(() -> {
          readEndpoint(ep, entry, clients, allocator, startNanos, firstBatch, samples, bytes);
          return null;
        }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
      }
      return new Result(samples.get(), bytes.get(), info.getEndpoints().size(), System.nanoTime() - startNanos,
          firstBatch.get() < 0 ? -1 : firstBatch.get() - startNanos, planNanos, connectNanos);
    } finally {
      pool.shutdownNow();
      for (FlightClient c : clients.values()) {
        c.close();
      }
    }
  }

  /**
   * One ListActions round trip: opens the client's HTTP/2 connection and loads the client's gRPC and Arrow
   * classes, so that the measured read does not include JVM and connection start-up (a data-science client reads
   * over a connection it already has). Reported as {@code connect_ms}. It also initialises Arrow's {@link Schema}
   * class, whose static initialiser builds a Jackson {@code ObjectMapper} for JSON schemas (about 160 ms of CPU in a
   * fresh JVM on the 2-core machine) that the first {@code FlightInfo} would otherwise pay inside the clock.
   */
  private static void connect(FlightClient client) {
    for (ActionType ignored : client.listActions()) {
      // drain: the round trip is the point
    }
    new Schema(List.of());
  }

  private static void readEndpoint(FlightEndpoint ep, Location entry, Map<URI, FlightClient> clients,
      BufferAllocator allocator, long startNanos, AtomicLong firstBatch, AtomicLong samples, AtomicLong bytes)
      throws Exception {
    List<Location> locations = ep.getLocations().isEmpty() ? List.of(entry) : ep.getLocations();
    FlightRuntimeException last = null;
    for (Location location : locations) {
      Location target = isReuse(location) ? entry : location;
      FlightClient client = clients.computeIfAbsent(clientKey(target),
          u -> FlightClient.builder(allocator, target).build());
      long rows = 0;
      long size = 0;
      try (FlightStream stream = client.getStream(ep.getTicket())) {
        VectorSchemaRoot root = stream.getRoot();
        while (stream.next()) {
          firstBatch.compareAndSet(-1, System.nanoTime());
          rows += root.getRowCount();
          for (FieldVector v : root.getFieldVectors()) {
            size += v.getBufferSize();
          }
        }
        samples.addAndGet(rows);
        bytes.addAndGet(size);
        return;
      } catch (FlightRuntimeException e) {
        FlightStatusCode code = e.status().code();
        boolean tryNext = code == FlightStatusCode.UNAVAILABLE || code == FlightStatusCode.NOT_FOUND
            || code == FlightStatusCode.TIMED_OUT;
        if (!tryNext) {
          throw e;
        }
        last = e;
      }
    }
    throw Objects.requireNonNull(last);
  }

  /**
   * The client cache key of a location: {@code grpc://h:p} and {@code grpc+tcp://h:p} name the same server, so the
   * entry connection is reused for endpoints it serves.
   */
  static URI clientKey(Location location) {
    URI uri = location.getUri();
    if ("grpc".equals(uri.getScheme()) || "grpc+tcp".equals(uri.getScheme())) {
      return URI.create("grpc+tcp://" + uri.getHost() + ":" + uri.getPort());
    }
    return uri;
  }

  private static boolean isReuse(Location location) {
    return "arrow-flight-reuse-connection".equals(location.getUri().getScheme());
  }

  /** The GetFlightInfo command JSON. */
  static byte[] command(Options o) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("match");
      for (String m : o.match()) {
        g.writeString(m);
      }
      g.writeEndArray();
      if (o.start() != null) {
        writeTime(g, "start", o.start());
      }
      if (o.end() != null) {
        writeTime(g, "end", o.end());
      }
      if (o.consistency() != null) {
        g.writeStringField("consistency", o.consistency());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void writeTime(JsonGenerator g, String field, String value) throws IOException {
    if (value.matches("-?\\d+")) {
      g.writeNumberField(field, Long.parseLong(value));
    } else {
      g.writeStringField(field, value);
    }
  }

  private static java.util.concurrent.ThreadFactory namedThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "bench-read-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
