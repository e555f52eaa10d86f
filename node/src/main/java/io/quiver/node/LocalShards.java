package io.quiver.node;

import io.quiver.columnar.ShardStore;
import io.quiver.raft.ErrorCode;
import io.quiver.raft.GroupIds;
import io.quiver.raft.RaftException;
import io.quiver.raft.RaftNode;
import io.quiver.raft.shard.Consistency;
import io.quiver.raft.shard.ShardStateMachine;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.server.RaftServer;

/** The shard replicas this node hosts, and reads from them at a requested consistency. */
final class LocalShards {
  private final RaftNode raft;

  LocalShards(RaftNode raft) {
    this.raft = raft;
  }

  /** The local replica's state machine of {@code shard}, if this node hosts one that is open. */
  Optional<ShardStateMachine> replica(int shard) {
    try {
      RaftServer.Division d = raft.ratisServer().getDivision(GroupIds.shard(raft.config().clusterId(), shard));
      return d.getStateMachine() instanceof ShardStateMachine sm ? Optional.of(sm) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Whether this node hosts a replica of {@code shard}. */
  boolean hosts(int shard) {
    return replica(shard).isPresent();
  }

  /**
   * Completes with the local store of {@code shard} once it may serve a read at {@code consistency}; fails with
   * {@link ErrorCode#GROUP_NOT_FOUND} when this node holds no replica.
   */
  CompletableFuture<ShardStore> read(int shard, Consistency consistency, long maxStalenessMs) {
    Optional<ShardStateMachine> sm = replica(shard);
    if (sm.isEmpty()) {
      return CompletableFuture.failedFuture(new RaftException(ErrorCode.GROUP_NOT_FOUND,
          "no local replica of shard [shard=" + shard + ", node=" + raft.nodeId() + "]"));
    }
    return sm.get().readBarrier(consistency, maxStalenessMs).thenApply(data -> {
      ShardStore store = data.unwrap(ShardStore.class);
      if (store == null) {
        throw new RaftException(ErrorCode.CLOSED, "shard store not open [shard=" + shard + "]");
      }
      return store;
    });
  }
}
