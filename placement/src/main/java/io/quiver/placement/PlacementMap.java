package io.quiver.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A shard map as placement sees it: shard {@code i} at index {@code i}. The authoritative copy, with epochs, lives in
 * the metadata group; this is the input and output of placement.
 *
 * @param shards one assignment per shard, in shard order
 */
public record PlacementMap(List<ShardAssignment> shards) {
  /** Copies and checks that shard {@code i} is at index {@code i}. */
  public PlacementMap {
    shards = List.copyOf(shards);
    for (int i = 0; i < shards.size(); i++) {
      if (shards.get(i).shard() != i) {
        throw new IllegalArgumentException("shard map out of order [row=" + i + ", shard=" + shards.get(i).shard()
            + "]");
      }
    }
  }

  /** Number of shards. */
  public int shardCount() {
    return shards.size();
  }

  /** The assignment of shard {@code shard}. */
  public ShardAssignment shard(int shard) {
    return shards.get(shard);
  }

  /** Replicas per node id, sorted by id; nodes without replicas are absent. */
  public Map<String, Integer> replicaCounts() {
    Map<String, Integer> counts = new TreeMap<>();
    for (ShardAssignment a : shards) {
      for (String id : a.replicas()) {
        counts.merge(id, 1, Integer::sum);
      }
    }
    return counts;
  }

  /** Leader hints per node id, sorted by id; nodes leading nothing are absent. */
  public Map<String, Integer> leaderCounts() {
    Map<String, Integer> counts = new TreeMap<>();
    for (ShardAssignment a : shards) {
      if (a.leader() != null) {
        counts.merge(a.leader(), 1, Integer::sum);
      }
    }
    return counts;
  }

  /**
   * The map after {@code move}: the target takes the source's position in the replica list (so it inherits a
   * leader hint), an add appends, a remove deletes.
   *
   * @throws IllegalArgumentException if the source holds no replica or the target already holds one
   */
  public PlacementMap apply(Move move) {
    ShardAssignment a = shards.get(move.shard());
    List<String> replicas = new ArrayList<>(a.replicas());
    if (move.toNode() != null && replicas.contains(move.toNode())) {
      throw new IllegalArgumentException("target already holds the shard [" + move + "]");
    }
    if (move.fromNode() == null) {
      replicas.add(move.toNode());
    } else {
      int pos = replicas.indexOf(move.fromNode());
      if (pos < 0) {
        throw new IllegalArgumentException("source does not hold the shard [" + move + "]");
      }
      if (move.toNode() == null) {
        replicas.remove(pos);
      } else {
        replicas.set(pos, move.toNode());
      }
    }
    List<ShardAssignment> copy = new ArrayList<>(shards);
    copy.set(move.shard(), new ShardAssignment(a.shard(), replicas, a.pinned()));
    return new PlacementMap(copy);
  }

  /** The map after all {@code moves} in order. */
  public PlacementMap applyAll(List<Move> moves) {
    PlacementMap m = this;
    for (Move move : moves) {
      m = m.apply(move);
    }
    return m;
  }
}
