package io.quiver.raft.route;

import io.quiver.columnar.WriteBatch;
import io.quiver.index.Labels;
import io.quiver.placement.ShardFunction;
import io.quiver.raft.ClusterView;
import io.quiver.raft.ErrorCode;
import io.quiver.raft.GroupIds;
import io.quiver.raft.NodeAddress;
import io.quiver.raft.RaftException;
import io.quiver.raft.ShardReplicas;
import io.quiver.raft.shard.ShardLogCodec;
import io.quiver.raft.shard.ShardReply;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client-side router: splits a {@link WriteBatch} by shard, proposes each shard's part to its Raft group with the
 * Ratis async client, and reports per-shard outcomes.
 *
 * <ul>
 *   <li><b>View.</b> The {@link ClusterView} comes from the injected refresher (raft-control's metadata group) and is
 *       cached; refreshes are single-flight and never go back to an older version. Each proposal carries the epoch
 *       of its shard's row.
 *   <li><b>Placement.</b> {@code shard = jump(Labels.hash64(), shardCount)} ({@link ShardFunction}).
 *   <li><b>Size.</b> A shard's part is split so each encoded entry stays under
 *       {@link ShardRouterConfig#maxEntryBytes()} (well under Ratis' appender limit, whose violation steps the leader
 *       down).
 *   <li><b>Clients.</b> One long-lived {@link RaftClient} per shard, rebuilt when the shard's replica set or their
 *       addresses change (keying by the raw view version would rebuild every client on any metadata change), with an
 *       explicit bounded retry policy (never Ratis' default retry-forever). Leader changes ({@code NotLeaderException})
 *       are followed inside the Ratis client. {@code async().send} can block when the client's window is full, so it
 *       is always called on the router's own send threads, never on the caller's (possibly event-loop) thread.
 *   <li><b>Errors.</b> STALE_EPOCH, GroupMismatch and broken clients: refresh the view and retry (bounded by
 *       {@link ShardRouterConfig#maxRefreshes()} and the deadline). Validation rejections: FAILED. The deadline, or
 *       giving up after something may have reached a leader: UNKNOWN, never FAILED. Retrying a batch is idempotent
 *       ((series, timestamp) is stored once), so callers may retry UNKNOWN writes.
 * </ul>
 */
public final class ShardRouter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShardRouter.class);

  private final ShardRouterConfig config;
  private final Supplier<CompletableFuture<ClusterView>> viewSource;
  private final ExecutorService sendPool;
  private final ScheduledExecutorService scheduler;
  private final AtomicReference<ClusterView> view = new AtomicReference<>();
  private final Map<Integer, ShardClient> clients = new ConcurrentHashMap<>();
  private final Map<Integer, Lane> lanes = new ConcurrentHashMap<>();
  private final RouterStats stats = new RouterStats();
  private CompletableFuture<ClusterView> refreshing;
  private volatile boolean closed;

  private record ShardClient(String key, RaftClient client) {}

  /** One write's part for one shard (an encoded body), waiting in its lane or riding in an entry. */
  private record Part(byte[] body, long samples, long deadlineNanos, CompletableFuture<ShardOutcome> result) {}

  /**
   * A shard's send queue: at most {@link ShardRouterConfig#maxInFlightEntriesPerShard()} entries in flight; parts
   * that arrive meanwhile wait and leave together as one coalesced entry (group commit). Under load, entries grow
   * instead of multiplying, so the per-entry cost of Raft (log append, fsync, replication round) is paid once for
   * many writes. Guarded by its own monitor.
   */
  private static final class Lane {
    final int shard;
    final ArrayDeque<Part> queue = new ArrayDeque<>();
    int inFlight;

    Lane(int shard) {
      this.shard = shard;
    }
  }

  /** Mutable retry state of one entry. */
  private static final class Attempt {
    List<byte[]> bodies;
    long samples;
    int attempts;
    int refreshes;
    boolean mayHaveApplied;
  }

  /**
   * Creates a router with its own named send and timer threads.
   *
   * @param config settings
   * @param viewSource fetches the current cluster view (e.g. {@code RaftNode::clusterView}); called on first use and
   *     whenever a replica says the routing was stale
   */
  public ShardRouter(ShardRouterConfig config, Supplier<CompletableFuture<ClusterView>> viewSource) {
    this.config = Objects.requireNonNull(config, "config");
    this.viewSource = Objects.requireNonNull(viewSource, "viewSource");
    this.sendPool = Executors.newFixedThreadPool(config.sendThreads(), named("quiver-router-send"));
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, named("quiver-router-timer"));
    timer.setRemoveOnCancelPolicy(true); // part deadlines are cancelled by the thousand when entries answer in time
    this.scheduler = timer;
  }

  /** Counters. */
  public RouterStats stats() {
    return stats;
  }

  /** The cached view, fetching it if there is none yet. */
  public CompletableFuture<ClusterView> view() {
    ClusterView v = view.get();
    return v != null ? CompletableFuture.completedFuture(v) : refreshView();
  }

  /** Fetches a fresh view (single-flight); the cached view only ever moves to a newer version. */
  public synchronized CompletableFuture<ClusterView> refreshView() {
    if (refreshing != null && !refreshing.isDone()) {
      return refreshing;
    }
    stats.viewRefreshes.incrementAndGet();
    CompletableFuture<ClusterView> f;
    try {
      f = viewSource.get();
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    refreshing = f.thenApply(v -> view.accumulateAndGet(v,
        (old, neu) -> old == null || neu.version() >= old.version() ? neu : old));
    return refreshing;
  }

  /** The shard of a series under the cached view (call {@link #view()} first). */
  public int shardOf(Labels labels) {
    ClusterView v = view.get();
    if (v == null) {
      throw new RaftException(ErrorCode.UNAVAILABLE, "no cluster view yet");
    }
    return new ShardFunction(v.shardCount()).shardOf(labels.hash64());
  }

  /**
   * Routes {@code batch}. The future completes with one outcome per shard that received samples; it completes
   * exceptionally only with {@link RaftException} {@code UNAVAILABLE} when no cluster view could be obtained (nothing
   * was sent) or {@code CLOSED}.
   */
  public CompletableFuture<WriteResult> write(WriteBatch batch) {
    Objects.requireNonNull(batch, "batch");
    if (closed) {
      return CompletableFuture.failedFuture(new RaftException(ErrorCode.CLOSED, "router closed"));
    }
    long deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.writeTimeoutMs());
    return view().handle((v, e) -> {
      if (e != null) {
        throw new CompletionException(new RaftException(ErrorCode.UNAVAILABLE,
            "no cluster view, nothing sent [cause=" + unwrap(e) + "]", unwrap(e)));
      }
      return v;
    }).thenCompose(v -> {
      stats.writes.incrementAndGet();
      List<CompletableFuture<ShardOutcome>> parts = new ArrayList<>();
      BatchSplitter.byShard(batch, v.shardCount()).forEach((shard, part) ->
          parts.add(writeShard(shard, part, deadlineNanos)));
      return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(x -> {
        List<ShardOutcome> outcomes = new ArrayList<>();
        parts.forEach(p -> outcomes.add(p.join()));
        outcomes.sort(Comparator.comparingInt(ShardOutcome::shard));
        return new WriteResult(outcomes);
      });
    });
  }

  /** Routes an already-split batch whose series all belong to {@code shard}. */
  public CompletableFuture<ShardOutcome> writeShard(int shard, WriteBatch part) {
    long deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.writeTimeoutMs());
    return view().thenCompose(v -> writeShard(shard, part, deadlineNanos));
  }

  /**
   * Queues {@code part} in its shard's lane. Parts are encoded once here, into bodies under the entry cap; the lane
   * coalesces whatever is queued into entries when it has an entry slot free.
   */
  private CompletableFuture<ShardOutcome> writeShard(int shard, WriteBatch part, long deadlineNanos) {
    List<BatchSplitter.Body> chunks = BatchSplitter.cappedBodies(part, bodyBudget());
    if (chunks.size() > 1) {
      stats.splitChunks.addAndGet(chunks.size() - 1);
    }
    Lane lane = lanes.computeIfAbsent(shard, Lane::new);
    List<CompletableFuture<ShardOutcome>> sent = new ArrayList<>(chunks.size());
    synchronized (lane) {
      for (BatchSplitter.Body chunk : chunks) {
        Part p = new Part(chunk.body(), chunk.batch().sampleCount(), deadlineNanos, new CompletableFuture<>());
        lane.queue.add(p);
        sent.add(p.result());
      }
    }
    drain(lane);
    if (sent.size() == 1) {
      return sent.get(0).thenApply(o -> {
        stats.count(o);
        return o;
      });
    }
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).thenApply(x -> combine(shard, part, sent));
  }

  /** Room for bodies in one entry: the cap minus the framing of one body. */
  private int bodyBudget() {
    return config.maxEntryBytes() - ShardLogCodec.writesOverhead(1);
  }

  /**
   * Sends entries from {@code lane} while it has free entry slots: each entry takes queued parts in arrival order up
   * to the entry cap (a part over the cap travels alone and is rejected by the replica with BATCH_TOO_LARGE). Parts
   * whose deadline passed while queued fail with TIMEOUT; nothing of them was sent.
   */
  private void drain(Lane lane) {
    while (true) {
      List<Part> entry = new ArrayList<>();
      List<Part> expired = new ArrayList<>();
      synchronized (lane) {
        if (lane.inFlight >= config.maxInFlightEntriesPerShard() || lane.queue.isEmpty()) {
          return;
        }
        long now = System.nanoTime();
        long bytes = 0;
        int budget = config.maxEntryBytes() - ShardLogCodec.writesOverhead(0);
        while (!lane.queue.isEmpty()) {
          Part p = lane.queue.peek();
          long cost = p.body().length + ShardLogCodec.writesOverhead(1) - ShardLogCodec.writesOverhead(0);
          if (!entry.isEmpty() && bytes + cost > budget) {
            break;
          }
          lane.queue.poll();
          if (p.deadlineNanos() - now <= 0) {
            expired.add(p);
            continue;
          }
          entry.add(p);
          bytes += cost;
        }
        if (!entry.isEmpty()) {
          lane.inFlight++;
        }
      }
      for (Part p : expired) {
        p.result().complete(new ShardOutcome(lane.shard, ShardOutcome.Status.FAILED, ErrorCode.TIMEOUT,
            "deadline passed while queued behind earlier writes to this shard; nothing was sent", p.samples(), 0));
      }
      if (!entry.isEmpty()) {
        send(lane, entry);
      }
    }
  }

  /**
   * Proposes {@code parts} as one entry. The entry is pursued until the latest part's deadline; each part still gets
   * its outcome by its own deadline (UNKNOWN if the entry has not answered by then: it may yet commit). Cutting the
   * whole entry off at the earliest deadline instead made overload collapse: under a long queue every coalesced
   * entry carried one nearly expired part, timed out, and took its fresh parts down with it, while the abandoned
   * proposal kept the replicas busy and the lane sent the next one.
   */
  private void send(Lane lane, List<Part> parts) {
    Attempt st = new Attempt();
    long deadlineNanos = Long.MIN_VALUE;
    long now = System.nanoTime();
    List<byte[]> bodies = new ArrayList<>(parts.size());
    for (Part p : parts) {
      bodies.add(p.body());
      st.samples += p.samples();
      deadlineNanos = Math.max(deadlineNanos, p.deadlineNanos());
    }
    List<ScheduledFuture<?>> partDeadlines = new ArrayList<>(parts.size());
    for (Part p : parts) {
      if (p.deadlineNanos() < deadlineNanos) {
        try {
          partDeadlines.add(scheduler.schedule(() -> p.result().complete(new ShardOutcome(lane.shard,
                  ShardOutcome.Status.UNKNOWN, ErrorCode.TIMEOUT, "no reply before the deadline; the entry may "
                  + "still commit", p.samples(), st.attempts)),
              p.deadlineNanos() - now, TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
          // Router closing: the entry itself gives up as CLOSED and answers every part.
        }
      }
    }
    st.bodies = bodies;
    if (parts.size() > 1) {
      stats.coalescedParts.addAndGet(parts.size() - 1);
    }
    stats.entries.incrementAndGet();
    CompletableFuture<ShardOutcome> f;
    try {
      f = sendEntry(lane.shard, deadlineNanos, st);
    } catch (RuntimeException e) {
      f = CompletableFuture.completedFuture(unknown(lane.shard, st, ErrorCode.INTERNAL, String.valueOf(e)));
    }
    f.whenComplete((o, e) -> {
      partDeadlines.forEach(t -> t.cancel(false));
      synchronized (lane) {
        lane.inFlight--;
      }
      ShardOutcome out = o != null ? o : unknown(lane.shard, st, ErrorCode.INTERNAL, String.valueOf(unwrap(e)));
      for (Part p : parts) {
        p.result().complete(new ShardOutcome(lane.shard, out.status(), out.code(), out.message(), p.samples(),
            out.attempts()));
      }
      drain(lane);
    });
  }

  private ShardOutcome combine(int shard, WriteBatch part, List<CompletableFuture<ShardOutcome>> sent) {
    ShardOutcome worst = null;
    int attempts = 0;
    for (CompletableFuture<ShardOutcome> f : sent) {
      ShardOutcome o = f.join();
      attempts += o.attempts();
      if (worst == null || rank(o.status()) > rank(worst.status())) {
        worst = o;
      }
    }
    ShardOutcome.Status status = worst == null ? ShardOutcome.Status.COMMITTED : worst.status();
    ShardOutcome out = new ShardOutcome(shard, status, worst == null ? null : worst.code(),
        worst == null ? "" : worst.message(), part.sampleCount(), attempts);
    stats.count(out);
    return out;
  }

  /** UNKNOWN dominates FAILED dominates COMMITTED: a partly unknown shard write is unknown. */
  private static int rank(ShardOutcome.Status s) {
    return switch (s) {
      case COMMITTED -> 0;
      case FAILED -> 1;
      case UNKNOWN -> 2;
    };
  }

  private CompletableFuture<ShardOutcome> sendEntry(int shard, long deadlineNanos, Attempt st) {
    long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    if (closed) {
      return CompletableFuture.completedFuture(giveUp(shard, st, ErrorCode.CLOSED, "router closed"));
    }
    if (remainingMs <= 0) {
      return CompletableFuture.completedFuture(giveUp(shard, st, ErrorCode.TIMEOUT, "deadline passed"));
    }
    st.attempts++;
    ClusterView v = view.get();
    ShardClient client;
    try {
      client = clientFor(v, shard);
    } catch (RuntimeException e) {
      return retryAfterRefresh(shard, deadlineNanos, st, ErrorCode.UNAVAILABLE, e.toString());
    }
    // The epoch is stamped per attempt (outside the bodies), so a retry after a refresh carries the newer one.
    byte[] bytes = ShardLogCodec.encodeWrites(v.shard(shard).epoch(), st.bodies);
    Message msg = Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes));
    CompletableFuture<RaftClientReply> reply = CompletableFuture
        .supplyAsync(() -> client.client().async().send(msg), sendPool)
        .thenCompose(f -> f)
        .orTimeout(remainingMs, TimeUnit.MILLISECONDS);
    return reply.handle((r, e) -> classify(shard, deadlineNanos, st, client, r, e)).thenCompose(f -> f);
  }

  private CompletableFuture<ShardOutcome> classify(int shard, long deadlineNanos, Attempt st, ShardClient client,
      RaftClientReply r, Throwable e) {
    if (e == null) {
      if (!r.isSuccess()) {
        e = r.getException() != null ? r.getException() : new IOException("unsuccessful reply " + r);
      } else {
        ShardReply reply = ShardLogCodec.decodeReply(r.getMessage().getContent().toByteArray());
        if (reply.isOk()) {
          return done(new ShardOutcome(shard, ShardOutcome.Status.COMMITTED, null, "", st.samples, st.attempts));
        }
        if (reply.error() == ErrorCode.STALE_EPOCH) {
          // rejected deterministically at apply: nothing stored
          return retryAfterRefresh(shard, deadlineNanos, st, ErrorCode.STALE_EPOCH, reply.message());
        }
        return done(new ShardOutcome(shard, ShardOutcome.Status.FAILED, reply.error(), reply.message(), st.samples,
            st.attempts));
      }
    }
    Throwable c = unwrap(e);
    if (c instanceof TimeoutException) {
      return done(unknown(shard, st, ErrorCode.TIMEOUT, "no reply before the deadline"));
    }
    if (c instanceof StateMachineException) {
      ErrorCode code = RaftException.codeOf(c);
      if (code == ErrorCode.STALE_EPOCH) {
        return retryAfterRefresh(shard, deadlineNanos, st, code, c.getMessage());
      }
      if (code == ErrorCode.MALFORMED_ENTRY || code == ErrorCode.BATCH_TOO_LARGE
          || code == ErrorCode.INVALID_REQUEST) {
        return done(new ShardOutcome(shard, ShardOutcome.Status.FAILED, code, c.getMessage(), st.samples,
            st.attempts));
      }
      // APPLY_FAILED (committed, apply broke on the leader) or anything we cannot classify: indeterminate.
      return done(unknown(shard, st, code == null ? ErrorCode.INTERNAL : code, c.getMessage()));
    }
    if (c instanceof GroupMismatchException) {
      dropClient(shard, client);
      return retryAfterRefresh(shard, deadlineNanos, st, ErrorCode.GROUP_NOT_FOUND, c.getMessage());
    }
    // Retries exhausted, client closed, connection errors: the request may have reached a leader. The client is
    // replaced in every case: once Ratis' own retries are exhausted it closes the client's ordered sliding window,
    // and every later send on that client fails at once with AlreadyClosedException ("SlidingWindow$Client ... is
    // closed"), so keeping it would spend the whole retry budget on a dead client while the group has recovered.
    // Dropping is a no-op when another entry already replaced it.
    st.mayHaveApplied = true;
    dropClient(shard, client);
    return retryAfterRefresh(shard, deadlineNanos, st, ErrorCode.UNAVAILABLE, String.valueOf(c));
  }

  private CompletableFuture<ShardOutcome> retryAfterRefresh(int shard, long deadlineNanos, Attempt st,
      ErrorCode code, String message) {
    long remainingNanos = deadlineNanos - System.nanoTime();
    long sleepNanos = TimeUnit.MILLISECONDS.toNanos(config.clientRetrySleepMs());
    if (closed || st.refreshes >= config.maxRefreshes() || remainingNanos <= sleepNanos) {
      return done(giveUp(shard, st, code, message));
    }
    st.refreshes++;
    stats.retries.incrementAndGet();
    CompletableFuture<ShardOutcome> next = new CompletableFuture<>();
    scheduler.schedule(() -> refreshView()
            .handle((v, e) -> null) // keep the cached view if the refresh fails
            .thenCompose(x -> sendEntry(shard, deadlineNanos, st))
            .whenComplete((o, e) -> {
              if (e != null) {
                next.complete(giveUp(shard, st, ErrorCode.INTERNAL, String.valueOf(unwrap(e))));
              } else {
                next.complete(o);
              }
            }),
        sleepNanos, TimeUnit.NANOSECONDS);
    return next;
  }

  private static ShardOutcome giveUp(int shard, Attempt st, ErrorCode code, String message) {
    return st.mayHaveApplied || code == ErrorCode.TIMEOUT
        ? unknown(shard, st, code, message)
        : new ShardOutcome(shard, ShardOutcome.Status.FAILED, code, message, st.samples, st.attempts);
  }

  private static ShardOutcome unknown(int shard, Attempt st, ErrorCode code, String message) {
    return new ShardOutcome(shard, ShardOutcome.Status.UNKNOWN, code, message, st.samples, st.attempts);
  }

  private static CompletableFuture<ShardOutcome> done(ShardOutcome o) {
    return CompletableFuture.completedFuture(o);
  }

  // ---------------------------------------------------------------- clients

  private ShardClient clientFor(ClusterView v, int shard) {
    if (v == null) {
      throw new RaftException(ErrorCode.UNAVAILABLE, "no cluster view");
    }
    ShardReplicas row = v.shard(shard);
    List<RaftPeer> peers = new ArrayList<>();
    StringBuilder key = new StringBuilder(v.clusterId()).append('/').append(shard);
    for (String nodeId : row.replicas()) {
      NodeAddress a = v.nodes().get(nodeId);
      if (a != null) {
        peers.add(RaftPeer.newBuilder().setId(nodeId).setAddress(a.raftAddress()).build());
        key.append(',').append(nodeId).append('@').append(a.raftAddress());
      }
    }
    if (peers.isEmpty()) {
      throw new RaftException(ErrorCode.UNAVAILABLE, "shard has no reachable replica [shard=" + shard + "]");
    }
    String k = key.toString();
    ShardClient current = clients.get(shard);
    if (current != null && current.key().equals(k)) {
      return current;
    }
    synchronized (clients) {
      current = clients.get(shard);
      if (current != null && current.key().equals(k)) {
        return current;
      }
      ClientId clientId = ClientId.randomId();
      RaftClient.Builder b = RaftClient.newBuilder()
          .setClientId(clientId)
          .setRaftGroup(RaftGroup.valueOf(GroupIds.shard(v.clusterId(), shard), peers))
          .setProperties(config.clientProperties())
          // A leader that stops answering costs a write one attempt timeout, not that plus a 3 s channel shutdown.
          .setClientRpc(new BackgroundReconnectRpc(
              new GrpcFactory(new Parameters()).newRaftClientRpc(clientId, config.clientProperties())))
          .setRetryPolicy(retryPolicy());
      if (row.leaderHint() != null) {
        b.setLeaderId(RaftPeerId.valueOf(row.leaderHint()));
      }
      ShardClient created = new ShardClient(k, b.build());
      clients.put(shard, created);
      stats.clientsCreated.incrementAndGet();
      if (current != null) {
        closeLater(current, config.writeTimeoutMs()); // let its in-flight requests finish
      }
      return created;
    }
  }

  /**
   * Bounded Ratis-client retries: enough fixed-sleep attempts to span one write deadline (leader elections take a
   * few election timeouts), after which the router's own refresh/retry or UNKNOWN takes over.
   */
  private RetryPolicy retryPolicy() {
    int attempts = (int) Math.max(3, config.writeTimeoutMs() / config.clientRetrySleepMs());
    return RetryPolicies.retryUpToMaximumCountWithFixedSleep(attempts,
        TimeDuration.valueOf(config.clientRetrySleepMs(), TimeUnit.MILLISECONDS));
  }

  private void dropClient(int shard, ShardClient client) {
    if (clients.remove(shard, client)) {
      closeLater(client, 0);
    }
  }

  private void closeLater(ShardClient client, long delayMs) {
    Runnable close = () -> {
      try {
        client.client().close();
      } catch (IOException | RuntimeException e) {
        LOG.debug("router client close failed [key={}]", client.key(), e);
      }
    };
    try {
      scheduler.schedule(close, delayMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      close.run();
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    scheduler.shutdownNow();
    sendPool.shutdownNow();
    for (ShardClient c : clients.values()) {
      try {
        c.client().close();
      } catch (IOException | RuntimeException e) {
        LOG.debug("router client close failed [key={}]", c.key(), e);
      }
    }
    clients.clear();
  }

  private static Throwable unwrap(Throwable e) {
    Throwable c = e;
    while ((c instanceof CompletionException || c instanceof java.util.concurrent.ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Router counters (monotonic). */
  public static final class RouterStats {
    final AtomicLong writes = new AtomicLong();
    final AtomicLong committedSamples = new AtomicLong();
    final AtomicLong failedShardWrites = new AtomicLong();
    final AtomicLong unknownShardWrites = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final AtomicLong viewRefreshes = new AtomicLong();
    final AtomicLong clientsCreated = new AtomicLong();
    final AtomicLong splitChunks = new AtomicLong();
    final AtomicLong entries = new AtomicLong();
    final AtomicLong coalescedParts = new AtomicLong();

    void count(ShardOutcome o) {
      switch (o.status()) {
        case COMMITTED -> committedSamples.addAndGet(o.samples());
        case FAILED -> failedShardWrites.incrementAndGet();
        case UNKNOWN -> unknownShardWrites.incrementAndGet();
      }
    }

    /** Routed writes. */
    public long writes() {
      return writes.get();
    }

    /** Committed samples. */
    public long committedSamples() {
      return committedSamples.get();
    }

    /** Shard writes that failed. */
    public long failedShardWrites() {
      return failedShardWrites.get();
    }

    /** Shard writes whose outcome is unknown. */
    public long unknownShardWrites() {
      return unknownShardWrites.get();
    }

    /** Router-level retries (after a refresh). */
    public long retries() {
      return retries.get();
    }

    /** View refreshes started. */
    public long viewRefreshes() {
      return viewRefreshes.get();
    }

    /** Raft clients created. */
    public long clientsCreated() {
      return clientsCreated.get();
    }

    /** Log entries proposed (first attempts). */
    public long entries() {
      return entries.get();
    }

    /** Parts that rode in an entry together with an earlier part (writes saved by coalescing). */
    public long coalescedParts() {
      return coalescedParts.get();
    }

    /** Extra entries created by splitting oversized shard batches. */
    public long splitChunks() {
      return splitChunks.get();
    }
  }
}
