package io.quiver.raft.meta;

import io.quiver.raft.ErrorCode;
import io.quiver.raft.RaftException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * State machine of the metadata group. The state is one immutable {@link ClusterState} replaced on every apply
 * ({@link MetaApplier}, deterministic); a snapshot is that state as one file ({@link MetaCodec#encode(ClusterState)}).
 *
 * <p>Besides the replicated state it keeps one piece of local, non-replicated state: the last heartbeat each node
 * sent to this replica (heartbeats are linearizable reads, so they reach the leader and never grow the log). Only
 * the leader's control agent acts on it.
 */
public final class MetadataStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataStateMachine.class);

  /** Last heartbeat a node sent to this replica. */
  public record Heartbeat(String incarnation, long receivedNanos) {}

  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final Map<String, Heartbeat> heartbeats = new ConcurrentHashMap<>();
  private final LongSupplier nanoClock;
  private final Consumer<ClusterState> onApplied;
  private volatile ClusterState state = ClusterState.empty();

  /**
   * @param nanoClock clock for heartbeat receipt times (local only, never used in apply)
   * @param onApplied called on the apply thread after each applied command and after a snapshot load; must be cheap
   */
  public MetadataStateMachine(LongSupplier nanoClock, Consumer<ClusterState> onApplied) {
    this.nanoClock = nanoClock;
    this.onApplied = onApplied;
  }

  /** The current state as applied on this replica (not linearizable; use a read through Ratis for that). */
  public ClusterState state() {
    return state;
  }

  /** Heartbeats received by this replica, by node id. */
  public Map<String, Heartbeat> heartbeats() {
    return Map.copyOf(heartbeats);
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    getLifeCycle().startAndTransition(() -> {
      super.initialize(server, groupId, raftStorage);
      storage.init(raftStorage);
      load(storage.loadLatestSnapshot());
    });
  }

  @Override
  public void pause() {
    LifeCycle lc = getLifeCycle();
    if (lc.getCurrentState() == LifeCycle.State.RUNNING) {
      lc.transition(LifeCycle.State.PAUSING);
      lc.transition(LifeCycle.State.PAUSED);
    }
  }

  @Override
  public void reinitialize() throws IOException {
    LifeCycle lc = getLifeCycle();
    if (lc.getCurrentState() == LifeCycle.State.PAUSED) {
      lc.transition(LifeCycle.State.STARTING);
    }
    // Re-scan the directory: a leader-installed snapshot replaced it (RATIS-2111: a cached "latest" is stale).
    load(storage.loadLatestSnapshot());
    if (lc.getCurrentState() == LifeCycle.State.STARTING) {
      lc.transition(LifeCycle.State.RUNNING);
    }
  }

  private void load(SingleFileSnapshotInfo snapshot) throws IOException {
    if (snapshot == null) {
      return;
    }
    Path file = snapshot.getFile().getPath();
    if (snapshot.hasMd5()) {
      MD5FileUtil.verifySavedMD5(file.toFile(), snapshot.getFile().getFileDigest());
    }
    ClusterState loaded = MetaCodec.decodeState(Files.readAllBytes(file));
    state = loaded;
    setLastAppliedTermIndex(snapshot.getTermIndex());
    LOG.info("metadata snapshot loaded [group={}, termIndex={}, version={}]", getGroupId(), snapshot.getTermIndex(),
        loaded.version());
    onApplied.accept(loaded);
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex last = getLastAppliedTermIndex();
    if (last == null || last.getIndex() < 0) {
      return -1;
    }
    // Runs on the apply thread: state and last-applied are consistent.
    byte[] bytes = MetaCodec.encode(state);
    File target = storage.getSnapshotFile(last.getTerm(), last.getIndex());
    Path tmp = target.toPath().resolveSibling(target.getName() + ".tmp");
    Files.write(tmp, bytes, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE,
        StandardOpenOption.SYNC);
    Files.move(tmp, target.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(target);
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(target.toPath(), md5), last));
    return last.getIndex();
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    long index = entry.getIndex();
    MetaResult result;
    boolean answerState = false;
    try {
      MetaCommand command = MetaCodec.decodeCommand(entry.getStateMachineLogEntry().getLogData().toByteArray());
      MetaApplier.Applied applied = MetaApplier.apply(state, command, index);
      state = applied.state();
      result = applied.result();
      // A read through the log: only the leader (which holds the client request) encodes the state it answers.
      answerState = command instanceof MetaCommand.ReadState && trx.getClientRequest() != null;
    } catch (RaftException e) {
      // Deterministic on every replica: a malformed entry is a rejected command, the group carries on.
      LOG.warn("metadata entry rejected [group={}, index={}, error={}]", getGroupId(), index, e.getMessage());
      result = MetaResult.error(e.code(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("metadata apply failed [group={}, index={}]", getGroupId(), index, e);
      result = MetaResult.error(ErrorCode.APPLY_FAILED, "apply failed [index=" + index + ", cause=" + e + "]");
    }
    updateLastAppliedTermIndex(entry.getTerm(), index);
    try {
      onApplied.accept(state);
    } catch (RuntimeException e) {
      LOG.warn("metadata apply listener failed [group={}, index={}]", getGroupId(), index, e);
    }
    return CompletableFuture.completedFuture(message(answerState ? MetaCodec.encode(state) : MetaCodec.encode(result)));
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    try {
      MetaCodec.Query q = MetaCodec.decodeQuery(request.getContent().toByteArray());
      if (q instanceof MetaCodec.Query.Heartbeat h) {
        heartbeats.put(h.nodeId(), new Heartbeat(h.incarnation(), nanoClock.getAsLong()));
      }
      return CompletableFuture.completedFuture(message(MetaCodec.encode(state)));
    } catch (RaftException e) {
      return CompletableFuture.failedFuture(e.forWire());
    }
  }

  /** Forgets heartbeats (called when this replica becomes leader, so old receipts do not count). */
  public void clearHeartbeats() {
    heartbeats.clear();
  }

  private static Message message(byte[] bytes) {
    ByteString bs = UnsafeByteOperations.unsafeWrap(bytes);
    return Message.valueOf(bs);
  }
}
