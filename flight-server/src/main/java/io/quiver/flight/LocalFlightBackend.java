package io.quiver.flight;

import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.WriteBatch;
import io.quiver.index.Selector;
import io.quiver.placement.ShardFunction;
import io.quiver.raft.ClusterView;
import io.quiver.raft.NodeAddress;
import io.quiver.raft.ShardReplicas;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link FlightBackend} over shard stores in one process, for tests and single-node use: shard i is
 * {@code shards.get(i)}, one node ({@code nodeId}) holds every shard, writes are routed with the cluster's shard
 * function ({@code jump(XXH64(labels), S)}) and applied in order with a per-shard log index, reads are trivially
 * linearizable. The node advertises the host and port the Flight server was started on.
 *
 * <p>The backend does not own the shards: their opener closes them.
 */
public final class LocalFlightBackend implements FlightBackend {
  /** Default node id of the single local node. */
  public static final String NODE_ID = "local";

  private final String clusterId;
  private final List<LocalShard> shards;
  private final ShardFunction shardFunction;
  private final long[] logIndex;
  private volatile ClusterView view;

  /** A shard held in this process: readable and writable (single writer; the backend serialises writes). */
  public interface LocalShard extends ShardReader {
    /** Applies {@code batch} as log entry {@code logIndex} (monotonic per shard). */
    void write(WriteBatch batch, long logIndex);
  }

  private LocalFlightBackend(String clusterId, List<? extends LocalShard> shards) {
    this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
    this.shards = List.copyOf(shards);
    this.shardFunction = new ShardFunction(shards.size());
    this.logIndex = new long[shards.size()];
    this.view = buildView(0);
  }

  /** A backend serving {@code shards} (shard i is element i) of cluster {@code clusterId}. */
  public static LocalFlightBackend of(String clusterId, List<? extends LocalShard> shards) {
    return new LocalFlightBackend(clusterId, shards);
  }

  /** The shard a series belongs to. */
  public int shardOf(io.quiver.index.Labels labels) {
    return shardFunction.shardOf(labels.hash64());
  }

  @Override
  public ClusterView view() {
    return view;
  }

  @Override
  public boolean hostsShard(int shard) {
    return shard >= 0 && shard < shards.size();
  }

  @Override
  public CompletableFuture<SeriesSummary> summarize(int shard, List<Selector> selectors, ReadOptions options) {
    try {
      return CompletableFuture.completedFuture(shard(shard).summarize(selectors));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<ShardReader> readBarrier(int shard, ReadOptions options) {
    try {
      return CompletableFuture.completedFuture(shard(shard));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<Void> write(WriteBatch batch) {
    try {
      List<List<SeriesSamples>> parts = new ArrayList<>(shards.size());
      for (int i = 0; i < shards.size(); i++) {
        parts.add(new ArrayList<>());
      }
      for (SeriesSamples s : batch.series()) {
        parts.get(shardOf(s.labels())).add(s);
      }
      for (int i = 0; i < shards.size(); i++) {
        if (!parts.get(i).isEmpty()) {
          apply(i, new WriteBatch(parts.get(i)));
        }
      }
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void apply(int shard, WriteBatch part) {
    LocalShard s = shards.get(shard);
    synchronized (s) {
      s.write(part, ++logIndex[shard]);
    }
  }

  @Override
  public void serverStarted(String host, int port) {
    view = buildView(port, host);
  }

  private LocalShard shard(int shard) {
    if (!hostsShard(shard)) {
      throw new FlightException(ErrorCode.UNKNOWN_SHARD, "no such shard [shard=" + shard + ", shards="
          + shards.size() + "]");
    }
    return shards.get(shard);
  }

  private ClusterView buildView(int flightPort) {
    return buildView(flightPort, "127.0.0.1");
  }

  private ClusterView buildView(int flightPort, String host) {
    List<ShardReplicas> rows = new ArrayList<>(shards.size());
    for (int i = 0; i < shards.size(); i++) {
      rows.add(new ShardReplicas(i, List.of(NODE_ID), NODE_ID, 0));
    }
    NodeAddress self = new NodeAddress(NODE_ID, host, 0, 0, flightPort);
    return new ClusterView(clusterId, shards.size(), 1, Map.of(NODE_ID, self), rows, 0);
  }
}
