package io.quiver.placement.internal;

import io.quiver.placement.Move;
import io.quiver.placement.NodeInfo;
import io.quiver.placement.NodeState;
import io.quiver.placement.PlacementMap;
import io.quiver.placement.ShardAssignment;
import io.quiver.placement.ZoneRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Mutable working copy of a shard map with per-node and per-zone counters, so the passes can test and apply moves
 * in O(RF). Nodes are indexed in join order; replica ids the node list does not know become synthetic
 * {@link NodeState#REMOVED} nodes (their replicas must move). Single-threaded, short-lived.
 */
public final class Layout {
  private final int rf;
  private final String[] ids;
  private final int[] zoneOf;
  private final NodeState[] states;
  private final Map<String, Integer> indexOf;
  private final int zoneCap;
  private final int[][] replicas;
  private final int[] size;
  private final boolean[] pinned;
  private final int[] count;
  private final int[] leaderCount;
  private final List<Move> moves = new ArrayList<>();
  /** Per shard, the node that received the shard's latest recorded move, or -1 (see {@link #arrived}). */
  private final int[] lastArrival;
  /** For each recorded move, {@code lastArrival[shard]} before it, so {@link #rollback} restores it exactly. */
  private final List<Integer> previousArrival = new ArrayList<>();

  private Layout(List<NodeInfo> nodes, int shards, int rf, ZoneRule rule) {
    this.rf = rf;
    int n = nodes.size();
    ids = new String[n];
    zoneOf = new int[n];
    states = new NodeState[n];
    indexOf = new HashMap<>();
    Map<String, Integer> zoneIndex = new HashMap<>();
    for (int i = 0; i < n; i++) {
      NodeInfo info = nodes.get(i);
      ids[i] = info.id();
      states[i] = info.state();
      zoneOf[i] = zoneIndex.computeIfAbsent(info.zone(), z -> zoneIndex.size());
      if (indexOf.put(info.id(), i) != null) {
        throw new IllegalArgumentException("duplicate node id [id=" + info.id() + "]");
      }
    }
    zoneCap = rule.maxPerZone();
    replicas = new int[shards][];
    size = new int[shards];
    pinned = new boolean[shards];
    count = new int[n];
    leaderCount = new int[n];
    lastArrival = new int[shards];
    Arrays.fill(lastArrival, -1);
    for (int s = 0; s < shards; s++) {
      replicas[s] = new int[rf];
    }
  }

  /** An empty layout of {@code shards} shards over {@code nodes}. */
  public static Layout empty(int shards, List<NodeInfo> nodes, int rf) {
    List<NodeInfo> sorted = new ArrayList<>(nodes);
    sorted.sort(Comparator.comparingInt(NodeInfo::ordinal));
    return new Layout(sorted, shards, rf, ZoneRule.of(nodes, rf));
  }

  /** A layout holding {@code map}; replicas on unknown node ids get synthetic removed nodes. */
  public static Layout of(PlacementMap map, List<NodeInfo> nodes, int rf) {
    List<NodeInfo> all = new ArrayList<>(nodes);
    all.sort(Comparator.comparingInt(NodeInfo::ordinal));
    Map<String, Boolean> known = new HashMap<>();
    nodes.forEach(n -> known.put(n.id(), true));
    int nextOrdinal = all.isEmpty() ? 0 : all.get(all.size() - 1).ordinal() + 1;
    for (ShardAssignment a : map.shards()) {
      for (String id : a.replicas()) {
        if (known.putIfAbsent(id, true) == null) {
          all.add(new NodeInfo(id, "", nextOrdinal++, NodeState.REMOVED));
        }
      }
    }
    Layout l = new Layout(all, map.shardCount(), rf, ZoneRule.of(nodes, rf));
    for (ShardAssignment a : map.shards()) {
      l.pinned[a.shard()] = a.pinned();
      for (String id : a.replicas()) {
        l.append(a.shard(), l.indexOf.get(id));
      }
    }
    return l;
  }

  public int rf() {
    return rf;
  }

  public int nodeCount() {
    return ids.length;
  }

  public int shardCount() {
    return replicas.length;
  }

  public String id(int node) {
    return ids[node];
  }

  public NodeState state(int node) {
    return states[node];
  }

  public boolean placeable(int node) {
    return states[node].placeable();
  }

  public boolean live(int node) {
    return states[node].live();
  }

  public int zone(int node) {
    return zoneOf[node];
  }

  public int zoneCap() {
    return zoneCap;
  }

  /** Node index of {@code id}, or -1. */
  public int indexOf(String id) {
    Integer i = indexOf.get(id);
    return i == null ? -1 : i;
  }

  public int size(int shard) {
    return size[shard];
  }

  public int replica(int shard, int position) {
    return replicas[shard][position];
  }

  public int leader(int shard) {
    return size[shard] == 0 ? -1 : replicas[shard][0];
  }

  public boolean pinned(int shard) {
    return pinned[shard];
  }

  public int count(int node) {
    return count[node];
  }

  public int leaderCount(int node) {
    return leaderCount[node];
  }

  public boolean contains(int shard, int node) {
    return position(shard, node) >= 0;
  }

  /** Live replicas of {@code shard}. */
  public int liveCount(int shard) {
    int live = 0;
    for (int i = 0; i < size[shard]; i++) {
      live += live(replicas[shard][i]) ? 1 : 0;
    }
    return live;
  }

  /** Replicas of {@code shard} in zone {@code zone}. */
  public int zoneLoad(int shard, int zone) {
    int c = 0;
    for (int i = 0; i < size[shard]; i++) {
      c += zoneOf[replicas[shard][i]] == zone ? 1 : 0;
    }
    return c;
  }

  /** Replicas of {@code shard} above the zone cap, summed over zones. */
  public int zoneExcess(int shard) {
    int excess = 0;
    for (int i = 0; i < size[shard]; i++) {
      int z = zoneOf[replicas[shard][i]];
      boolean firstOfZone = true;
      for (int j = 0; j < i; j++) {
        firstOfZone &= zoneOf[replicas[shard][j]] != z;
      }
      if (firstOfZone) {
        excess += Math.max(0, zoneLoad(shard, z) - zoneCap);
      }
    }
    return excess;
  }

  /** Whether replicas in the zone of {@code node} exceed the cap for {@code shard}. */
  public boolean inCrowdedZone(int shard, int node) {
    return zoneLoad(shard, zoneOf[node]) > zoneCap;
  }

  /**
   * Whether moving {@code shard}'s replica from {@code from} ({@code -1}: pure add) to {@code to} keeps the hard
   * rules: target placeable and not yet a replica, source a replica, target zone within the cap afterwards.
   */
  public boolean canMove(int shard, int from, int to) {
    if (to == from || !placeable(to) || contains(shard, to) || (from >= 0 && !contains(shard, from))) {
      return false;
    }
    int load = zoneLoad(shard, zoneOf[to]) - (from >= 0 && zoneOf[from] == zoneOf[to] ? 1 : 0);
    return load + 1 <= zoneCap;
  }

  /** Moves a replica (target takes the source's position) and records the move. */
  public void move(int shard, int from, int to) {
    relocate(shard, from, to);
    record(new Move(shard, ids[from], ids[to]), to);
  }

  /**
   * Whether the replica of {@code shard} on {@code node} was put there by the shard's latest recorded move: moving it
   * again costs nothing once {@link MoveCompactor} folds the two moves into one.
   */
  public boolean arrived(int shard, int node) {
    return lastArrival[shard] == node;
  }

  private void relocate(int shard, int from, int to) {
    int pos = position(shard, from);
    if (pos < 0 || contains(shard, to)) {
      throw new IllegalStateException("invalid move [shard=" + shard + ", from=" + ids[from] + ", to=" + ids[to] + "]");
    }
    replicas[shard][pos] = to;
    count[from]--;
    count[to]++;
    if (pos == 0) {
      leaderCount[from]--;
      leaderCount[to]++;
    }
  }

  private void record(Move move, int arrival) {
    previousArrival.add(lastArrival[move.shard()]);
    lastArrival[move.shard()] = arrival;
    moves.add(move);
  }

  /** Adds a replica at the end and records the move. */
  public void add(int shard, int to) {
    append(shard, to);
    record(new Move(shard, null, ids[to]), to);
  }

  /** Removes a replica (later ones shift forward) and records the move. */
  public void remove(int shard, int from) {
    int pos = position(shard, from);
    if (pos < 0) {
      throw new IllegalStateException("invalid remove [shard=" + shard + ", from=" + ids[from] + "]");
    }
    if (pos == 0) {
      leaderCount[from]--;
    }
    System.arraycopy(replicas[shard], pos + 1, replicas[shard], pos, size[shard] - pos - 1);
    size[shard]--;
    count[from]--;
    if (pos == 0 && size[shard] > 0) {
      leaderCount[replicas[shard][0]]++;
    }
    record(new Move(shard, ids[from], null), -1);
  }

  /** Makes {@code node} (already a replica) the leader hint of {@code shard}; not a move. */
  public void setLeader(int shard, int node) {
    int pos = position(shard, node);
    if (pos < 0) {
      throw new IllegalStateException("not a replica [shard=" + shard + ", node=" + ids[node] + "]");
    }
    if (pos == 0) {
      return;
    }
    int old = replicas[shard][0];
    replicas[shard][pos] = old;
    replicas[shard][0] = node;
    leaderCount[old]--;
    leaderCount[node]++;
  }

  /** Number of moves recorded so far; a mark for {@link #rollback(int)}. */
  public int mark() {
    return moves.size();
  }

  /** Undoes replace-moves recorded after {@code mark} (only replace moves are undone, in reverse order). */
  public void rollback(int mark) {
    while (moves.size() > mark) {
      Move m = moves.remove(moves.size() - 1);
      int previous = previousArrival.remove(previousArrival.size() - 1);
      if (m.fromNode() == null || m.toNode() == null) {
        throw new IllegalStateException("cannot roll back " + m);
      }
      relocate(m.shard(), indexOf(m.toNode()), indexOf(m.fromNode()));
      lastArrival[m.shard()] = previous;
    }
  }

  /** The moves recorded so far, in order. */
  public List<Move> moves() {
    return List.copyOf(moves);
  }

  /** Forgets recorded moves (initial placement keeps only the result). */
  public void clearMoves() {
    moves.clear();
    previousArrival.clear();
    Arrays.fill(lastArrival, -1);
  }

  /** The current layout as an immutable map. */
  public PlacementMap toMap() {
    List<ShardAssignment> out = new ArrayList<>(replicas.length);
    for (int s = 0; s < replicas.length; s++) {
      List<String> r = new ArrayList<>(size[s]);
      for (int i = 0; i < size[s]; i++) {
        r.add(ids[replicas[s][i]]);
      }
      out.add(new ShardAssignment(s, r, pinned[s]));
    }
    return new PlacementMap(out);
  }

  private void append(int shard, int node) {
    if (contains(shard, node)) {
      throw new IllegalStateException("duplicate replica [shard=" + shard + ", node=" + ids[node] + "]");
    }
    if (size[shard] == replicas[shard].length) {
      replicas[shard] = Arrays.copyOf(replicas[shard], size[shard] + 2);
    }
    replicas[shard][size[shard]++] = node;
    count[node]++;
    if (size[shard] == 1) {
      leaderCount[node]++;
    }
  }

  private int position(int shard, int node) {
    for (int i = 0; i < size[shard]; i++) {
      if (replicas[shard][i] == node) {
        return i;
      }
    }
    return -1;
  }
}
