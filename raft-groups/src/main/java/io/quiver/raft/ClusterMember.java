package io.quiver.raft;

import java.util.Objects;

/**
 * A node of the initial set given to {@link RaftNode#bootstrap}.
 *
 * @param address advertised addresses
 * @param zone failure domain
 */
public record ClusterMember(NodeAddress address, String zone) {
  /** Validates. */
  public ClusterMember {
    Objects.requireNonNull(address, "address");
    zone = zone == null || zone.isBlank() ? "default" : zone;
  }
}
