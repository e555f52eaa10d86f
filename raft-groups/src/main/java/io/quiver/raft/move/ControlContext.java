package io.quiver.raft.move;

import io.quiver.raft.RaftNodeConfig;
import io.quiver.raft.meta.MetaCommand;
import io.quiver.raft.meta.MetaResult;
import io.quiver.raft.meta.MetadataStateMachine;
import java.util.List;
import org.apache.ratis.protocol.RaftGroupId;

/** What the {@link ControlAgent} may use of its node. Calls block for a bounded time. */
public interface ControlContext {
  /** This node's id. */
  String nodeId();

  /** Cluster id (group ids derive from it). */
  String clusterId();

  /** Node configuration (timeouts). */
  RaftNodeConfig config();

  /** Whether this node leads the metadata group (and the leader is ready). */
  boolean isMetadataLeader();

  /** The local metadata replica (state and received heartbeats), or {@code null}. */
  MetadataStateMachine metadataStateMachine();

  /** Proposes a command and waits for its result (bounded). */
  MetaResult submit(MetaCommand command);

  /** Ratis group operations. */
  GroupOps ops();

  /** Voter ids of the metadata group's current configuration (leader's view). */
  List<String> metadataVoters();

  /** Listener ids of the metadata group's current configuration. */
  List<String> metadataListeners();

  /** Whether the metadata group is in the middle of a configuration change. */
  boolean metadataConfChanging();

  /**
   * Proposes an epoch fence to shard {@code shard}'s group through {@code replicas} (no-op if the shard state machine
   * has none). Idempotent: a replica keeps the highest epoch it saw.
   */
  void fenceShard(int shard, long epoch, List<io.quiver.raft.NodeAddress> replicas);

  /** The metadata group id. */
  RaftGroupId metadataGroupId();
}
