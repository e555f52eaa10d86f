package io.quiver.flight;

import static io.quiver.flight.FlightTestSupport.await;
import static io.quiver.flight.FlightTestSupport.command;
import static io.quiver.flight.FlightTestSupport.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.WriteBatch;
import io.quiver.index.Labels;
import io.quiver.index.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QuiverFlightServerTest {
  // Runs against in-memory shards; StoreBackedFlightServerTest runs the same tests against columnar ShardStores.
  private static final String ALL = "{\"match\":[\"{__name__=~\\\".+\\\"}\"]}";

  private final long seed = Long.getLong("quiver.test.seed", System.nanoTime());
  private final Random random = new Random(seed);
  private BufferAllocator allocator;
  private BufferAllocator serverAllocator;
  private BufferAllocator clientAllocator;
  private LocalFlightBackend backend;
  private QuiverFlightServer server;
  private FlightClient client;
  /** The expected store content, maintained independently of the shards (last write wins). */
  private final Map<Labels, TreeMap<Long, Long>> model = new TreeMap<>();

  private void start(int shards, int batchRows) {
    start(shards, batchRows, new ArrowType.Int(32, true));
  }

  private void start(int shards, int batchRows, ArrowType.Int indexType) {
    System.out.println("seed=" + seed + " (rerun with -Dquiver.test.seed=" + seed + ")");
    allocator = new RootAllocator();
    serverAllocator = allocator.newChildAllocator("server", 0, Long.MAX_VALUE);
    clientAllocator = allocator.newChildAllocator("client", 0, Long.MAX_VALUE);
    backend = LocalFlightBackend.of("test-cluster", newShards(shards, batchRows, indexType));
    server = QuiverFlightServer.start(serverAllocator, "127.0.0.1", 0, backend);
    client = FlightClient.builder(clientAllocator, server.location()).build();
  }

  /** The shards under test; subclasses run every test against another store. */
  protected List<LocalFlightBackend.LocalShard> newShards(int count, int batchRows, ArrowType.Int indexType) {
    List<LocalFlightBackend.LocalShard> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(new MemoryShard(batchRows, indexType));
    }
    return list;
  }

  /** The allocator tests and stores allocate from; closed (and checked for leaks) after each test. */
  protected BufferAllocator rootAllocator() {
    return allocator;
  }

  /** Closes what {@link #newShards} opened; called after the server stopped. */
  protected void closeShards() throws Exception {}

  @AfterEach
  void tearDown() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    closeShards();
    if (allocator != null) {
      serverAllocator.close();
      clientAllocator.close();
      assertThat(allocator.getAllocatedMemory()).as("leaked bytes").isZero();
      allocator.close();
    }
  }

  @Test
  void shouldReturnWhatWasWrittenAcrossShardsWithOutOfOrderAndDuplicateWrites() {
    start(4, 100);
    writeRandom(40, 50);

    FlightInfo info = client.getInfo(command(ALL));

    assertThat(info.getEndpoints()).hasSizeBetween(2, 4);
    assertThat(info.getEndpoints()).allSatisfy(ep -> assertThat(ep.getLocations()).containsExactly(
        server.location()));
    assertThat(info.getSchema().getFields().stream().map(Field::getName).toList())
        .startsWith("timestamp", "value").contains("__name__", "host", "job");
    assertThat(readAll(client, info)).isEqualTo(model);
  }

  @Test
  void shouldCountEveryStoredSampleWhenReadBenchReadsAllEndpoints() throws Exception {
    start(4, 100);
    writeRandom(40, 50);
    long stored = model.values().stream().mapToLong(TreeMap::size).sum();
    // grpc:// and grpc+tcp:// name the same server: the bench reuses its entry connection for the endpoints.
    java.net.URI entry = java.net.URI.create("grpc://127.0.0.1:" + server.location().getUri().getPort());

    try (BufferAllocator benchAllocator = allocator.newChildAllocator("bench", 0, Long.MAX_VALUE)) {
      io.quiver.flight.bench.ReadBench.Result r = io.quiver.flight.bench.ReadBench.run(benchAllocator,
          new io.quiver.flight.bench.ReadBench.Options(entry, List.of("{__name__=~\".+\"}"), null, null, 3,
              "linearizable"));

      assertThat(r.samples()).isEqualTo(stored);
      assertThat(r.endpoints()).isBetween(2, 4);
      assertThat(r.line()).startsWith("read samples=" + stored + " samples_per_s=");
      assertThat(r.phases()).contains("connect_ms=", "plan_ms=", "first_batch_ms=");
    }
  }

  @Test
  void shouldApplyTimeRangeAndUnionOfSelectorsWithoutDuplicates() {
    start(3, 7);
    writeRandom(30, 20);
    String cmd = "{\"match\":[\"cpu{host=~\\\"h[0-4]\\\"}\",\"cpu{job=\\\"a\\\"}\",\"mem\"],"
        + "\"start\":1005,\"end\":\"1012\",\"consistency\":\"follower\",\"max_staleness_ms\":100}";

    FlightInfo info = client.getInfo(command(cmd));

    List<Selector> selectors = List.of(Selector.parse("cpu{host=~\"h[0-4]\"}"), Selector.parse("cpu{job=\"a\"}"),
        Selector.parse("mem"));
    Map<Labels, TreeMap<Long, Long>> expected = new TreeMap<>();
    model.forEach((labels, samples) -> {
      if (selectors.stream().anyMatch(s -> MemoryShard.matches(s, labels))) {
        TreeMap<Long, Long> range = new TreeMap<>(samples.subMap(1005L, true, 1012L, true));
        if (!range.isEmpty()) {
          expected.put(labels, range);
        }
      }
    });
    assertThat(expected).isNotEmpty();
    assertThat(readAll(client, info)).isEqualTo(expected);
  }

  @Test
  void shouldReconcileNonInt32DictionariesOnTheCopyPath() {
    start(2, 5, new ArrowType.Int(16, true));
    writeRandom(12, 9);

    assertThat(readAll(client, client.getInfo(command(ALL)))).isEqualTo(model);
  }

  @Test
  void shouldAnswerSchemaAndListFlightsPerMetric() {
    start(4, 100);
    writeRandom(20, 3);

    FlightInfo info = client.getInfo(command(ALL));
    assertThat(client.getSchema(command(ALL)).getSchema()).isEqualTo(info.getSchema());

    List<FlightInfo> flights = new ArrayList<>();
    client.listFlights(org.apache.arrow.flight.Criteria.ALL).forEach(flights::add);
    assertThat(flights).hasSize(2);
    Map<Labels, TreeMap<Long, Long>> all = new TreeMap<>();
    for (FlightInfo f : flights) {
      all.putAll(readAll(client, client.getInfo(f.getDescriptor())));
      all.putAll(readAll(client, f));
    }
    assertThat(all).isEqualTo(model);
  }

  @Test
  void shouldMapErrorsToFlightStatusCodes() {
    start(2, 100);
    writeRandom(5, 2);

    assertStatus(() -> client.getInfo(command("{\"match\": [")), FlightStatusCode.INVALID_ARGUMENT, "position=");
    assertStatus(() -> client.getInfo(command("{\"match\":[\"cpu{host=~\\\"(\\\"}\"]}")),
        FlightStatusCode.INVALID_ARGUMENT, "position");
    assertStatus(() -> client.getInfo(command("{\"match\":[\"cpu\"],\"strat\":0}")),
        FlightStatusCode.INVALID_ARGUMENT, "unknown field [field=strat");
    assertStatus(() -> client.getInfo(command("{\"match\":[\"cpu\"],\"start\":\"yesterday\"}")),
        FlightStatusCode.INVALID_ARGUMENT, "invalid start");
    assertStatus(() -> drain(new Ticket("garbage".getBytes(StandardCharsets.UTF_8))), FlightStatusCode.NOT_FOUND,
        "flight.unknown_ticket");
    FlightInfo info = client.getInfo(command(ALL));
    byte[] ticket = info.getEndpoints().get(0).getTicket().getBytes();
    ticket[ticket.length / 2] ^= 1;
    assertStatus(() -> drain(new Ticket(ticket)), FlightStatusCode.NOT_FOUND, "checksum");
  }

  @Test
  void shouldReleaseStreamMemoryWhenClientCancelsMidStream() throws Exception {
    start(1, 1_000);
    writeRandom(50, 2_000);
    FlightInfo info = client.getInfo(command(ALL));

    try (FlightStream stream = client.getStream(info.getEndpoints().get(0).getTicket())) {
      assertThat(stream.next()).isTrue();
      assertThat(serverAllocator.getAllocatedMemory()).isPositive();
      stream.cancel("test cancels", null);
    }

    await("server stream memory released", Duration.ofSeconds(10),
        () -> serverAllocator.getAllocatedMemory() == 0);
  }

  @Test
  void shouldFailWithStatusWhenBackendHasNoQuorum() {
    allocator = new RootAllocator();
    serverAllocator = allocator.newChildAllocator("server", 0, Long.MAX_VALUE);
    clientAllocator = allocator.newChildAllocator("client", 0, Long.MAX_VALUE);
    LocalFlightBackend local = LocalFlightBackend.of("c", newShards(1, 10, new ArrowType.Int(32, true)));
    server = QuiverFlightServer.start(serverAllocator, "127.0.0.1", 0, new NoQuorumBackend(local));
    client = FlightClient.builder(clientAllocator, server.location()).build();

    assertStatus(() -> client.getInfo(command(ALL)), FlightStatusCode.UNAVAILABLE, "raft.unavailable");
  }

  private void drain(Ticket ticket) throws Exception {
    try (FlightStream s = client.getStream(ticket)) {
      while (s.next()) {
        // drain
      }
    }
  }

  static void assertStatus(ThrowingRunnable call, FlightStatusCode code, String messagePart) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
          CallStatus status = e.status();
          assertThat(status.code()).as(status.toString()).isEqualTo(code);
          assertThat(status.description()).contains(messagePart);
        });
  }

  /** A call that may throw. */
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  /**
   * Writes {@code seriesCount} series of two metrics with {@code samples} samples each, in random order, with
   * duplicates and conflicting rewrites, through the backend; keeps {@link #model} in step.
   */
  private void writeRandom(int seriesCount, int samples) {
    List<Labels> series = new ArrayList<>();
    for (int i = 0; i < seriesCount; i++) {
      Labels.Builder b = Labels.builder().add("__name__", i % 2 == 0 ? "cpu" : "mem").add("host", "h" + i);
      if (i % 3 == 0) {
        b.add("job", i % 2 == 0 ? "a" : "b");
      }
      if (i % 5 == 0) {
        b.add("zone", "z" + (i % 2));
      }
      series.add(b.build());
    }
    List<SeriesSamples> pending = new ArrayList<>();
    for (int round = 0; round < 2; round++) {
      for (Labels l : series) {
        int n = samples / 2 + random.nextInt(samples / 2 + 1);
        long[] ts = new long[n];
        long[] bits = new long[n];
        for (int i = 0; i < n; i++) {
          ts[i] = 1000 + random.nextInt(samples);
          bits[i] = Double.doubleToRawLongBits(random.nextInt(1000) / 10.0);
        }
        pending.add(new SeriesSamples(l, ts, bits));
      }
    }
    java.util.Collections.shuffle(pending, random);
    for (int from = 0; from < pending.size(); from += 7) {
      List<SeriesSamples> chunk = pending.subList(from, Math.min(pending.size(), from + 7));
      backend.write(new WriteBatch(chunk)).join();
      for (SeriesSamples s : chunk) {
        TreeMap<Long, Long> m = model.computeIfAbsent(s.labels(), k -> new TreeMap<>());
        for (int i = 0; i < s.size(); i++) {
          m.put(s.timestampsMs()[i], s.valueBits()[i]);
        }
      }
    }
  }

  /** Delegates to a local backend but fails every summary and barrier like a shard without quorum. */
  private static final class NoQuorumBackend implements FlightBackend {
    private final LocalFlightBackend delegate;

    NoQuorumBackend(LocalFlightBackend delegate) {
      this.delegate = delegate;
    }

    @Override
    public io.quiver.raft.ClusterView view() {
      return delegate.view();
    }

    @Override
    public boolean hostsShard(int shard) {
      return delegate.hostsShard(shard);
    }

    @Override
    public java.util.concurrent.CompletableFuture<SeriesSummary> summarize(int shard, List<Selector> selectors,
        ReadOptions options) {
      return java.util.concurrent.CompletableFuture.failedFuture(new io.quiver.raft.RaftException(
          io.quiver.raft.ErrorCode.UNAVAILABLE, "no leader [shard=" + shard + "]"));
    }

    @Override
    public java.util.concurrent.CompletableFuture<ShardReader> readBarrier(int shard, ReadOptions options) {
      return java.util.concurrent.CompletableFuture.failedFuture(new io.quiver.raft.RaftException(
          io.quiver.raft.ErrorCode.UNAVAILABLE, "no leader [shard=" + shard + "]"));
    }

    @Override
    public java.util.concurrent.CompletableFuture<Void> write(WriteBatch batch) {
      return delegate.write(batch);
    }

    @Override
    public void serverStarted(String host, int port) {
      delegate.serverStarted(host, port);
    }
  }
}
