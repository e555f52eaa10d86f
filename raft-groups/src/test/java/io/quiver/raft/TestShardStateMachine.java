package io.quiver.raft;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;

/**
 * A small shard state machine for control-plane tests (until and besides raft-data's ShardStateMachine): keeps
 * every applied entry as a string, snapshots them as one file, honours the pause/reinitialize lifecycle so leader
 * snapshot installs work, and answers the query {@code "digest"} with {@code count:hash} and {@code "all"} with the
 * entries joined by newlines. Entries {@code "fence:<epoch>"} raise the fence; {@code "w:<epoch>:<payload>"} is
 * rejected (failed future, state unchanged) when {@code epoch} is below it.
 */
public final class TestShardStateMachine extends BaseStateMachine {
  /** Factory for {@link RaftNode}: a new instance per shard group, plus the fence entry. */
  public static final ShardStateMachineFactory FACTORY = new ShardStateMachineFactory() {
    @Override
    public org.apache.ratis.statemachine.StateMachine create(int shard, RaftGroupId groupId) {
      return new TestShardStateMachine();
    }

    @Override
    public byte[] fenceEntry(int shard, long epoch) {
      return ("fence:" + epoch).getBytes(StandardCharsets.UTF_8);
    }
  };

  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final List<String> entries = new ArrayList<>();
  private long fence;

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
    if (getLifeCycle().getCurrentState() == LifeCycle.State.RUNNING) {
      getLifeCycle().transition(LifeCycle.State.PAUSING);
      getLifeCycle().transition(LifeCycle.State.PAUSED);
    }
  }

  @Override
  public void reinitialize() throws IOException {
    if (getLifeCycle().getCurrentState() == LifeCycle.State.PAUSED) {
      getLifeCycle().transition(LifeCycle.State.STARTING);
    }
    load(storage.loadLatestSnapshot());
    if (getLifeCycle().getCurrentState() == LifeCycle.State.STARTING) {
      getLifeCycle().transition(LifeCycle.State.RUNNING);
    }
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  private synchronized void load(SingleFileSnapshotInfo snapshot) throws IOException {
    if (snapshot == null) {
      return;
    }
    try (DataInputStream in = new DataInputStream(Files.newInputStream(snapshot.getFile().getPath()))) {
      fence = in.readLong();
      int n = in.readInt();
      entries.clear();
      for (int i = 0; i < n; i++) {
        entries.add(in.readUTF());
      }
    }
    setLastAppliedTermIndex(snapshot.getTermIndex());
  }

  @Override
  public synchronized long takeSnapshot() throws IOException {
    TermIndex last = getLastAppliedTermIndex();
    if (last == null || last.getIndex() < 0) {
      return -1;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(fence);
      out.writeInt(entries.size());
      for (String e : entries) {
        out.writeUTF(e);
      }
    }
    File target = storage.getSnapshotFile(last.getTerm(), last.getIndex());
    Path tmp = target.toPath().resolveSibling(target.getName() + ".tmp");
    Files.write(tmp, bytes.toByteArray());
    Files.move(tmp, target.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    var md5 = MD5FileUtil.computeAndSaveMd5ForFile(target);
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(target.toPath(), md5), last));
    return last.getIndex();
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    String s = entry.getStateMachineLogEntry().getLogData().toStringUtf8();
    String error = null;
    synchronized (this) {
      if (s.startsWith("fence:")) {
        fence = Math.max(fence, Long.parseLong(s.substring(6)));
      } else if (s.startsWith("w:")) {
        int colon = s.indexOf(':', 2);
        long epoch = Long.parseLong(s.substring(2, colon));
        if (epoch < fence) {
          error = "[code=" + ErrorCode.STALE_EPOCH.id() + "] stale epoch [epoch=" + epoch + ", fence=" + fence + "]";
        } else {
          entries.add(s.substring(colon + 1));
        }
      } else {
        entries.add(s);
      }
    }
    updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    if (error != null) {
      return CompletableFuture.failedFuture(new RaftException(ErrorCode.STALE_EPOCH, error));
    }
    return CompletableFuture.completedFuture(Message.valueOf("ok"));
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    String q = request.getContent().toStringUtf8();
    synchronized (this) {
      if (q.equals("all")) {
        return CompletableFuture.completedFuture(Message.valueOf(String.join("\n", entries)));
      }
      return CompletableFuture.completedFuture(Message.valueOf(entries.size() + ":" + entries.hashCode()));
    }
  }

  /** Entries applied so far (test inspection). */
  public synchronized List<String> entries() {
    return List.copyOf(entries);
  }
}
