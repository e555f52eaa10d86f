package io.quiver.raft;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * Deterministic Ratis identities. Group ids are name-based UUIDs of the cluster id and the group's role, so every
 * node derives the same id for "shard 7 of cluster c" without coordination, and two clusters never collide.
 */
public final class GroupIds {
  private GroupIds() {}

  /** The metadata group of cluster {@code clusterId}. */
  public static RaftGroupId metadata(String clusterId) {
    return RaftGroupId.valueOf(nameUuid("quiver/" + clusterId + "/metadata"));
  }

  /** The group of shard {@code shard} of cluster {@code clusterId}. */
  public static RaftGroupId shard(String clusterId, int shard) {
    return RaftGroupId.valueOf(nameUuid("quiver/" + clusterId + "/shard/" + shard));
  }

  /** The Ratis peer id of a node: the node id itself (stable, persisted by the node, never derived from addresses). */
  public static RaftPeerId peer(String nodeId) {
    return RaftPeerId.valueOf(nodeId);
  }

  private static UUID nameUuid(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
  }
}
