package io.quiver.raft.move;

import io.quiver.raft.ShardReplicas;
import io.quiver.raft.meta.ClusterState;
import io.quiver.raft.meta.NodeRecord;
import io.quiver.raft.meta.NodeState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Deterministic count-balancing planner: replica counts per UP node end within ±1, zones spread when possible.
 * Used until (and as a fallback for) the placement module's jump-hash placement.
 */
public final class BalancedPlanner implements ReplicaPlanner {

  @Override
  public List<List<String>> initial(int shards, int rf, List<Member> members) {
    List<Member> order = new ArrayList<>(members);
    order.sort(Comparator.comparingLong(Member::ordinal));
    Map<String, Integer> counts = new HashMap<>();
    order.forEach(m -> counts.put(m.id(), 0));
    List<List<String>> out = new ArrayList<>();
    for (int s = 0; s < shards; s++) {
      List<String> replicas = new ArrayList<>();
      Set<String> zones = new HashSet<>();
      for (int r = 0; r < rf; r++) {
        Member best = null;
        for (int k = 0; k < order.size(); k++) {
          // Rotate the start so ties spread leaders (first replica) over nodes.
          Member m = order.get((s + k) % order.size());
          if (replicas.contains(m.id())) {
            continue;
          }
          if (best == null || better(m, best, counts, zones)) {
            best = m;
          }
        }
        replicas.add(best.id());
        zones.add(best.zone());
        counts.merge(best.id(), 1, Integer::sum);
      }
      out.add(List.copyOf(replicas));
    }
    return out;
  }

  private static boolean better(Member a, Member b, Map<String, Integer> counts, Set<String> zones) {
    boolean aNewZone = !zones.contains(a.zone());
    boolean bNewZone = !zones.contains(b.zone());
    if (aNewZone != bNewZone) {
      return aNewZone;
    }
    return counts.get(a.id()) < counts.get(b.id());
  }

  @Override
  public List<Step> plan(ClusterState state) {
    Map<String, Integer> counts = new TreeMap<>();
    List<String> receivers = new ArrayList<>();
    for (NodeRecord n : state.nodes().values()) {
      if (n.state() == NodeState.UP) {
        counts.put(n.id(), 0);
        receivers.add(n.id());
      }
    }
    for (ShardReplicas r : state.shards()) {
      for (String id : r.replicas()) {
        counts.merge(id, 1, Integer::sum);
      }
    }
    List<Step> steps = new ArrayList<>();
    Set<Integer> busy = new HashSet<>();
    for (var m : state.activeMoves()) {
      busy.add(m.shard());
    }
    if (receivers.isEmpty()) {
      return steps;
    }
    // 1. Drain: replicas on DRAINING nodes go to the emptiest UP node not yet holding the shard.
    for (ShardReplicas r : state.shards()) {
      if (busy.contains(r.shard())) {
        continue;
      }
      for (String id : r.replicas()) {
        NodeRecord n = state.node(id);
        if (n != null && n.state() == NodeState.DRAINING) {
          String to = emptiest(receivers, counts, r.replicas());
          if (to != null) {
            steps.add(new Step(r.shard(), id, to));
            counts.merge(to, 1, Integer::sum);
            counts.merge(id, -1, Integer::sum);
            busy.add(r.shard());
            break;
          }
        }
      }
    }
    // 2. Balance UP nodes: fullest gives to emptiest while the difference exceeds one.
    for (int guard = 0; guard < state.shardCount() * 4; guard++) {
      String full = null;
      String empty = null;
      for (String id : receivers) {
        if (full == null || counts.get(id) > counts.get(full)) {
          full = id;
        }
        if (empty == null || counts.get(id) < counts.get(empty)) {
          empty = id;
        }
      }
      if (counts.get(full) - counts.get(empty) <= 1) {
        break;
      }
      Step step = null;
      for (ShardReplicas r : state.shards()) {
        if (!busy.contains(r.shard()) && !state.pinned(r.shard()) && r.replicas().contains(full)
            && !r.replicas().contains(empty)) {
          step = new Step(r.shard(), full, empty);
          break;
        }
      }
      if (step == null) {
        break;
      }
      steps.add(step);
      busy.add(step.shard());
      counts.merge(full, -1, Integer::sum);
      counts.merge(empty, 1, Integer::sum);
    }
    return steps;
  }

  private static String emptiest(List<String> receivers, Map<String, Integer> counts, List<String> exclude) {
    String best = null;
    for (String id : receivers) {
      if (!exclude.contains(id) && (best == null || counts.get(id) < counts.get(best))) {
        best = id;
      }
    }
    return best;
  }
}
