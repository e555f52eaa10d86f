package io.quiver.node;

import io.quiver.columnar.SelectResult;
import io.quiver.columnar.ShardStore;
import io.quiver.columnar.WriteBatch;
import io.quiver.flight.FlightBackend;
import io.quiver.flight.ReadOptions;
import io.quiver.flight.SelectCursor;
import io.quiver.flight.SeriesSummary;
import io.quiver.flight.ShardReader;
import io.quiver.index.Labels;
import io.quiver.index.Selector;
import io.quiver.raft.ClusterView;
import io.quiver.raft.ErrorCode;
import io.quiver.raft.RaftException;
import io.quiver.raft.route.ShardRouter;
import io.quiver.raft.shard.Consistency;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Arrow Flight over the cluster: the shard map comes from the router's cached view, reads from this node's
 * replicas behind a read barrier (linearizable by default), bulk puts through the router.
 *
 * <p>Limitation: planning ({@link #summarize}) needs a local replica of each shard; with RF equal to the node count
 * every node has one. A node without a replica answers UNAVAILABLE for that shard, and clients retry another node.
 */
final class ClusterFlightBackend implements FlightBackend {
  private final LocalShards shards;
  private final ShardRouter router;
  private final Executor executor;

  ClusterFlightBackend(LocalShards shards, ShardRouter router, Executor executor) {
    this.shards = shards;
    this.router = router;
    this.executor = executor;
  }

  @Override
  public ClusterView view() {
    return router.view().join();
  }

  @Override
  public boolean hostsShard(int shard) {
    return shards.hosts(shard);
  }

  @Override
  public CompletableFuture<SeriesSummary> summarize(int shard, List<Selector> selectors, ReadOptions options) {
    return readBarrier(shard, options).thenApplyAsync(r -> r.summarize(selectors), executor);
  }

  @Override
  public CompletableFuture<ShardReader> readBarrier(int shard, ReadOptions options) {
    Consistency c = switch (options.consistency()) {
      case LINEARIZABLE -> Consistency.LINEARIZABLE;
      case FOLLOWER -> Consistency.BOUNDED_STALENESS;
    };
    return shards.read(shard, c, options.maxStalenessMs()).thenApply(StoreReader::new);
  }

  @Override
  public CompletableFuture<Void> write(WriteBatch batch) {
    return router.write(batch).thenApply(result -> {
      if (!result.allCommitted()) {
        var o = ClusterIngestService.outcome(result);
        throw new RaftException(o.failure() != null ? o.failure() : ErrorCode.TIMEOUT,
            "bulk put not committed on every shard: " + o.message());
      }
      return null;
    });
  }

  /** Reads one local store. */
  private record StoreReader(ShardStore store) implements ShardReader {
    @Override
    public SeriesSummary summarize(List<Selector> selectors) {
      TreeSet<Labels> all = new TreeSet<>();
      for (Selector s : selectors) {
        all.addAll(store.series(s));
      }
      return SeriesSummary.of(all);
    }

    @Override
    public SelectCursor select(Selector selector, long fromMs, long toMsExclusive, BufferAllocator allocator) {
      SelectResult r = store.select(selector, fromMs, toMsExclusive, allocator);
      return new SelectCursor() {
        @Override
        public Schema schema() {
          return r.schema();
        }

        @Override
        public DictionaryProvider dictionaries() {
          return r.dictionaries();
        }

        @Override
        public VectorSchemaRoot root() {
          return r.root();
        }

        @Override
        public boolean next() {
          return r.next();
        }

        @Override
        public void close() {
          r.close();
        }
      };
    }
  }
}
