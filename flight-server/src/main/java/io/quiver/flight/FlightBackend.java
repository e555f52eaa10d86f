package io.quiver.flight;

import io.quiver.columnar.WriteBatch;
import io.quiver.index.Selector;
import io.quiver.raft.ClusterView;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the Flight edge needs from the cluster. The node wires the real multi-Raft cluster;
 * {@link LocalFlightBackend} serves shard stores in one process.
 *
 * <p>Futures complete exceptionally with the owning module's exception ({@code io.quiver.raft.RaftException},
 * {@code io.quiver.index.IndexException}, {@code io.quiver.columnar.StoreException} or {@link FlightException});
 * the Flight error mapper turns their codes into Flight status codes. Futures must not complete on a thread that
 * must not block (the Flight edge may wait on them from its own stream threads).
 */
public interface FlightBackend {
  /**
   * The current shard map and node addresses. Endpoint locations are the {@code flightPort}s of each shard's
   * replicas, leader hint first.
   */
  ClusterView view();

  /** Whether this node holds a replica of {@code shard} that {@link #readBarrier} can serve from. */
  boolean hostsShard(int shard);

  /**
   * Summarises the series of {@code shard} matching any of {@code selectors} (union), at the given consistency.
   * Called for every shard by {@code GetFlightInfo} (on any node; the shard may be remote) to skip shards without
   * matches and to build the result schema.
   */
  CompletableFuture<SeriesSummary> summarize(int shard, List<Selector> selectors, ReadOptions options);

  /**
   * Waits until the local replica of {@code shard} may serve a read at {@code options} (linearizable: its applied
   * index reached the leader's read index; follower: its lag is within the staleness bound) and completes with a
   * reader over it. Fails with {@code GROUP_NOT_FOUND} when this node holds no replica of the shard, with
   * {@code UNAVAILABLE}/{@code STALE_READ} when it cannot serve now (clients try another location).
   */
  CompletableFuture<ShardReader> readBarrier(int shard, ReadOptions options);

  /**
   * Routes {@code batch} by shard and completes once every touched shard committed it on a majority (retries of
   * the same samples store nothing twice).
   */
  CompletableFuture<Void> write(WriteBatch batch);

  /**
   * Called by {@link QuiverFlightServer#start} once the Flight port is bound, for backends that advertise their own
   * address (such as {@link LocalFlightBackend}). The default does nothing.
   *
   * @param host the host the server was started on
   * @param port the bound port
   */
  default void serverStarted(String host, int port) {}
}
