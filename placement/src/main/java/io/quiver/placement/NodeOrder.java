package io.quiver.placement;

import io.quiver.placement.internal.Mix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The bucket to node table behind default replica placement: bucket {@code b} is the node whose join ordinal is
 * {@code b}. Jump hash maps keys onto buckets {@code 0..n-1} over every ordinal ever assigned.
 *
 * <p>A bucket whose node is gone ({@link NodeState#REMOVED}), not accepting replicas, or that was never assigned is
 * a <em>tombstone</em>. A key that lands on a tombstone (or on a node the caller rejects) is re-hashed with a fixed
 * mixer and jumped again, over the same bucket count, until it lands on an acceptable node. Removing node {@code k}
 * therefore moves exactly the keys that were on {@code k}, spread evenly over the remaining nodes; nobody is
 * renumbered. (Plain jump hash could only drop the last bucket; VictoriaMetrics moved to rendezvous hashing over
 * this, the table keeps jump hash's speed and minimal movement.)
 */
public final class NodeOrder {
  private final NodeInfo[] byOrdinal;
  private final List<NodeInfo> nodes;

  private NodeOrder(NodeInfo[] byOrdinal, List<NodeInfo> nodes) {
    this.byOrdinal = byOrdinal;
    this.nodes = nodes;
  }

  /**
   * Builds the table.
   *
   * @throws IllegalArgumentException if two nodes share an id or an ordinal
   */
  public static NodeOrder of(List<NodeInfo> nodes) {
    int max = -1;
    Set<String> ids = new HashSet<>();
    for (NodeInfo n : nodes) {
      if (!ids.add(n.id())) {
        throw new IllegalArgumentException("duplicate node id [id=" + n.id() + "]");
      }
      max = Math.max(max, n.ordinal());
    }
    NodeInfo[] table = new NodeInfo[max + 1];
    for (NodeInfo n : nodes) {
      if (table[n.ordinal()] != null) {
        throw new IllegalArgumentException("duplicate join ordinal [ordinal=" + n.ordinal() + ", ids="
            + table[n.ordinal()].id() + "," + n.id() + "]");
      }
      table[n.ordinal()] = n;
    }
    List<NodeInfo> sorted = new ArrayList<>();
    for (NodeInfo n : table) {
      if (n != null) {
        sorted.add(n);
      }
    }
    return new NodeOrder(table, List.copyOf(sorted));
  }

  /** Number of buckets: the highest join ordinal plus one (tombstones included). */
  public int bucketCount() {
    return byOrdinal.length;
  }

  /** The node of {@code bucket}, or {@code null} if that ordinal was never assigned. */
  public NodeInfo node(int bucket) {
    return byOrdinal[bucket];
  }

  /** Whether {@code bucket} cannot take replicas (never assigned, or its node is not placeable). */
  public boolean isTombstone(int bucket) {
    NodeInfo n = byOrdinal[bucket];
    return n == null || !n.state().placeable();
  }

  /** Every node in join order, tombstoned ones included. */
  public List<NodeInfo> nodes() {
    return nodes;
  }

  /** The ordinal the next joining node gets. */
  public int nextOrdinal() {
    return byOrdinal.length;
  }

  /**
   * The node for {@code key}: jump hash over all buckets, skipping tombstones and nodes {@code accept} rejects by
   * re-hashing the key. After a bounded number of attempts it falls back to scanning buckets upwards from the last
   * jump, so it always terminates.
   *
   * @return a placeable node that {@code accept} accepts, or {@code null} if there is none
   */
  public NodeInfo pick(long key, Predicate<NodeInfo> accept) {
    int buckets = byOrdinal.length;
    if (buckets == 0) {
      return null;
    }
    long k = key;
    int b = 0;
    int attempts = 32 + 4 * buckets;
    for (int i = 0; i < attempts; i++) {
      b = JumpHash.bucket(k, buckets);
      NodeInfo n = byOrdinal[b];
      if (n != null && n.state().placeable() && accept.test(n)) {
        return n;
      }
      k = Mix.next(k);
    }
    for (int i = 0; i < buckets; i++) {
      NodeInfo n = byOrdinal[(b + i) % buckets];
      if (n != null && n.state().placeable() && accept.test(n)) {
        return n;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "NodeOrder" + Arrays.toString(byOrdinal);
  }
}
