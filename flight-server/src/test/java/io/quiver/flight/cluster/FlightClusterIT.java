package io.quiver.flight.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.ShardStore;
import io.quiver.columnar.StoreConfig;
import io.quiver.columnar.WriteBatch;
import io.quiver.flight.ClusterFlightBackend;
import io.quiver.flight.ReadConsistency;
import io.quiver.flight.ReadOptions;
import io.quiver.flight.QuiverFlightServer;
import io.quiver.flight.RemoteSummaries;
import io.quiver.flight.ShardReader;
import io.quiver.flight.StoreShards;
import io.quiver.index.Labels;
import io.quiver.flight.ErrorCode;
import io.quiver.flight.FlightException;
import io.quiver.flight.SelectCursor;
import io.quiver.flight.SeriesSummary;
import io.quiver.index.Selector;
import io.quiver.flight.cluster.FlightReads.Row;
import java.util.concurrent.CountDownLatch;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.Schema;
import io.quiver.raft.ClusterFixture;
import io.quiver.raft.ClusterView;
import io.quiver.raft.GroupIds;
import io.quiver.raft.NodeAddress;
import io.quiver.raft.ShardStateMachineFactory;
import io.quiver.raft.route.ShardRouter;
import io.quiver.raft.route.ShardRouterConfig;
import io.quiver.raft.shard.ColumnarShardData;
import io.quiver.raft.shard.Consistency;
import io.quiver.raft.shard.ShardLogCodec;
import io.quiver.raft.shard.ShardStateMachine;
import io.quiver.raft.shard.ShardStateMachineContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Flight over a real in-process 3-node multi-Raft cluster ({@link ClusterFixture}, 4 shards, RF 3, columnar
 * stores): every node runs a {@link QuiverFlightServer} over a {@link ClusterFlightBackend}; writes go through the
 * {@link ShardRouter}. Reads are linearizable (ReadIndex) from whichever replica serves them.
 */
class FlightClusterIT {
  private static final String ALL = "{\"match\":[\"{__name__=~\\\".+\\\"}\"]}";
  /** Small store batches, so that every stream has many batches and a replica can die between two of them. */
  private static final int BATCH_ROWS = 64;

  private final long seed = Long.getLong("quiver.test.seed", System.nanoTime());
  private final Map<String, Map<Integer, ShardStateMachine>> machines = new ConcurrentHashMap<>();
  private final Map<String, Integer> flightPorts = new ConcurrentHashMap<>();
  private final Map<String, QuiverFlightServer> servers = new HashMap<>();
  private final List<RemoteSummaries> remotes = new ArrayList<>();
  private final Map<Labels, TreeMap<Long, Long>> model = new TreeMap<>();
  /** Replica dying mid-stream (kill test): its streams stop after one batch until it is killed, then fail. */
  private final ReplicaFault fault = new ReplicaFault();
  private BufferAllocator allocator;
  private ExecutorService executor;
  private ClusterFixture cluster;
  private ShardRouter router;
  private volatile ClusterView view;

  @BeforeEach
  void setUp() throws Exception {
    System.out.println("seed=" + seed);
    allocator = new RootAllocator();
    executor = Executors.newCachedThreadPool();
    StoreConfig storeConfig = StoreConfig.builder().fsync(false).build();
    cluster = ClusterFixture.builder().nodes(3).shards(4).replicationFactor(3)
        .shardFactory((nodeId, dir) -> capturing(nodeId, ShardStateMachineContext.of(
            "test", ColumnarShardData.opener(allocator, storeConfig.toBuilder().batchRows(BATCH_ROWS).build()),
            executor)))
        .start();
    view = cluster.view();
    RaftProperties client = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(client, TimeDuration.valueOf(3, TimeUnit.SECONDS));
    router = new ShardRouter(ShardRouterConfig.defaults(client).withWriteTimeoutMs(30_000),
        () -> CompletableFuture.completedFuture(view));
    for (int i = 0; i < cluster.size(); i++) {
      String nodeId = cluster.nodeId(i);
      RemoteSummaries remote = new RemoteSummaries(allocator, executor, 30_000);
      remotes.add(remote);
      ClusterFlightBackend backend = new ClusterFlightBackend(nodeId, this::flightView, local(i, nodeId),
          ClusterFlightBackend.routerWriter(router), remote);
      QuiverFlightServer server = QuiverFlightServer.start(allocator, "127.0.0.1", 0, backend);
      servers.put(nodeId, server);
      flightPorts.put(nodeId, server.port());
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    for (QuiverFlightServer s : servers.values()) {
      s.close();
    }
    for (RemoteSummaries r : remotes) {
      r.close();
    }
    if (router != null) {
      router.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (executor != null) {
      executor.shutdownNow();
    }
    if (allocator != null) {
      assertThat(allocator.getAllocatedMemory()).as("leaked bytes").isZero();
      allocator.close();
    }
  }

  @Test
  void shouldReturnSameRowsFromEveryReplicaOfEveryEndpoint() throws Exception {
    writeRandom(new Random(seed), 60, 40);

    try (FlightClient planner = FlightClient.builder(allocator, servers.get(cluster.nodeId(1)).location()).build()) {
      FlightInfo info = planner.getInfo(command(ALL));
      assertThat(info.getEndpoints()).hasSize(4);
      Map<Labels, TreeMap<Long, Long>> union = new TreeMap<>();
      for (FlightEndpoint ep : info.getEndpoints()) {
        assertThat(ep.getLocations()).hasSize(3);
        Map<Labels, TreeMap<Long, Long>> first = null;
        for (Location location : ep.getLocations()) {
          Map<Labels, TreeMap<Long, Long>> rows = new TreeMap<>();
          try (FlightClient c = FlightClient.builder(allocator, location).build()) {
            FlightReads.readEndpoint(c, ep, rows);
          }
          if (first == null) {
            first = rows;
          } else {
            assertThat(rows).as("replica %s of %s", location, new String(ep.getAppMetadata())).isEqualTo(first);
          }
        }
        union.putAll(first);
      }
      assertThat(union).isEqualTo(model);
    }
  }

  @Test
  void shouldSeeAcknowledgedWriteInImmediateReadFromAnyReplica() throws Exception {
    for (int round = 0; round < 3; round++) {
      Labels series = Labels.of("__name__", "ryw", "round", Integer.toString(round));
      router.write(new WriteBatch(List.of(SeriesSamples.of(series, 5_000 + round, round))))
          .get(30, TimeUnit.SECONDS);
      for (QuiverFlightServer server : servers.values()) {
        try (FlightClient c = FlightClient.builder(allocator, server.location()).build()) {
          FlightInfo info = c.getInfo(command("{\"match\":[\"ryw{round=\\\"" + round + "\\\"}\"]}"));
          assertThat(info.getEndpoints()).hasSize(1);
          FlightEndpoint ep = info.getEndpoints().get(0);
          for (Location location : ep.getLocations()) {
            Map<Labels, TreeMap<Long, Long>> rows = new TreeMap<>();
            try (FlightClient r = FlightClient.builder(allocator, location).build()) {
              FlightReads.readEndpoint(r, ep, rows);
            }
            assertThat(rows).as("read from %s", location).containsKey(series);
          }
        }
      }
    }
  }

  @Test
  void shouldRetryEndpointOnAnotherLocationWhenReplicaDiesMidStream() throws Exception {
    writeRandom(new Random(seed), 60, 40);
    long stored = model.values().stream().mapToLong(TreeMap::size).sum();

    try (FlightClient planner = FlightClient.builder(allocator, servers.get(cluster.nodeId(1)).location()).build()) {
      FlightInfo info = planner.getInfo(command(ALL));
      assertThat(info.getEndpoints()).hasSize(4);
      FlightEndpoint victimEndpoint = info.getEndpoints().get(0);
      String victim = nodeOf(victimEndpoint.getLocations().get(0));
      fault.arm(victim);
      List<Row> rows = new ArrayList<>();
      Map<Location, FlightClient> clients = new HashMap<>();
      try {
        int attempts = readWithFailover(victimEndpoint, clients, rows, () -> {
          // The first batch arrived from the victim: its stream fails (as a dead replica's does), then its
          // Flight server and its Raft node stop.
          fault.kill();
          servers.remove(victim).close();
          cluster.kill(cluster.slot(victim));
        });
        assertThat(attempts).as("locations tried for the victim's endpoint").isGreaterThan(1);
        for (FlightEndpoint ep : info.getEndpoints().subList(1, info.getEndpoints().size())) {
          readWithFailover(ep, clients, rows, () -> {});
        }
      } finally {
        for (FlightClient c : clients.values()) {
          c.close();
        }
      }

      Map<Labels, TreeMap<Long, Long>> got = new TreeMap<>();
      for (Row r : rows) {
        got.computeIfAbsent(r.labels(), k -> new TreeMap<>()).put(r.timestampMs(), r.valueBits());
      }
      assertThat(rows).as("rows, duplicate-free").hasSize((int) stored);
      assertThat(got).isEqualTo(model);
    }
  }

  /**
   * Reads an endpoint from its first location that completes the stream (what a client such as pyarrow code or
   * {@code bench read} does): a stream failing with a retryable status is discarded and the endpoint restarts on
   * the next location, so rows of a failed attempt never reach {@code out}. While a dead leader's shard elects a
   * new one, the surviving replicas answer UNAVAILABLE; the client goes round the locations again until one
   * serves the endpoint. Returns the streams opened.
   */
  private int readWithFailover(FlightEndpoint ep, Map<Location, FlightClient> clients, List<Row> out,
      Runnable afterFirstBatch) {
    int[] attempts = {0};
    return cluster.await("endpoint served by a live replica", java.time.Duration.ofSeconds(60), () -> {
      for (Location location : ep.getLocations()) {
        if (!servers.containsKey(nodeOf(location))) {
          continue; // known dead: the client's connection would be refused
        }
        attempts[0]++;
        List<Row> attempt = new ArrayList<>();
        FlightClient client = clients.computeIfAbsent(location, l -> FlightClient.builder(allocator, l).build());
        try {
          FlightReads.readEndpoint(client, ep, attempt, attempts[0] == 1 ? afterFirstBatch : () -> {});
          out.addAll(attempt);
          return attempts[0];
        } catch (FlightRuntimeException e) {
          FlightStatusCode code = e.status().code();
          if (code != FlightStatusCode.UNAVAILABLE && code != FlightStatusCode.NOT_FOUND
              && code != FlightStatusCode.TIMED_OUT) {
            throw new AssertionError("non-retryable status " + code + ": " + e.getMessage(), e);
          }
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }
      return null;
    });
  }

  private String nodeOf(Location location) {
    for (Map.Entry<String, Integer> e : flightPorts.entrySet()) {
      if (e.getValue() == location.getUri().getPort()) {
        return e.getKey();
      }
    }
    throw new AssertionError("unknown location " + location);
  }

  /** Wraps the readers of the armed node: its streams wait after their first batch until it is killed. */
  private ShardReader gated(String nodeId, ShardReader reader) {
    return fault.armed(nodeId) ? new GatedReader(reader, fault) : reader;
  }

  /** Which node dies mid-stream, and when. */
  static final class ReplicaFault {
    private volatile String node;
    private final CountDownLatch killed = new CountDownLatch(1);

    void arm(String nodeId) {
      node = nodeId;
    }

    boolean armed(String nodeId) {
      return nodeId.equals(node);
    }

    void kill() {
      killed.countDown();
    }

    void awaitKill() {
      try {
        if (!killed.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("replica never killed");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** A reader whose cursors stop after one batch until the fault kills the node, then fail as a dead replica. */
  private record GatedReader(ShardReader delegate, ReplicaFault fault) implements ShardReader {
    @Override
    public SeriesSummary summarize(List<Selector> selectors) {
      return delegate.summarize(selectors);
    }

    @Override
    public SelectCursor select(Selector selector, long fromMs, long toMsExclusive, BufferAllocator allocator) {
      SelectCursor c = delegate.select(selector, fromMs, toMsExclusive, allocator);
      return new SelectCursor() {
        private int batches;

        @Override
        public Schema schema() {
          return c.schema();
        }

        @Override
        public DictionaryProvider dictionaries() {
          return c.dictionaries();
        }

        @Override
        public VectorSchemaRoot root() {
          return c.root();
        }

        @Override
        public boolean next() {
          if (batches++ == 1) {
            fault.awaitKill();
            throw new FlightException(ErrorCode.CLOSED, "replica stopped mid-stream (test fault)");
          }
          return c.next();
        }

        @Override
        public void close() {
          c.close();
        }
      };
    }
  }

  private ClusterView flightView() {
    ClusterView v = view;
    Map<String, NodeAddress> nodes = new HashMap<>();
    v.nodes().forEach((id, a) -> nodes.put(id, new NodeAddress(id, a.host(), a.raftPort(), a.httpPort(),
        flightPorts.getOrDefault(id, 0))));
    return new ClusterView(v.clusterId(), v.shardCount(), v.replicationFactor(), nodes, v.shards(), v.version());
  }

  private ClusterFlightBackend.LocalReplicas local(int slot, String nodeId) {
    return new ClusterFlightBackend.LocalReplicas() {
      @Override
      public boolean hosts(int shard) {
        return cluster.node(slot).contains(GroupIds.shard("test", shard))
            && machines.getOrDefault(nodeId, Map.of()).containsKey(shard);
      }

      @Override
      public CompletableFuture<ShardReader> readBarrier(int shard, ReadOptions options) {
        Consistency c = options.consistency() == ReadConsistency.LINEARIZABLE ? Consistency.LINEARIZABLE
            : Consistency.BOUNDED_STALENESS;
        return machines.get(nodeId).get(shard).readBarrier(c, options.maxStalenessMs())
            .thenApply(data -> gated(nodeId, StoreShards.reader(data.unwrap(ShardStore.class))));
      }
    };
  }

  /** raft-data's shard state machine over columnar stores, remembering each node's instances for reads. */
  private ShardStateMachineFactory capturing(String nodeId, ShardStateMachineContext ctx) {
    return new ShardStateMachineFactory() {
      @Override
      public StateMachine create(int shard, RaftGroupId groupId) {
        ShardStateMachine sm = new ShardStateMachine(shard, ctx);
        machines.computeIfAbsent(nodeId, k -> new ConcurrentHashMap<>()).put(shard, sm);
        return sm;
      }

      @Override
      public byte[] fenceEntry(int shard, long epoch) {
        return ShardLogCodec.encodeFence(epoch);
      }
    };
  }

  private void writeRandom(Random random, int seriesCount, int samples) throws Exception {
    List<SeriesSamples> batch = new ArrayList<>();
    for (int i = 0; i < seriesCount; i++) {
      Labels.Builder b = Labels.builder().add("__name__", i % 2 == 0 ? "cpu" : "mem").add("host", "h" + i);
      if (i % 3 == 0) {
        b.add("dc", "dc" + (i % 2));
      }
      Labels l = b.build();
      long[] ts = new long[samples];
      long[] bits = new long[samples];
      for (int k = 0; k < samples; k++) {
        ts[k] = 10_000 + random.nextInt(samples * 2);
        bits[k] = Double.doubleToRawLongBits(random.nextInt(100));
      }
      batch.add(new SeriesSamples(l, ts, bits));
    }
    // Twice, shuffled: out-of-order and duplicate timestamps, last write in log order wins.
    for (int round = 0; round < 2; round++) {
      java.util.Collections.shuffle(batch, random);
      assertThat(router.write(new WriteBatch(batch)).get(60, TimeUnit.SECONDS).allCommitted()).isTrue();
      for (SeriesSamples s : batch) {
        TreeMap<Long, Long> m = model.computeIfAbsent(s.labels(), k -> new TreeMap<>());
        for (int k = 0; k < s.size(); k++) {
          m.put(s.timestampsMs()[k], s.valueBits()[k]);
        }
      }
    }
  }

  private static FlightDescriptor command(String json) {
    return FlightDescriptor.command(json.getBytes(StandardCharsets.UTF_8));
  }
}
