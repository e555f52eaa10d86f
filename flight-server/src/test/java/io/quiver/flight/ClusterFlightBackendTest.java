package io.quiver.flight;

import static io.quiver.flight.FlightTestSupport.command;
import static io.quiver.flight.QuiverFlightServerTest.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.WriteBatch;
import io.quiver.index.Labels;
import io.quiver.placement.ShardFunction;
import io.quiver.raft.ClusterView;
import io.quiver.raft.NodeAddress;
import io.quiver.raft.ShardReplicas;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes in one JVM, each a {@link QuiverFlightServer} over a {@link ClusterFlightBackend}; node a holds shards
 * 0-2, node b shards 1-3 (shard 1 led by b). Planning on a needs b's summary of shard 3 (the quiver.summarize
 * action); endpoints list replicas leader first; a replica that does not hold a shard answers NOT_FOUND.
 */
class ClusterFlightBackendTest {
  private static final int SHARDS = 4;
  private static final String ALL = "{\"match\":[\"{__name__=~\\\".+\\\"}\"]}";
  private static final Map<String, List<Integer>> HOSTED = Map.of("a", List.of(0, 1, 2), "b", List.of(1, 2, 3));

  private final BufferAllocator allocator = new RootAllocator();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final AtomicReference<ClusterView> view = new AtomicReference<>();
  private final Map<String, Map<Integer, MemoryShard>> replicas = new HashMap<>();
  private final Map<String, QuiverFlightServer> servers = new HashMap<>();
  private final List<RemoteSummaries> remotes = new ArrayList<>();
  private final Map<Labels, TreeMap<Long, Long>> model = new TreeMap<>();
  private FlightClient client;

  @BeforeEach
  void setUp() {
    for (String node : List.of("a", "b")) {
      Map<Integer, MemoryShard> shards = new HashMap<>();
      HOSTED.get(node).forEach(s -> shards.put(s, new MemoryShard(50)));
      replicas.put(node, shards);
    }
    view.set(view(Map.of("a", 0, "b", 0)));
    for (String node : List.of("a", "b")) {
      RemoteSummaries remote = new RemoteSummaries(allocator, executor, 10_000);
      remotes.add(remote);
      ClusterFlightBackend backend = new ClusterFlightBackend(node, view::get, local(node), this::write, remote);
      servers.put(node, QuiverFlightServer.start(allocator, "127.0.0.1", 0, backend));
    }
    view.set(view(Map.of("a", servers.get("a").port(), "b", servers.get("b").port())));
    client = FlightClient.builder(allocator, servers.get("a").location()).build();
  }

  @AfterEach
  void tearDown() throws Exception {
    client.close();
    for (QuiverFlightServer s : servers.values()) {
      s.close();
    }
    for (RemoteSummaries r : remotes) {
      r.close();
    }
    executor.shutdownNow();
    assertThat(allocator.getAllocatedMemory()).isZero();
    allocator.close();
  }

  @Test
  void shouldPlanAllShardsFromOneNodeAndReadEachFromItsReplicas() throws Exception {
    writeSeries(40);

    FlightInfo info = client.getInfo(command(ALL));

    assertThat(info.getEndpoints()).hasSize(SHARDS);
    Location a = servers.get("a").location();
    Location b = servers.get("b").location();
    assertThat(endpoint(info, 1).getLocations()).containsExactly(b, a);
    assertThat(endpoint(info, 3).getLocations()).containsExactly(b);
    assertThat(readWithFailover(info)).isEqualTo(model);
  }

  @Test
  void shouldAnswerNotFoundWhenReplicaDoesNotHoldTheShard() {
    writeSeries(40);
    FlightInfo info = client.getInfo(command(ALL));

    assertStatus(() -> drain(client, endpoint(info, 3)), FlightStatusCode.NOT_FOUND, "shard not hosted");
  }

  private static FlightEndpoint endpoint(FlightInfo info, int shard) {
    return info.getEndpoints().stream()
        .filter(ep -> new String(ep.getAppMetadata()).contains("\"shard\":" + shard + ","))
        .findFirst().orElseThrow();
  }

  private Map<Labels, TreeMap<Long, Long>> readWithFailover(FlightInfo info) throws Exception {
    Map<Labels, TreeMap<Long, Long>> out = new TreeMap<>();
    for (FlightEndpoint ep : info.getEndpoints()) {
      boolean done = false;
      for (Location loc : ep.getLocations()) {
        try (FlightClient c = FlightClient.builder(allocator, loc).build()) {
          FlightTestSupport.readEndpoint(c, ep, info.getSchema(), out);
          done = true;
          break;
        } catch (FlightRuntimeException e) {
          assertThat(e.status().code()).isEqualTo(FlightStatusCode.NOT_FOUND);
        }
      }
      assertThat(done).as("endpoint served by some replica").isTrue();
    }
    return out;
  }

  private static void drain(FlightClient c, FlightEndpoint ep) throws Exception {
    try (FlightStream s = c.getStream(ep.getTicket())) {
      while (s.next()) {
        // drain
      }
    }
  }

  private ClusterFlightBackend.LocalReplicas local(String node) {
    return new ClusterFlightBackend.LocalReplicas() {
      @Override
      public boolean hosts(int shard) {
        return replicas.get(node).containsKey(shard);
      }

      @Override
      public CompletableFuture<ShardReader> readBarrier(int shard, ReadOptions options) {
        return CompletableFuture.completedFuture(replicas.get(node).get(shard));
      }
    };
  }

  /** Applies to every replica of each shard, like a committed Raft entry. */
  private CompletableFuture<Void> write(WriteBatch batch) {
    ShardFunction f = new ShardFunction(SHARDS);
    long index = System.nanoTime();
    for (SeriesSamples s : batch.series()) {
      int shard = f.shardOf(s.labels().hash64());
      for (Map<Integer, MemoryShard> node : replicas.values()) {
        if (node.containsKey(shard)) {
          node.get(shard).write(new WriteBatch(List.of(s)), index);
        }
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  private void writeSeries(int n) {
    List<SeriesSamples> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Labels l = Labels.of("__name__", "m" + (i % 3), "i", Integer.toString(i));
      long[] ts = {1000 + i, 2000 + i, 3000 + i};
      long[] bits = {i, i + 1, i + 2};
      batch.add(new SeriesSamples(l, ts, bits));
      TreeMap<Long, Long> m = model.computeIfAbsent(l, k -> new TreeMap<>());
      for (int k = 0; k < 3; k++) {
        m.put(ts[k], bits[k]);
      }
    }
    write(new WriteBatch(batch)).join();
  }

  private static ClusterView view(Map<String, Integer> ports) {
    Map<String, NodeAddress> nodes = new HashMap<>();
    ports.forEach((id, port) -> nodes.put(id, new NodeAddress(id, "127.0.0.1", 0, 0, port)));
    List<ShardReplicas> rows = new ArrayList<>();
    for (int s = 0; s < SHARDS; s++) {
      List<String> holders = new ArrayList<>();
      for (String node : List.of("a", "b")) {
        if (HOSTED.get(node).contains(s)) {
          holders.add(node);
        }
      }
      rows.add(new ShardReplicas(s, holders, s == 1 ? "b" : holders.get(0), 1));
    }
    return new ClusterView("two-nodes", SHARDS, 2, nodes, rows, 1);
  }
}
