package io.quiver.placement;

import java.util.Objects;

/**
 * What placement needs to know about one node.
 *
 * @param id stable node id (non-blank)
 * @param zone failure zone (rack, availability zone); {@code ""} when the cluster does not use zones
 * @param ordinal join ordinal, assigned once by the metadata group in join order starting at 0, never reused;
 *     it is the node's jump-hash bucket in {@link NodeOrder}
 * @param state lifecycle state
 */
public record NodeInfo(String id, String zone, int ordinal, NodeState state) {
  /** Validates; a {@code null} zone becomes {@code ""}. */
  public NodeInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    if (id.isBlank()) {
      throw new IllegalArgumentException("blank node id");
    }
    if (ordinal < 0) {
      throw new IllegalArgumentException("negative join ordinal [id=" + id + ", ordinal=" + ordinal + "]");
    }
    zone = zone == null ? "" : zone;
  }

  /** A copy in another state. */
  public NodeInfo withState(NodeState newState) {
    return new NodeInfo(id, zone, ordinal, newState);
  }
}
