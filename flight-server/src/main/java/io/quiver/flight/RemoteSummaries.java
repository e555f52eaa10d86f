package io.quiver.flight;

import io.quiver.flight.internal.FlightErrors;
import io.quiver.flight.internal.SummaryCodec;
import io.quiver.index.Selector;
import io.quiver.raft.ClusterView;
import io.quiver.raft.NodeAddress;
import io.quiver.raft.ShardReplicas;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Result;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Asks another node for the series summary of a shard this node does not host, with the {@code quiver.summarize}
 * Flight action, trying the shard's replicas in order (leader hint first) until one answers. One cached
 * {@link FlightClient} per node location; {@link #close()} closes them.
 */
public final class RemoteSummaries implements AutoCloseable {
  private final BufferAllocator allocator;
  private final Executor executor;
  private final long timeoutMs;
  private final Map<URI, FlightClient> clients = new ConcurrentHashMap<>();

  /**
   * Remote summaries with clients on {@code allocator}; the blocking Flight calls run on {@code executor}.
   *
   * @param timeoutMs deadline of one call
   */
  public RemoteSummaries(BufferAllocator allocator, Executor executor, long timeoutMs) {
    this.allocator = allocator;
    this.executor = executor;
    this.timeoutMs = timeoutMs;
  }

  /** The summary of {@code shard} from the first of its replicas (other than {@code selfNodeId}) that answers. */
  public CompletableFuture<SeriesSummary> summarize(ClusterView view, String selfNodeId, int shard,
      List<Selector> selectors, ReadOptions options) {
    List<String> match = new ArrayList<>(selectors.size());
    selectors.forEach(s -> match.add(s.toString()));
    byte[] body = SummaryCodec.encodeRequest(new SummaryCodec.Request(shard, match, options));
    List<Location> targets = replicaLocations(view, shard, selfNodeId);
    return CompletableFuture.supplyAsync(() -> ask(targets.iterator(), body, shard), executor);
  }

  private SeriesSummary ask(Iterator<Location> targets, byte[] body, int shard) {
    FlightRuntimeException last = null;
    while (targets.hasNext()) {
      Location target = targets.next();
      FlightClient client = clients.computeIfAbsent(target.getUri(),
          u -> FlightClient.builder(allocator, target).build());
      try {
        Iterator<Result> results = client.doAction(new Action(SummaryCodec.ACTION, body),
            org.apache.arrow.flight.CallOptions.timeout(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS));
        if (!results.hasNext()) {
          throw new FlightException(ErrorCode.INTERNAL, "empty summarize response [shard=" + shard + "]");
        }
        SeriesSummary summary = SummaryCodec.decodeSummary(results.next().getBody());
        results.forEachRemaining(r -> { });
        return summary;
      } catch (FlightRuntimeException e) {
        FlightStatusCode code = e.status().code();
        if (code != FlightStatusCode.UNAVAILABLE && code != FlightStatusCode.NOT_FOUND
            && code != FlightStatusCode.TIMED_OUT) {
          throw e;
        }
        last = e;
      }
    }
    if (last != null) {
      throw last;
    }
    throw FlightErrors.toRuntime(new FlightException(ErrorCode.UNKNOWN_SHARD,
        "no replica of the shard has a Flight address [shard=" + shard + "]"));
  }

  private static List<Location> replicaLocations(ClusterView view, int shard, String selfNodeId) {
    ShardReplicas row = view.shard(shard);
    List<String> order = new ArrayList<>();
    if (row.leaderHint() != null) {
      order.add(row.leaderHint());
    }
    row.replicas().stream().filter(n -> !n.equals(row.leaderHint())).forEach(order::add);
    List<Location> out = new ArrayList<>();
    for (String node : order) {
      NodeAddress a = view.nodes().get(node);
      if (!node.equals(selfNodeId) && a != null && a.flightPort() > 0) {
        out.add(Location.forGrpcInsecure(a.host(), a.flightPort()));
      }
    }
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    for (FlightClient c : clients.values()) {
      c.close();
    }
    clients.clear();
  }
}
