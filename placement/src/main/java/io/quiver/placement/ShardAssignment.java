package io.quiver.placement;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The replicas of one shard.
 *
 * @param shard shard number
 * @param replicas distinct node ids; the first is the leader hint
 * @param pinned placed by hand by an admin: the rebalancer leaves it alone unless it breaks a hard constraint
 *     (a replica on a node that is not placeable, a zone-rule violation, a wrong replica count)
 */
public record ShardAssignment(int shard, List<String> replicas, boolean pinned) {
  /** Copies and validates. */
  public ShardAssignment {
    if (shard < 0) {
      throw new IllegalArgumentException("negative shard [shard=" + shard + "]");
    }
    replicas = List.copyOf(replicas);
    if (new HashSet<>(replicas).size() != replicas.size()) {
      throw new IllegalArgumentException("replicas not distinct [shard=" + shard + ", replicas=" + replicas + "]");
    }
  }

  /** An unpinned assignment. */
  public static ShardAssignment of(int shard, List<String> replicas) {
    return new ShardAssignment(shard, replicas, false);
  }

  /** The leader hint (first replica), or {@code null} if the shard has no replicas. */
  public String leader() {
    return replicas.isEmpty() ? null : replicas.get(0);
  }

  /** Whether {@code nodeId} holds a replica. */
  public boolean contains(String nodeId) {
    return replicas.contains(Objects.requireNonNull(nodeId));
  }

  /** A copy pinned or unpinned. */
  public ShardAssignment withPinned(boolean pin) {
    return new ShardAssignment(shard, replicas, pin);
  }
}
