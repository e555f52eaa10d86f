package io.quiver.placement;

import io.quiver.placement.internal.Layout;
import io.quiver.placement.internal.LeaderBalancer;
import io.quiver.placement.internal.Mix;
import io.quiver.placement.internal.ReplicaBalancer;
import java.util.List;

/**
 * Default replica placement of a new cluster (or of any shard set computed from scratch).
 *
 * <p>Replica {@code r} of shard {@code s} goes to {@code NodeOrder.pick(replicaKey(s, r))}: jump hash over the node
 * order with the replica number mixed into the key, skipping tombstones, nodes that already hold the shard and nodes
 * whose zone is full under the {@link ZoneRule}. A balancing pass then evens out replica counts per node, and a
 * second pass evens out leader hints (first replica), each to within one where the zones allow it. The result
 * depends only on the arguments.
 */
public final class Placement {
  /** Default replication factor. */
  public static final int DEFAULT_REPLICATION_FACTOR = 3;

  private Placement() {}

  /**
   * The initial shard map.
   *
   * @param shards shard count S, 1..1024
   * @param rf replicas per shard, at least 1
   * @param nodes the cluster's nodes (only {@link NodeState#placeable()} ones receive replicas)
   * @throws IllegalArgumentException if fewer than {@code rf} nodes are placeable, or on bad arguments
   */
  public static PlacementMap initial(int shards, int rf, List<NodeInfo> nodes) {
    new ShardFunction(shards);
    if (rf < 1) {
      throw new IllegalArgumentException("replication factor must be positive [rf=" + rf + "]");
    }
    long placeable = nodes.stream().filter(n -> n.state().placeable()).count();
    if (placeable < rf) {
      throw new IllegalArgumentException("not enough placeable nodes [rf=" + rf + ", placeable=" + placeable + "]");
    }
    NodeOrder order = NodeOrder.of(nodes);
    Layout layout = Layout.empty(shards, nodes, rf);
    for (int s = 0; s < shards; s++) {
      for (int r = 0; r < rf; r++) {
        final int shard = s;
        long key = Mix.replicaKey(s, r);
        NodeInfo n = order.pick(key, c -> layout.canMove(shard, -1, layout.indexOf(c.id())));
        if (n == null) {
          // The zone rule cannot be met for this shard (only possible with very uneven zones): stay distinct.
          n = order.pick(key, c -> !layout.contains(shard, layout.indexOf(c.id())));
        }
        layout.add(s, layout.indexOf(n.id()));
      }
    }
    ReplicaBalancer.balance(layout);
    LeaderBalancer.balance(layout);
    layout.clearMoves();
    return layout.toMap();
  }
}
