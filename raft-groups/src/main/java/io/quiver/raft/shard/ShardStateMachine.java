package io.quiver.raft.shard;

import io.quiver.raft.ErrorCode;
import io.quiver.raft.RaftException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of one shard replica: applies {@link ShardLogCodec} entries into the shard's storage engine
 * ({@link ShardData}, the columnar {@code ShardStore} in production) and serves read barriers.
 *
 * <ul>
 *   <li><b>Write path.</b> {@link #startTransaction} (leader only) decodes and validates: malformed entries, entries
 *       over {@link ShardStateMachineContext#maxEntryBytes()} and writes whose epoch is below the replica's epoch
 *       fence are rejected with {@code setException} (nothing is appended; the client sees a
 *       {@code StateMachineException} whose message carries {@code [code=raft.…]}). {@link #applyTransaction} runs on
 *       the group's apply thread on every replica, never throws, and repeats the epoch check deterministically (a
 *       fence can be committed between a write's validation and its apply); such a write completes normally with a
 *       {@code STALE_EPOCH} {@link ShardReply}. Entries at or below the store's {@code lastAppliedIndex()} are
 *       skipped, so replaying the log tail after a restart is harmless.
 *   <li><b>Snapshots.</b> The store lives in {@code <group>/sm/store/}, inside the directory Ratis replaces on
 *       snapshot install. {@link #takeSnapshot} checkpoints the store and writes a manifest; the snapshot index is the
 *       applied index (all writes so far are in the checkpoint), or the checkpoint's index if the store reports less.
 *   <li><b>Reads.</b> {@link #readBarrier} completes once this replica has applied everything a linearizable (or
 *       bounded-stale) read must see; callers then scan the local store. A linearizable barrier commits a
 *       {@link ShardEntry.ReadBarrier} entry proposed after the read began and waits until this replica has applied
 *       it, so a partitioned or paused old leader cannot complete one. It does not use Ratis' ReadIndex, which in
 *       3.3.0 answers a read index an earlier heartbeat round acknowledged without confirming leadership again
 *       ({@code IsolatedLeaderReadTest}, {@code docs/design/raft-groups.md}).
 * </ul>
 */
public class ShardStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(ShardStateMachine.class);
  private static final ClientId BARRIER_CLIENT = ClientId.randomId();
  private static final AtomicLong BARRIER_CALL_IDS = new AtomicLong(1L << 40);
  /** Every read-barrier entry is the same bytes: encoded once, sent locally or forwarded to the leader. */
  private static final Message READ_BARRIER = message(ShardLogCodec.encodeReadBarrier());
  private static final long READ_RETRY_FIRST_BACKOFF_MS = 10;
  private static final long READ_RETRY_MAX_BACKOFF_MS = 100;

  private final int shard;
  private final ShardStateMachineContext ctx;
  private final ShardSnapshotStorage storage = new ShardSnapshotStorage();
  /** Pending waits for the applied index: index -> futures completed once applied >= index. */
  private final ConcurrentSkipListMap<Long, CompletableFuture<Void>> appliedWaiters = new ConcurrentSkipListMap<>();
  /** Fence history (index -> epoch), so a snapshot at an older index records the fence in force there. */
  private final NavigableMap<Long, Long> fences = new TreeMap<>();
  private final AtomicLong lastFreshReadStartNanos = new AtomicLong(Long.MIN_VALUE);
  private final ShardStats stats = new ShardStats();
  /** Guards {@link #barrierInFlight} and {@link #barrierNext}. */
  private final Object barrierLock = new Object();
  /** The read barrier being proposed: every read sharing it began before its first proposal. */
  private CompletableFuture<Long> barrierInFlight;
  /** Reads that began while {@link #barrierInFlight} was out: they share the next barrier, proposed after it. */
  private CompletableFuture<Long> barrierNext;
  /** Forwards barriers to the leader when this replica is a follower; created on first use. */
  private final BarrierForwarder forwarder = new BarrierForwarder(this::groupForForwarding);

  private volatile ShardData data;
  private volatile long fenceEpoch;
  private volatile boolean unhealthy;
  private volatile String logPrefix;

  /**
   * Creates the state machine of one replica of shard {@code shard}; called by the node's state-machine registry
   * once per division. Nothing is opened until Ratis calls {@link #initialize}.
   */
  public ShardStateMachine(int shard, ShardStateMachineContext ctx) {
    if (shard < 0) {
      throw new IllegalArgumentException("negative shard [shard=" + shard + "]");
    }
    this.shard = shard;
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.logPrefix = "shard-" + shard;
  }

  /**
   * The local replica's state machine of group {@code groupId} on {@code server} (for Flight/HTTP reads on the same
   * node).
   *
   * @throws RaftException {@code GROUP_NOT_FOUND} if this server holds no such shard replica
   */
  public static ShardStateMachine local(RaftServer server, RaftGroupId groupId) {
    try {
      if (server.getDivision(groupId).getStateMachine() instanceof ShardStateMachine sm) {
        return sm;
      }
    } catch (IOException e) {
      throw new RaftException(ErrorCode.GROUP_NOT_FOUND, "no replica of the group on this node [group=" + groupId
          + ", server=" + server.getId() + "]", e);
    }
    throw new RaftException(ErrorCode.GROUP_NOT_FOUND, "group is not a shard group [group=" + groupId + "]");
  }

  /** The shard number. */
  public int shard() {
    return shard;
  }

  /** The highest epoch fence applied on this replica; writes routed with a smaller epoch are rejected. */
  public long fenceEpoch() {
    return fenceEpoch;
  }

  /** Counters for /metrics and tests. */
  public ShardStats stats() {
    return stats;
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    getLifeCycle().startAndTransition(() -> {
      super.initialize(server, groupId, raftStorage);
      logPrefix = server.getId() + "@" + groupId + " shard-" + shard;
      storage.init(raftStorage);
      load();
    });
  }

  @Override
  public void pause() {
    // Ratis calls this before it swaps in a snapshot directory received from the leader: close the store so
    // nothing writes into the directory being replaced.
    getLifeCycle().transition(LifeCycle.State.PAUSING);
    closeData();
    getLifeCycle().transition(LifeCycle.State.PAUSED);
  }

  @Override
  public void reinitialize() throws IOException {
    // Reload from the snapshot now on disk (re-scan: any cached "latest" is stale after an install).
    LifeCycle.State state = getLifeCycleState();
    if (state == LifeCycle.State.PAUSED) {
      getLifeCycle().transition(LifeCycle.State.STARTING);
      load();
      getLifeCycle().transition(LifeCycle.State.RUNNING);
    } else {
      closeData();
      load();
    }
    releaseWaiters(getLastAppliedTermIndex().getIndex());
  }

  private void load() throws IOException {
    closeData();
    ShardSnapshotStorage.Loaded snapshot = storage.reload();
    Files.createDirectories(storage.storeDir());
    deleteMd5Siblings(storage.storeDir());
    ShardData opened = ctx.storeOpener().open(storage.storeDir());
    long epoch = 0;
    synchronized (fences) {
      fences.clear();
      if (snapshot != null) {
        epoch = snapshot.fenceEpoch();
        fences.put(snapshot.info().getIndex(), epoch);
      }
    }
    fenceEpoch = epoch;
    if (snapshot != null) {
      setLastAppliedTermIndex(snapshot.info().getTermIndex());
    }
    unhealthy = false;
    data = opened;
    LOG.info("{}: loaded [snapshot={}, storeApplied={}, storeDurable={}, fenceEpoch={}]", logPrefix,
        snapshot == null ? "none" : snapshot.info().getTermIndex(), opened.lastAppliedIndex(),
        opened.lastDurableIndex(), epoch);
  }

  /**
   * Ratis writes a {@code .md5} sibling next to every file it receives in a snapshot install; they are not part of
   * the store (and not listed in our snapshots), so remove them before the store scans its directory.
   */
  private static void deleteMd5Siblings(java.nio.file.Path dir) throws IOException {
    try (java.util.stream.Stream<java.nio.file.Path> files = Files.walk(dir)) {
      for (java.nio.file.Path f : files.filter(p -> p.getFileName().toString().endsWith(".md5")).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }

  private void closeData() {
    ShardData d = data;
    data = null;
    if (d != null) {
      d.close();
    }
  }

  @Override
  public void close() throws IOException {
    getLifeCycle().checkStateAndClose(this::closeData);
    forwarder.close();
    RaftException closed = new RaftException(ErrorCode.CLOSED, "shard state machine closed [" + logPrefix + "]");
    appliedWaiters.values().forEach(f -> f.completeExceptionally(closed));
    appliedWaiters.clear();
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public SnapshotInfo getLatestSnapshot() {
    return storage.getLatestSnapshot();
  }

  // ---------------------------------------------------------------- write path

  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    TransactionContext.Builder b = TransactionContext.newBuilder().setStateMachine(this).setClientRequest(request);
    ByteString content = request.getMessage().getContent();
    try {
      if (content.size() > ctx.maxEntryBytes()) {
        throw new RaftException(ErrorCode.BATCH_TOO_LARGE, "entry over the size cap [bytes=" + content.size()
            + ", maxEntryBytes=" + ctx.maxEntryBytes() + ", shard=" + shard + "]");
      }
      ShardEntry entry = ShardLogCodec.decode(content.toByteArray());
      if (entry instanceof ShardEntry.Write w) {
        if (w.batch().series().isEmpty()) {
          throw new RaftException(ErrorCode.INVALID_REQUEST, "empty write batch [shard=" + shard + "]");
        }
        checkEpoch(w.epoch());
      }
      return b.setStateMachineContext(entry).build();
    } catch (RaftException e) {
      stats.rejected.incrementAndGet();
      TransactionContext trx = b.build();
      trx.setException(e.forWire());
      return trx;
    }
  }

  private void checkEpoch(long epoch) {
    long fence = fenceEpoch;
    if (epoch < fence) {
      throw new RaftException(ErrorCode.STALE_EPOCH, "write routed with a stale shard-map epoch [shard=" + shard
          + ", epoch=" + epoch + ", fenceEpoch=" + fence + "]");
    }
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto logEntry = trx.getLogEntry();
    long index = logEntry.getIndex();
    ShardReply reply;
    try {
      ShardEntry entry = trx.getStateMachineContext() instanceof ShardEntry e ? e
          : ShardLogCodec.decode(logEntry.getStateMachineLogEntry().getLogData().toByteArray());
      reply = apply(entry, index);
    } catch (RaftException e) {
      // Deterministic on every replica (same bytes): skip the entry, keep serving.
      stats.rejected.incrementAndGet();
      LOG.warn("{}: skipping undecodable log entry [index={}, error={}]", logPrefix, index, e.getMessage());
      reply = ShardReply.rejected(index, e.code(), e.getMessage());
    } catch (RuntimeException e) {
      // Not deterministic (storage fault or bug): this replica no longer matches the others. Refuse snapshots and
      // reads from now on; the client sees a StateMachineException. Never throw from here (Ratis would close the
      // division on every replica that throws).
      unhealthy = true;
      stats.applyFailures.incrementAndGet();
      LOG.error("{}: apply failed, replica marked unhealthy [index={}]", logPrefix, index, e);
      updateLastAppliedTermIndex(logEntry.getTerm(), index);
      releaseWaiters(index);
      return CompletableFuture.failedFuture(new RaftException(ErrorCode.APPLY_FAILED,
          "apply failed [shard=" + shard + ", index=" + index + "]", e).forWire());
    }
    updateLastAppliedTermIndex(logEntry.getTerm(), index);
    releaseWaiters(index);
    return CompletableFuture.completedFuture(message(ShardLogCodec.encodeReply(reply)));
  }

  private ShardReply apply(ShardEntry entry, long index) {
    if (entry instanceof ShardEntry.EpochFence f) {
      long epoch = Math.max(fenceEpoch, f.epoch());
      synchronized (fences) {
        fences.put(index, epoch);
      }
      fenceEpoch = epoch;
      LOG.info("{}: epoch fence applied [index={}, fenceEpoch={}]", logPrefix, index, epoch);
      return ShardReply.ok(index, 0);
    }
    if (entry instanceof ShardEntry.ReadBarrier) {
      stats.barrierEntries.incrementAndGet();
      return ShardReply.ok(index, 0);
    }
    ShardEntry.Write w = (ShardEntry.Write) entry;
    if (w.epoch() < fenceEpoch) {
      stats.rejected.incrementAndGet();
      return ShardReply.rejected(index, ErrorCode.STALE_EPOCH, "write committed behind an epoch fence [shard="
          + shard + ", epoch=" + w.epoch() + ", fenceEpoch=" + fenceEpoch + "]");
    }
    ShardData d = requireData();
    long samples = w.batch().sampleCount();
    if (index <= d.lastAppliedIndex()) {
      stats.replaySkipped.incrementAndGet(); // replay of an entry the store already holds
      return ShardReply.ok(index, samples);
    }
    d.write(w.batch(), index);
    stats.appliedEntries.incrementAndGet();
    stats.appliedSamples.addAndGet(samples);
    return ShardReply.ok(index, samples);
  }

  private ShardData requireData() {
    ShardData d = data;
    if (d == null) {
      throw new RaftException(ErrorCode.CLOSED, "shard store not open [" + logPrefix + "]");
    }
    return d;
  }

  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    super.notifyTermIndexUpdated(term, index);
    releaseWaiters(index);
  }

  // ---------------------------------------------------------------- snapshots

  @Override
  public long takeSnapshot() throws IOException {
    if (unhealthy) {
      throw new IOException("refusing to snapshot an unhealthy replica [" + logPrefix + "]");
    }
    ShardData d = data;
    if (d == null) {
      return RaftLog.INVALID_LOG_INDEX;
    }
    TermIndex applied = getLastAppliedTermIndex();
    ShardSnapshotStorage.Loaded previous = storage.latest();
    if (previous != null && previous.info().getIndex() >= applied.getIndex()) {
      return previous.info().getIndex();
    }
    long storeIndex = d.lastAppliedIndex();
    ShardData.Checkpoint cp = d.checkpoint();
    TermIndex at;
    if (cp.index() >= storeIndex) {
      at = applied; // every write applied so far is in the checkpoint; later entries are fences/conf/rejections
    } else {
      at = termIndexOf(cp.index(), previous);
      if (at == null) {
        LOG.warn("{}: cannot resolve the term of checkpoint index, skipping snapshot [index={}]", logPrefix,
            cp.index());
        return previous == null ? RaftLog.INVALID_LOG_INDEX : previous.info().getIndex();
      }
    }
    long fence;
    synchronized (fences) {
      Map.Entry<Long, Long> e = fences.floorEntry(at.getIndex());
      fence = e == null ? 0 : e.getValue();
      // keep the newest entry at or below the snapshot so later snapshots still know it
      if (e != null) {
        fences.headMap(e.getKey(), false).clear();
      }
    }
    storage.write(at, fence, cp);
    storage.cleanupOldSnapshots(null);
    stats.snapshots.incrementAndGet();
    LOG.info("{}: snapshot taken [termIndex={}, files={}, fenceEpoch={}]", logPrefix, at, cp.files().size(), fence);
    return at.getIndex();
  }

  private TermIndex termIndexOf(long index, ShardSnapshotStorage.Loaded previous) {
    if (previous != null && previous.info().getIndex() == index) {
      return previous.info().getTermIndex();
    }
    try {
      RaftServer server = getServer().getNow(null);
      if (server == null) {
        return null;
      }
      return server.getDivision(getGroupId()).getRaftLog().getTermIndex(index);
    } catch (IOException e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- reads

  /**
   * Completes with this replica's store once it reflects every write the requested consistency demands; callers then
   * scan the store on their own thread. Fails with a {@link RaftException}: {@code TIMEOUT} (read index not obtained
   * in time, e.g. on a partitioned old leader), {@code UNAVAILABLE} (no leader), {@code CLOSED}, {@code APPLY_FAILED}.
   *
   * @param consistency the guarantee
   * @param maxStalenessMs bound for {@link Consistency#BOUNDED_STALENESS}, ignored otherwise
   */
  public CompletableFuture<ShardData> readBarrier(Consistency consistency, long maxStalenessMs) {
    if (unhealthy) {
      return CompletableFuture.failedFuture(new RaftException(ErrorCode.APPLY_FAILED,
          "replica unhealthy after an apply failure [" + logPrefix + "]"));
    }
    return switch (consistency) {
      case LOCAL -> dataNow();
      case LINEARIZABLE -> linearizableBarrier().thenCompose(i -> dataNow());
      case BOUNDED_STALENESS -> {
        long start = lastFreshReadStartNanos.get();
        if (start != Long.MIN_VALUE && System.nanoTime() - start <= TimeUnit.MILLISECONDS.toNanos(maxStalenessMs)) {
          stats.staleReadsLocal.incrementAndGet();
          yield dataNow();
        }
        yield linearizableBarrier().thenCompose(i -> dataNow());
      }
    };
  }

  private CompletableFuture<ShardData> dataNow() {
    ShardData d = data;
    return d != null ? CompletableFuture.completedFuture(d)
        : CompletableFuture.failedFuture(new RaftException(ErrorCode.CLOSED,
            "shard store not open (closed or installing a snapshot) [" + logPrefix + "]"));
  }

  /**
   * Completes with a log index once this replica has applied it, where the entry at that index was committed by a
   * leader that held a majority <em>after</em> this call began: every write acknowledged before the call is at or
   * below it, so a scan of the local store afterwards is linearizable.
   *
   * <p>The index is that of a {@link ShardEntry.ReadBarrier} entry (Raft's "read through the log"). Barriers are
   * shared: at most one is being proposed per replica, and the reads that begin meanwhile wait for the next one,
   * which is proposed when it ends (a read never shares a barrier proposed before it began: a retried proposal could
   * be answered from the retry cache with an index older than the read). The leader proposes through its own server;
   * a follower forwards through a Ratis client to the leader.
   *
   * <p>While the group has no usable leader (just after a restart or during an election) a proposal fails with a
   * transient error; it is retried with a short backoff until the read timeout, so a read that arrives one election
   * too early waits for the leader instead of failing. Only the deadline, a closed server or a group this server does
   * not host end it early.
   */
  public CompletableFuture<Long> linearizableBarrier() {
    long startNanos = System.nanoTime();
    CompletableFuture<Long> shared;
    boolean propose = false;
    synchronized (barrierLock) {
      if (barrierInFlight == null) {
        barrierInFlight = new CompletableFuture<>();
        shared = barrierInFlight;
        propose = true;
      } else {
        if (barrierNext == null) {
          barrierNext = new CompletableFuture<>();
        }
        shared = barrierNext;
      }
    }
    if (propose) {
      proposeBarrier(shared);
    }
    return shared.thenCompose(index -> awaitApplied(index, ctx.readTimeoutMs()).thenApply(v -> {
      lastFreshReadStartNanos.accumulateAndGet(startNanos, Math::max);
      stats.linearizableBarriers.incrementAndGet();
      return index;
    }));
  }

  private void proposeBarrier(CompletableFuture<Long> barrier) {
    long deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ctx.readTimeoutMs());
    barrier.whenComplete((index, error) -> {
      CompletableFuture<Long> next;
      synchronized (barrierLock) {
        next = barrierNext;
        barrierNext = null;
        barrierInFlight = next;
      }
      if (next != null) {
        proposeBarrier(next);
      }
    });
    barrierRound(deadlineNanos, 0, barrier);
  }

  private void barrierRound(long deadlineNanos, int attempt, CompletableFuture<Long> result) {
    RaftServer server = getServer().getNow(null);
    if (server == null || getLifeCycleState().isClosingOrClosed()) {
      result.completeExceptionally(new RaftException(ErrorCode.CLOSED, "not running [" + logPrefix + "]"));
      return;
    }
    long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    if (remainingMs <= 0) {
      result.completeExceptionally(readFailure(new TimeoutException(
          "no read barrier committed within " + ctx.readTimeoutMs() + " ms after " + attempt + " attempts")));
      return;
    }
    RaftClientRequest request = RaftClientRequest.newBuilder()
        .setClientId(BARRIER_CLIENT)
        .setServerId(server.getId())
        .setGroupId(getGroupId())
        .setCallId(BARRIER_CALL_IDS.incrementAndGet())
        .setMessage(READ_BARRIER)
        .setType(RaftClientRequest.writeRequestType())
        .setTimeoutMs(remainingMs)
        .build();
    CompletableFuture<RaftClientReply> sent;
    try {
      sent = server.submitClientRequestAsync(request);
    } catch (IOException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.orTimeout(remainingMs, TimeUnit.MILLISECONDS)
        .thenCompose(reply -> reply.getException() instanceof NotLeaderException
            ? forwarder.send(READ_BARRIER, remainingMs).thenApply(forwarded -> {
                nudgeIfNotApplied(forwarded, remainingMs);
                return forwarded;
              })
            : CompletableFuture.completedFuture(reply))
        .whenComplete((reply, error) -> {
          Throwable failure = error != null ? error : reply.isSuccess() ? null : reply.getException();
          if (failure == null) {
            try {
              result.complete(ShardLogCodec.decodeReply(reply.getMessage().getContent().toByteArray()).appliedIndex());
            } catch (RuntimeException e) {
              result.completeExceptionally(readFailure(e));
            }
            return;
          }
          long backoffMs = Math.min(READ_RETRY_MAX_BACKOFF_MS, READ_RETRY_FIRST_BACKOFF_MS << Math.min(attempt, 4));
          if (isTransientReadFailure(failure)
              && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs) < deadlineNanos) {
            stats.readRetries.incrementAndGet();
            CompletableFuture.delayedExecutor(backoffMs, TimeUnit.MILLISECONDS, ctx.queryExecutor())
                .execute(() -> barrierRound(deadlineNanos, attempt + 1, result));
          } else {
            result.completeExceptionally(readFailure(failure));
          }
        });
  }

  /**
   * Unless this follower has already applied the barrier the leader just committed for it, makes the leader send it
   * the commit index now rather than at its next heartbeat. Ratis' appender sends a follower the leader's commit index
   * only with new entries or a heartbeat (every {@code electionMin / 2}), so a follower whose forwarded barrier has
   * committed would apply it up to a heartbeat later (~160 ms at the test timeouts, 250 ms in production;
   * {@code ShardStateMachineTest.shouldApplyAFollowersReadBarrierWithoutWaitingForAHeartbeat}). So one more barrier
   * entry is appended after the first committed, and its AppendEntries carries the new commit index. Its own outcome
   * does not matter: the read waits for the first barrier only. Flowing writes push the commit index the same way.
   */
  private void nudgeIfNotApplied(RaftClientReply forwarded, long timeoutMs) {
    if (!forwarded.isSuccess()) {
      return;
    }
    try {
      long index = ShardLogCodec.decodeReply(forwarded.getMessage().getContent().toByteArray()).appliedIndex();
      if (getLastAppliedTermIndex().getIndex() >= index) {
        return;
      }
    } catch (RuntimeException e) {
      return; // the caller reports the bad reply
    }
    stats.barrierNudges.incrementAndGet();
    forwarder.send(READ_BARRIER, timeoutMs).whenComplete((reply, error) -> {
      if (error != null) {
        LOG.debug("{}: commit-index nudge failed: {}", logPrefix, error.toString());
      }
    });
  }

  /** This replica's current group (peers and addresses), for the follower's forwarding client. */
  private org.apache.ratis.protocol.RaftGroup groupForForwarding() throws IOException {
    RaftServer server = getServer().getNow(null);
    if (server == null) {
      throw new RaftException(ErrorCode.CLOSED, "not initialized [shard=" + shard + "]");
    }
    return server.getDivision(getGroupId()).getGroup();
  }

  /**
   * Failures that an election or a restart will end: no leader known yet, a leader that is not ready or stepping
   * down, a leader that cannot be reached (it just died: the follower's read-index request fails on the transport).
   * Not transient: this server closed or not hosting the group, a state-machine error, or a {@link RaftException}
   * whose code says so.
   */
  static boolean isTransientReadFailure(Throwable t) {
    Throwable c = unwrap(t);
    if (c instanceof org.apache.ratis.protocol.exceptions.AlreadyClosedException
        || c instanceof org.apache.ratis.protocol.exceptions.GroupMismatchException
        || c instanceof org.apache.ratis.protocol.exceptions.StateMachineException) {
      return false;
    }
    if (c instanceof RaftException re) {
      return re.retryable();
    }
    if (c instanceof org.apache.ratis.thirdparty.io.grpc.StatusRuntimeException e) {
      // A follower's read-index request to a leader that just died surfaces as the raw gRPC status.
      return e.getStatus().getCode() == org.apache.ratis.thirdparty.io.grpc.Status.Code.UNAVAILABLE;
    }
    return c instanceof IOException;
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  private RaftException readFailure(Throwable t) {
    Throwable c = unwrap(t);
    if (c instanceof RaftException re) {
      return re;
    }
    ErrorCode code;
    if (c instanceof TimeoutException || c instanceof org.apache.ratis.protocol.exceptions.TimeoutIOException) {
      code = ErrorCode.TIMEOUT;
    } else if (c instanceof org.apache.ratis.protocol.exceptions.NotLeaderException) {
      code = ErrorCode.NOT_LEADER;
    } else if (c instanceof org.apache.ratis.protocol.exceptions.GroupMismatchException) {
      code = ErrorCode.GROUP_NOT_FOUND;
    } else if (c instanceof org.apache.ratis.protocol.exceptions.AlreadyClosedException) {
      code = ErrorCode.CLOSED;
    } else {
      ErrorCode inMessage = RaftException.codeOf(c);
      code = inMessage != null ? inMessage : ErrorCode.UNAVAILABLE;
    }
    stats.readFailures.incrementAndGet();
    return new RaftException(code, "read barrier failed [" + logPrefix + ", cause=" + c + "]", c);
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    // No read-only queries: reads scan the store after readBarrier. Answered off the Ratis thread.
    return CompletableFuture.supplyAsync(() -> message(ShardLogCodec.encodeReply(ShardReply.rejected(
        getLastAppliedTermIndex().getIndex(), ErrorCode.INVALID_REQUEST, "unknown query"))), ctx.queryExecutor());
  }

  /**
   * Ratis has already checked commitIndex >= minIndex; wait (bounded) for the apply to catch up, with our own
   * waiter because BaseStateMachine's can hang (see notes/ratis.md §3).
   */
  @Override
  public CompletableFuture<Message> queryStale(Message request, long minIndex) {
    return awaitApplied(minIndex, ctx.readTimeoutMs()).thenCompose(v -> query(request));
  }

  /** Completes once the applied index is >= {@code index}, or fails with TIMEOUT after {@code timeoutMs}. */
  public CompletableFuture<Void> awaitApplied(long index, long timeoutMs) {
    if (getLastAppliedTermIndex().getIndex() >= index) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> f = appliedWaiters.computeIfAbsent(index, k -> new CompletableFuture<>());
    if (getLastAppliedTermIndex().getIndex() >= index) {
      releaseWaiters(getLastAppliedTermIndex().getIndex());
    }
    return f.copy().orTimeout(timeoutMs, TimeUnit.MILLISECONDS).exceptionally(e -> {
      Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (c instanceof TimeoutException) {
        throw new CompletionException(new RaftException(ErrorCode.TIMEOUT,
            "apply did not reach index in time [" + logPrefix + ", index=" + index + ", timeoutMs=" + timeoutMs + "]"));
      }
      throw new CompletionException(c);
    });
  }

  private void releaseWaiters(long applied) {
    while (true) {
      Map.Entry<Long, CompletableFuture<Void>> first = appliedWaiters.firstEntry();
      if (first == null || first.getKey() > applied) {
        return;
      }
      if (appliedWaiters.remove(first.getKey(), first.getValue())) {
        first.getValue().complete(null);
      }
    }
  }

  private static Message message(byte[] bytes) {
    return Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes));
  }

  @Override
  public String toString() {
    return "ShardStateMachine[" + logPrefix + "]";
  }
}
