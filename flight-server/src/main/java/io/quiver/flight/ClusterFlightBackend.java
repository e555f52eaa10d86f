package io.quiver.flight;

import io.quiver.columnar.WriteBatch;
import io.quiver.index.Selector;
import io.quiver.raft.ClusterView;
import io.quiver.raft.ErrorCode;
import io.quiver.raft.RaftException;
import io.quiver.raft.route.ShardOutcome;
import io.quiver.raft.route.ShardRouter;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@link FlightBackend} of a cluster node, assembled from what the node already has: the current
 * {@link ClusterView}, its local shard replicas (read barrier + store), a writer (the {@link ShardRouter}), and
 * {@link RemoteSummaries} for planning over shards this node does not host (asked over Flight from a replica).
 *
 * <p>Wiring in node/ (sketch):
 *
 * <pre>
 * LocalReplicas local = new LocalReplicas() {
 *   public boolean hosts(int s) { return raftNode.contains(GroupIds.shard(clusterId, s)); }
 *   public CompletableFuture&lt;ShardReader&gt; readBarrier(int s, ReadOptions o) {
 *     return shardStateMachine(s).readBarrier(o.consistency() == LINEARIZABLE ? Consistency.LINEARIZABLE
 *             : Consistency.BOUNDED_STALENESS, o.maxStalenessMs())
 *         .thenApply(data -&gt; StoreShards.reader(data.unwrap(ShardStore.class)));
 *   }
 * };
 * new ClusterFlightBackend(nodeId, cachedView::get, local, ClusterFlightBackend.routerWriter(router), remote);
 * </pre>
 */
public final class ClusterFlightBackend implements FlightBackend {
  private final String selfNodeId;
  private final Supplier<ClusterView> view;
  private final LocalReplicas local;
  private final Function<WriteBatch, CompletableFuture<Void>> writer;
  private final RemoteSummaries remote;

  /** The shard replicas this node holds. */
  public interface LocalReplicas {
    /** Whether this node holds a replica of {@code shard}. */
    boolean hosts(int shard);

    /** Completes with a reader once the local replica may serve at {@code options} (see FlightBackend). */
    CompletableFuture<ShardReader> readBarrier(int shard, ReadOptions options);
  }

  /**
   * A backend for node {@code selfNodeId}.
   *
   * @param view the latest cluster view (cheap; called per request)
   * @param local this node's replicas
   * @param writer routes and commits a batch (see {@link #routerWriter(ShardRouter)})
   * @param remote summaries of shards hosted elsewhere
   */
  public ClusterFlightBackend(String selfNodeId, Supplier<ClusterView> view, LocalReplicas local,
      Function<WriteBatch, CompletableFuture<Void>> writer, RemoteSummaries remote) {
    this.selfNodeId = Objects.requireNonNull(selfNodeId, "selfNodeId");
    this.view = Objects.requireNonNull(view, "view");
    this.local = Objects.requireNonNull(local, "local");
    this.writer = Objects.requireNonNull(writer, "writer");
    this.remote = Objects.requireNonNull(remote, "remote");
  }

  /**
   * A writer over {@code router}: completes when every shard committed; otherwise fails with the first failing
   * shard's code ({@code TIMEOUT} when its outcome is unknown).
   */
  public static Function<WriteBatch, CompletableFuture<Void>> routerWriter(ShardRouter router) {
    return batch -> router.write(batch).thenApply(result -> {
      if (result.allCommitted()) {
        return null;
      }
      for (ShardOutcome o : result.outcomes()) {
        if (!o.committed()) {
          ErrorCode code = o.status() == ShardOutcome.Status.UNKNOWN ? ErrorCode.TIMEOUT : o.code();
          throw new RaftException(code, "write not committed [shard=" + o.shard() + ", status=" + o.status()
              + ", code=" + o.code().id() + ", detail=" + o.message() + "]");
        }
      }
      return null;
    });
  }

  @Override
  public ClusterView view() {
    return view.get();
  }

  @Override
  public boolean hostsShard(int shard) {
    return local.hosts(shard);
  }

  @Override
  public CompletableFuture<SeriesSummary> summarize(int shard, List<Selector> selectors, ReadOptions options) {
    if (local.hosts(shard)) {
      return local.readBarrier(shard, options).thenApply(r -> r.summarize(selectors));
    }
    return remote.summarize(view.get(), selfNodeId, shard, selectors, options);
  }

  @Override
  public CompletableFuture<ShardReader> readBarrier(int shard, ReadOptions options) {
    if (!local.hosts(shard)) {
      return CompletableFuture.failedFuture(new FlightException(io.quiver.flight.ErrorCode.UNKNOWN_SHARD,
          "shard not hosted on this node [shard=" + shard + ", node=" + selfNodeId + "]"));
    }
    return local.readBarrier(shard, options);
  }

  @Override
  public CompletableFuture<Void> write(WriteBatch batch) {
    return writer.apply(batch);
  }
}
