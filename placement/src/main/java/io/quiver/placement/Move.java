package io.quiver.placement;

/**
 * One single-replica change of one shard's Raft group, executed as "add {@code toNode} as a learner, let it catch
 * up, promote it, (transfer leadership away from {@code fromNode} if it leads), remove {@code fromNode}". The
 * target is added before the source is removed, so a move never lowers the shard's live replica count.
 *
 * <p>Either side may be absent, never both: {@code fromNode == null} adds a replica to an under-replicated shard;
 * {@code toNode == null} removes a surplus replica. Moves of one shard must run in plan order, one at a time; moves
 * of different shards may run concurrently (rate-limited per node by the executor).
 *
 * @param shard shard number
 * @param fromNode node id that gives up its replica, or {@code null}
 * @param toNode node id that receives a new replica, or {@code null}
 */
public record Move(int shard, String fromNode, String toNode) {
  /** Validates. */
  public Move {
    if (shard < 0) {
      throw new IllegalArgumentException("negative shard [shard=" + shard + "]");
    }
    if (fromNode == null && toNode == null) {
      throw new IllegalArgumentException("move without source and target [shard=" + shard + "]");
    }
    if (fromNode != null && fromNode.equals(toNode)) {
      throw new IllegalArgumentException("move onto the same node [shard=" + shard + ", node=" + fromNode + "]");
    }
  }

  /** Whether this move only adds a replica. */
  public boolean isAdd() {
    return fromNode == null;
  }

  /** Whether this move only removes a replica. */
  public boolean isRemove() {
    return toNode == null;
  }

  @Override
  public String toString() {
    return "move[shard=" + shard + ", from=" + fromNode + ", to=" + toNode + "]";
  }
}
