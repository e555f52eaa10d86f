package io.quiver.raft.move;

import io.quiver.raft.GroupIds;
import io.quiver.raft.NodeAddress;
import io.quiver.raft.RaftException;
import io.quiver.raft.RaftPropertiesFactory;
import io.quiver.raft.meta.ClusterState;
import io.quiver.raft.meta.MetaCommand;
import io.quiver.raft.meta.MetaResult;
import io.quiver.raft.meta.MoveRecord;
import io.quiver.raft.meta.MoveState;
import io.quiver.raft.meta.NodeRecord;
import io.quiver.raft.meta.NodeState;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one step of a recorded move (notes §6 recipe). Every step first observes the shard group's actual
 * configuration and only then acts, so re-running a step after any crash is safe:
 *
 * <ol>
 *   <li>PLANNED → ADDING: recorded before anything is touched (so the target's reconcile keeps the new group).
 *   <li>ADDING: (rebuild only: drop the amnesiac replica from the voters first) add the group on the target with an
 *       empty peer list, then COMPARE_AND_SET the target in as a listener (non-voter; staging catches it up).
 *   <li>CATCHING_UP: wait until the target's applied index is within the staging gap of the leader's commit index.
 *   <li>PROMOTING: move leadership off the source if it leads, then one COMPARE_AND_SET: target becomes a voter,
 *       the source leaves. Recording REMOVING bumps the shard's epoch in the shard map.
 *   <li>REMOVING: propose the epoch fence to the shard group, remove the group (and its data) on the source.
 * </ol>
 *
 * A cancel (or a failure before PROMOTING) removes the listener and the target's group, then records CANCELLED or
 * FAILED.
 */
final class MoveExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(MoveExecutor.class);

  private final ControlContext ctx;
  /** Per move: voters a leadership transfer to just failed (in memory only; a new coordinator starts afresh). */
  private final Map<Long, Set<String>> failedHeirs = new java.util.concurrent.ConcurrentHashMap<>();

  MoveExecutor(ControlContext ctx) {
    this.ctx = ctx;
  }

  /** Advances {@code m} by at most one step; returns 1 if something was done. */
  int step(ClusterState s, MoveRecord m) {
    Map<String, NodeAddress> addresses = addresses(s);
    NodeRecord target = s.node(m.to());
    boolean targetGone = target == null || target.state() == NodeState.DOWN || target.state() == NodeState.REMOVED;
    if (m.state().cancellable() && (m.cancelRequested() || (targetGone && m.state() != MoveState.PLANNED))) {
      return rollback(s, m, addresses, m.cancelRequested() ? MoveState.CANCELLED : MoveState.FAILED,
          m.cancelRequested() ? "cancelled by operator" : "target down [to=" + m.to() + "]");
    }
    return switch (m.state()) {
      case PLANNED -> advance(m, MoveState.ADDING, "adding target");
      case ADDING -> adding(s, m, addresses);
      case CATCHING_UP -> catchingUp(s, m, addresses);
      case PROMOTING -> promoting(s, m, addresses);
      case REMOVING -> removing(s, m, addresses);
      case DONE, FAILED, CANCELLED -> 0;
    };
  }

  private int adding(ClusterState s, MoveRecord m, Map<String, NodeAddress> addresses) {
    RaftGroupId gid = gid(m);
    GroupOps.Info leader = ctx.ops().leaderInfo(gid, contactIds(s, m), addresses);
    if (leader == null || leader.conf().changing()) {
      return 0;
    }
    GroupOps.Conf conf = leader.conf();
    NodeAddress to = addresses.get(m.to());
    if (m.rebuild() && conf.voters().contains(m.to())) {
      // The replica lost its log: it must leave the voters before it may come back (it must never vote on an
      // empty log as if it still held its old one).
      List<String> voters = new ArrayList<>(conf.voters());
      voters.remove(m.to());
      cas(gid, leader, conf, voters, conf.listeners(), addresses);
      LOG.info("move: amnesiac replica dropped from voters [moveId={}, shard={}, node={}]", m.id(), m.shard(),
          m.to());
      return 1;
    }
    if (conf.listeners().contains(m.to())) {
      return advance(m, MoveState.CATCHING_UP, "listener added, catching up");
    }
    if (m.rebuild()) {
      ctx.ops().removeGroup(to, gid);
    }
    ctx.ops().addGroup(to, RaftGroup.valueOf(gid));
    List<String> listeners = new ArrayList<>(conf.listeners());
    listeners.add(m.to());
    // Staging: blocks until the listener caught up or the request times out (then the next step re-checks).
    cas(gid, leader, conf, conf.voters(), listeners, addresses);
    LOG.info("move: target added as listener [moveId={}, shard={}, to={}]", m.id(), m.shard(), m.to());
    return advance(m, MoveState.CATCHING_UP, "listener added, catching up");
  }

  private int catchingUp(ClusterState s, MoveRecord m, Map<String, NodeAddress> addresses) {
    RaftGroupId gid = gid(m);
    GroupOps.Info leader = ctx.ops().leaderInfo(gid, contactIds(s, m), addresses);
    if (leader == null) {
      return 0;
    }
    if (!leader.conf().listeners().contains(m.to()) && !leader.conf().voters().contains(m.to())) {
      // Lost (e.g. a staging failure after a leader change): go back to adding through a failure-free path.
      return advance(m, MoveState.FAILED, "listener vanished from configuration");
    }
    GroupOps.Info target = ctx.ops().info(addresses.get(m.to()), gid);
    if (target == null) {
      return 0;
    }
    long gap = RaftPropertiesFactory.STAGING_CATCHUP_GAP;
    if (target.appliedIndex() + gap >= leader.commitIndex()) {
      return advance(m, MoveState.PROMOTING, "caught up [applied=" + target.appliedIndex() + ", leaderCommit="
          + leader.commitIndex() + "]");
    }
    return 0;
  }

  private int promoting(ClusterState s, MoveRecord m, Map<String, NodeAddress> addresses) {
    RaftGroupId gid = gid(m);
    GroupOps.Info leader = ctx.ops().leaderInfo(gid, contactIds(s, m), addresses);
    if (leader == null || leader.conf().changing()) {
      return 0;
    }
    GroupOps.Conf conf = leader.conf();
    List<String> targetVoters = sorted(m.targetVoters());
    if (conf.voters().equals(targetVoters) && !conf.listeners().contains(m.to())) {
      return advance(m, MoveState.REMOVING, "voters changed " + m.expected() + " -> " + targetVoters);
    }
    if (!conf.listeners().contains(m.to()) && !conf.voters().contains(m.to())) {
      return advance(m, MoveState.FAILED, "target no longer in the configuration before promotion");
    }
    if (!m.rebuild() && m.from().equals(leader.nodeId())) {
      // The source leads: hand leadership to a voter that stays, so the CAS below does not orphan the group.
      String heir = leadershipHeir(s, m, leader, targetVoters);
      if (heir == null) {
        return 0; // every staying voter is down or failed a transfer just now: wait for the next pass
      }
      try {
        ctx.ops().transferLeadership(gid, List.of(addresses.get(m.from())), heir, transferTimeoutMs());
      } catch (RaftException e) {
        failedHeirs.computeIfAbsent(m.id(), k -> new LinkedHashSet<>()).add(heir);
        throw e;
      }
      failedHeirs.remove(m.id());
      LOG.info("move: leadership moved off source [moveId={}, shard={}, from={}, to={}]", m.id(), m.shard(),
          m.from(), heir);
      return 1;
    }
    List<String> listeners = new ArrayList<>(conf.listeners());
    listeners.remove(m.to());
    cas(gid, leader, conf, targetVoters, listeners, addresses);
    LOG.info("move: target promoted [moveId={}, shard={}, voters={}]", m.id(), m.shard(), targetVoters);
    return advance(m, MoveState.REMOVING, "voters changed " + m.expected() + " -> " + targetVoters);
  }

  /**
   * The voter that should take over leadership from the move's source: one that stays, is not known down, and has
   * not just failed a transfer for this move; among those the one the leader reports furthest ahead (a dead peer's
   * commit index stops advancing). Candidates that failed are tried again once every candidate has failed.
   */
  private String leadershipHeir(ClusterState s, MoveRecord m, GroupOps.Info leader, List<String> targetVoters) {
    Set<String> failed = failedHeirs.getOrDefault(m.id(), Set.of());
    List<String> live = new ArrayList<>();
    for (String v : leader.conf().voters()) {
      NodeRecord n = s.node(v);
      if (!v.equals(m.from()) && targetVoters.contains(v) && n != null && n.state() != NodeState.DOWN
          && n.state() != NodeState.REMOVED) {
        live.add(v);
      }
    }
    if (!live.isEmpty() && failed.containsAll(live)) {
      failedHeirs.remove(m.id());
      failed = Set.of();
    }
    Set<String> skip = failed;
    return live.stream()
        .filter(v -> !skip.contains(v))
        .max(java.util.Comparator.<String>comparingLong(v -> leader.peerCommitIndexes().getOrDefault(v, -1L))
            .thenComparing(java.util.Comparator.<String>reverseOrder()))
        .orElse(null);
  }

  private int removing(ClusterState s, MoveRecord m, Map<String, NodeAddress> addresses) {
    var row = s.shards().get(m.shard());
    List<NodeAddress> replicas = row.replicas().stream().map(addresses::get).toList();
    ctx.fenceShard(m.shard(), row.epoch(), replicas);
    if (!m.rebuild()) {
      NodeRecord source = s.node(m.from());
      boolean reachable = source != null && source.state() != NodeState.DOWN && source.state() != NodeState.REMOVED;
      if (reachable) {
        ctx.ops().removeGroup(source.address(), gid(m));
      }
      // An unreachable source removes the group itself when it returns (reconcile against the shard map).
    }
    LOG.info("move: done [moveId={}, shard={}, from={}, to={}, epoch={}]", m.id(), m.shard(), m.from(), m.to(),
        row.epoch());
    return advance(m, MoveState.DONE, "source removed");
  }

  private int rollback(ClusterState s, MoveRecord m, Map<String, NodeAddress> addresses, MoveState end,
      String why) {
    RaftGroupId gid = gid(m);
    if (m.state() != MoveState.PLANNED) {
      GroupOps.Info leader = ctx.ops().leaderInfo(gid, contactIds(s, m), addresses);
      if (leader == null || leader.conf().changing()) {
        return 0;
      }
      GroupOps.Conf conf = leader.conf();
      if (conf.listeners().contains(m.to())) {
        List<String> listeners = new ArrayList<>(conf.listeners());
        listeners.remove(m.to());
        cas(gid, leader, conf, conf.voters(), listeners, addresses);
      }
      NodeRecord target = s.node(m.to());
      if (!m.rebuild() && target != null && target.state() != NodeState.DOWN
          && target.state() != NodeState.REMOVED && !conf.voters().contains(m.to())) {
        ctx.ops().removeGroup(target.address(), gid);
      }
    }
    LOG.info("move: rolled back [moveId={}, shard={}, end={}, why={}]", m.id(), m.shard(), end, why);
    return advance(m, end, why);
  }

  private int advance(MoveRecord m, MoveState next, String note) {
    if (next.terminal()) {
      failedHeirs.remove(m.id());
    }
    MetaResult r = ctx.submit(new MetaCommand.AdvanceMove(m.id(), m.state(), next, note));
    if (!r.ok()) {
      LOG.info("move: transition rejected [moveId={}, from={}, to={}, reason={}]", m.id(), m.state(), next,
          r.message());
    }
    return 1;
  }

  /**
   * COMPARE_AND_SET through the leader just observed ({@code leader}), with the current voters as fallback contacts
   * in case leadership moved meanwhile (a contact without the group, e.g. an amnesiac voter, is skipped).
   */
  private void cas(RaftGroupId gid, GroupOps.Info leader, GroupOps.Conf current, List<String> voters,
      List<String> listeners, Map<String, NodeAddress> addresses) {
    List<NodeAddress> contact = new ArrayList<>();
    Set<String> ids = new LinkedHashSet<>();
    ids.add(leader.nodeId());
    ids.addAll(current.voters());
    for (String id : ids) {
      if (addresses.containsKey(id)) {
        contact.add(addresses.get(id));
      }
    }
    ctx.ops().compareAndSetConf(gid, contact, leader.nodeId(), current, voters.stream().map(addresses::get).toList(),
        listeners.stream().map(addresses::get).toList(), addresses);
  }

  private static List<String> contactIds(ClusterState s, MoveRecord m) {
    Set<String> ids = new LinkedHashSet<>(s.shards().get(m.shard()).replicas());
    ids.addAll(m.expected());
    ids.add(m.to());
    List<String> out = new ArrayList<>();
    for (String id : ids) {
      NodeRecord n = s.node(id);
      if (n != null && n.state() != NodeState.DOWN && n.state() != NodeState.REMOVED) {
        out.add(id);
      }
    }
    return out;
  }

  private RaftGroupId gid(MoveRecord m) {
    return GroupIds.shard(ctx.clusterId(), m.shard());
  }

  private long transferTimeoutMs() {
    return ctx.config().timeouts().electionMax().toMillis() * 3;
  }

  static Map<String, NodeAddress> addresses(ClusterState s) {
    Map<String, NodeAddress> out = new TreeMap<>();
    for (NodeRecord n : s.nodes().values()) {
      out.put(n.id(), n.address());
    }
    return out;
  }

  private static List<String> sorted(List<String> ids) {
    List<String> out = new ArrayList<>(ids);
    out.sort(null);
    return List.copyOf(out);
  }
}
