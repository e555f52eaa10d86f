package io.quiver.flight;

import io.quiver.columnar.SampleSchema;
import io.quiver.flight.internal.QuiverFlightProducer;
import io.quiver.index.LabelLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Arrow Flight server of a Quiver node: {@code start(allocator, host, port, backend)}, then {@link #close()}.
 *
 * <p>Memory: the server takes a child allocator {@code quiver-flight} of the given allocator; every DoGet stream
 * takes its own child of that with {@link FlightConfig#streamMemoryLimitBytes()}, closed when the stream ends,
 * fails or is cancelled. Threads: gRPC calls run on Flight's default executor (cached pool: DoPut and the
 * backpressure callbacks must never wait for a bounded pool); DoGet streams are pumped on a bounded pool
 * {@code quiver-flight-stream-N} ({@link FlightConfig#streamThreads()} threads,
 * {@link FlightConfig#streamQueue()} waiting; beyond that DoGet answers RESOURCE_EXHAUSTED).
 */
public final class QuiverFlightServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QuiverFlightServer.class);

  private final BufferAllocator allocator;
  private final ThreadPoolExecutor streamExecutor;
  private final QuiverFlightProducer producer;
  private final FlightServer server;
  private final Location location;
  private boolean closed;

  private QuiverFlightServer(Builder b) throws IOException {
    FlightConfig config = b.config;
    this.allocator = b.allocator.newChildAllocator("quiver-flight", 0, b.allocator.getLimit());
    this.streamExecutor = new ThreadPoolExecutor(config.streamThreads(), config.streamThreads(), 60,
        TimeUnit.SECONDS, new ArrayBlockingQueue<>(Math.max(1, config.streamQueue())),
        namedThreads("quiver-flight-stream-"));
    streamExecutor.allowCoreThreadTimeOut(true);
    this.producer = new QuiverFlightProducer(allocator, b.backend, config, streamExecutor,
        b.labelLimits, b.clock);
    // Arrow's Schema class builds a Jackson ObjectMapper in its static initialiser: ~150 ms of CPU in a fresh JVM on
    // the 2-core machine, paid by the first plan and the first stream of every node (whose parallel streams all
    // waited on the class lock). Pay it at start-up instead.
    SampleSchema.SAMPLES.getFields();
    try {
      this.server = FlightServer.builder(allocator, Location.forGrpcInsecure(b.host, b.port), producer)
          .backpressureThreshold(config.backpressureThresholdBytes())
          .build()
          .start();
    } catch (IOException | RuntimeException e) {
      streamExecutor.shutdownNow();
      allocator.close();
      throw e;
    }
    this.location = Location.forGrpcInsecure(b.host, server.getPort());
    b.backend.serverStarted(b.host, server.getPort());
    LOG.info("flight server started [location={}, config={}]", location.getUri(), config);
  }

  /** Starts a server with the default configuration on {@code host:port} (port 0 picks a free port). */
  public static QuiverFlightServer start(BufferAllocator allocator, String host, int port, FlightBackend backend) {
    return builder(allocator, backend).host(host).port(port).start();
  }

  /** A builder with the defaults: 127.0.0.1, port 0, {@link FlightConfig#defaults()}, default label limits. */
  public static Builder builder(BufferAllocator allocator, FlightBackend backend) {
    return new Builder(allocator, backend);
  }

  /** The bound port. */
  public int port() {
    return server.getPort();
  }

  /** The location clients connect to ({@code grpc+tcp://host:port}). */
  public Location location() {
    return location;
  }

  /** Stops accepting calls, cancels running streams, waits briefly for them, and releases all memory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    producer.beginClose();
    streamExecutor.shutdown();
    try {
      server.shutdown();
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("flight server did not stop in time, closing anyway [location={}]", location.getUri());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      server.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    streamExecutor.shutdownNow();
    try {
      streamExecutor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    allocator.close();
    LOG.info("flight server stopped [location={}]", location.getUri());
  }

  private static ThreadFactory namedThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Options of {@link QuiverFlightServer}. */
  public static final class Builder {
    private final BufferAllocator allocator;
    private final FlightBackend backend;
    private String host = "127.0.0.1";
    private int port;
    private FlightConfig config = FlightConfig.defaults();
    private LabelLimits labelLimits = LabelLimits.DEFAULT;
    private Clock clock = Clock.systemUTC();

    private Builder(BufferAllocator allocator, FlightBackend backend) {
      this.allocator = Objects.requireNonNull(allocator, "allocator");
      this.backend = Objects.requireNonNull(backend, "backend");
    }

    /** Host to bind and advertise. */
    public Builder host(String v) {
      host = Objects.requireNonNull(v, "host");
      return this;
    }

    /** Port to bind; 0 picks a free port. */
    public Builder port(int v) {
      port = v;
      return this;
    }

    /** Server configuration. */
    public Builder config(FlightConfig v) {
      config = Objects.requireNonNull(v, "config");
      return this;
    }

    /** Limits DoPut applies to label sets (the same as HTTP ingestion's). */
    public Builder labelLimits(LabelLimits v) {
      labelLimits = Objects.requireNonNull(v, "labelLimits");
      return this;
    }

    /** Clock resolving {@code now} in commands. */
    public Builder clock(Clock v) {
      clock = Objects.requireNonNull(v, "clock");
      return this;
    }

    /** Binds and starts the server. */
    public QuiverFlightServer start() {
      try {
        return new QuiverFlightServer(this);
      } catch (IOException e) {
        throw new UncheckedIOException("flight server failed to start [host=" + host + ", port=" + port + "]", e);
      }
    }
  }
}
