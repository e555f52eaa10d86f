package io.quiver.raft;

import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.statemachine.StateMachine;

/**
 * Creates the state machine of one shard replica; {@link RaftNode}'s state-machine registry calls it once per
 * shard division (never shares an instance between groups, notes §0.1). raft-data's {@code ShardStateMachine} is
 * the production implementation; tests may plug in a simpler one.
 */
@FunctionalInterface
public interface ShardStateMachineFactory {
  /** A new state machine for replica of shard {@code shard} whose Raft group is {@code groupId}. */
  StateMachine create(int shard, RaftGroupId groupId);

  /**
   * The log message that fences shard-map epochs below {@code epoch} on a shard group (raft-data's codec), or
   * {@code null} if the state machine has no fence. The control plane proposes it after a move changed the voter set
   * and bumped the shard's epoch, so replicas reject proposals routed with an older map.
   */
  default byte[] fenceEntry(int shard, long epoch) {
    return null;
  }

  /**
   * The production factory: raft-data's {@code ShardStateMachine} over the node's shard context (one context per
   * node: store opener, query executor, limits), with {@code ShardLogCodec} epoch fences.
   */
  static ShardStateMachineFactory of(io.quiver.raft.shard.ShardStateMachineContext ctx) {
    return new ShardStateMachineFactory() {
      @Override
      public StateMachine create(int shard, RaftGroupId groupId) {
        return new io.quiver.raft.shard.ShardStateMachine(shard, ctx);
      }

      @Override
      public byte[] fenceEntry(int shard, long epoch) {
        return io.quiver.raft.shard.ShardLogCodec.encodeFence(epoch);
      }
    };
  }
}
