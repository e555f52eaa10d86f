package io.quiver.raft.move;

import io.quiver.raft.NodeAddress;
import io.quiver.raft.RaftException;
import io.quiver.raft.ShardReplicas;
import io.quiver.raft.meta.ClusterState;
import io.quiver.raft.meta.MetaCommand;
import io.quiver.raft.meta.MetaResult;
import io.quiver.raft.meta.MetadataStateMachine;
import io.quiver.raft.meta.MoveKind;
import io.quiver.raft.meta.MoveRecord;
import io.quiver.raft.meta.NodeRecord;
import io.quiver.raft.meta.NodeState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.ratis.protocol.RaftGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's duty cycle ({@code int doWork(long nowNanos)}, STYLE §6). Does nothing unless this node leads
 * the metadata group; on the leader, each call:
 *
 * <ol>
 *   <li>liveness: nodes whose heartbeats reach this leader become UP (adopting or changing their incarnation); nodes
 *       silent for {@code downAfter} become DOWN (never earlier than {@code downAfter} after this node became leader,
 *       since heartbeats went to the old leader before);
 *   <li>metadata membership: every live node is a metadata listener; listeners are promoted until the group has
 *       3 (or 5) voters; removed nodes leave it;
 *   <li>advances every active move by one step ({@link MoveExecutor});
 *   <li>plans new moves (rebuilds of amnesiac replicas, replacements of long-DOWN nodes, drains, rebalancing),
 *       at most {@link #MOVES_PER_NODE} active move per node and {@link #MAX_ACTIVE_MOVES} overall;
 *   <li>when no move has been active and no replica-holding node down for {@code downAfter}, at most once per
 *       {@code downAfter}: moves one shard leadership from the node leading most shards to the one leading fewest
 *       ({@link LeaderBalancer}).
 * </ol>
 */
public final class ControlAgent {
  private static final Logger LOG = LoggerFactory.getLogger(ControlAgent.class);

  /** Active moves a node may take part in (as source or target) at once. */
  public static final int MOVES_PER_NODE = 1;

  /** Active moves in the whole cluster. */
  public static final int MAX_ACTIVE_MOVES = 4;

  private final ControlContext ctx;
  private final ReplicaPlanner planner;
  private final MoveExecutor executor;
  private final LeaderBalancer leaders;
  private final Map<String, Long> downSinceNanos = new HashMap<>();
  private final Set<String> metaProbe = new HashSet<>();
  private static final long PROBE_INTERVAL_NANOS = 5_000_000_000L;

  private boolean leader;
  private long lastProbeNanos;
  private long leaderSinceNanos;
  private long lastLeaderBalanceNanos;
  private long lastUnsettledNanos;

  /** @param ctx the node; @param planner placement proposals */
  public ControlAgent(ControlContext ctx, ReplicaPlanner planner) {
    this.ctx = ctx;
    this.planner = planner;
    this.executor = new MoveExecutor(ctx);
    this.leaders = new LeaderBalancer(ctx);
  }

  /** The placement planner. */
  public ReplicaPlanner planner() {
    return planner;
  }

  /** One duty cycle; returns the amount of work done (0 = idle). */
  public synchronized int doWork(long nowNanos) {
    MetadataStateMachine sm = ctx.metadataStateMachine();
    if (sm == null || !ctx.isMetadataLeader()) {
      leader = false;
      return 0;
    }
    if (!leader) {
      leader = true;
      leaderSinceNanos = nowNanos;
      lastProbeNanos = nowNanos;
      lastLeaderBalanceNanos = nowNanos;
      lastUnsettledNanos = nowNanos;
      downSinceNanos.clear();
      metaProbe.clear();
      metaProbe.addAll(sm.state().nodes().keySet());
      LOG.info("control agent active on metadata leader [node={}]", ctx.nodeId());
    }
    ClusterState s = sm.state();
    if (!s.bootstrapped()) {
      return 0;
    }
    int work = 0;
    work += guarded("liveness", () -> liveness(sm, nowNanos));
    work += guarded("membership", () -> membership(sm.state()));
    for (MoveRecord m : sm.state().activeMoves()) {
      work += guarded("move " + m.id(), () -> executor.step(sm.state(), m));
    }
    work += guarded("plan", () -> plan(sm.state(), nowNanos));
    work += guarded("leader balance", () -> balanceLeaders(sm, nowNanos));
    return work;
  }

  private interface Work {
    int run();
  }

  private int guarded(String what, Work w) {
    try {
      return w.run();
    } catch (RaftException e) {
      LOG.info("control step failed, will retry [step={}, code={}, cause={}]", what, e.code().id(), e.getMessage());
      return 0;
    } catch (RuntimeException e) {
      LOG.warn("control step failed unexpectedly, will retry [step={}]", what, e);
      return 0;
    }
  }

  // ------------------------------------------------------------------------------------------------ liveness

  private int liveness(MetadataStateMachine sm, long now) {
    ClusterState s = sm.state();
    Map<String, MetadataStateMachine.Heartbeat> hbs = sm.heartbeats();
    long downAfter = ctx.config().timeouts().downAfter().toNanos();
    int work = 0;
    for (NodeRecord n : s.nodes().values()) {
      if (n.state() == NodeState.REMOVED) {
        continue;
      }
      MetadataStateMachine.Heartbeat hb = hbs.get(n.id());
      boolean alive = hb != null && now - hb.receivedNanos() < downAfter;
      if (alive) {
        downSinceNanos.remove(n.id());
        if (!hb.incarnation().equals(n.incarnation())) {
          if (!n.incarnation().isEmpty()) {
            LOG.warn("node lost its data (new incarnation); its replicas will be rebuilt [node={}, old={}, new={}]",
                n.id(), n.incarnation(), hb.incarnation());
            metaProbe.add(n.id());
          }
          submit(new MetaCommand.SetIncarnation(n.id(), hb.incarnation()));
          work++;
        } else if (n.state() == NodeState.JOINING || n.state() == NodeState.DOWN) {
          submit(new MetaCommand.SetNodeState(n.id(), NodeState.UP));
          work++;
        }
      } else if (now - leaderSinceNanos > downAfter) {
        if (n.state() == NodeState.UP || n.state() == NodeState.JOINING || n.state() == NodeState.DRAINING) {
          LOG.warn("node down [node={}, silentMs={}]", n.id(),
              hb == null ? -1 : (now - hb.receivedNanos()) / 1_000_000);
          submit(new MetaCommand.SetNodeState(n.id(), NodeState.DOWN));
          work++;
        }
        if (n.state() == NodeState.DOWN) {
          downSinceNanos.putIfAbsent(n.id(), now);
        }
      }
    }
    return work;
  }

  // ------------------------------------------------------------------------------------------------ membership

  private int membership(ClusterState s) {
    if (ctx.metadataConfChanging()) {
      return 0;
    }
    List<String> voters = ctx.metadataVoters();
    List<String> listeners = ctx.metadataListeners();
    Map<String, NodeAddress> addresses = MoveExecutor.addresses(s);
    long now = System.nanoTime();
    if (now - lastProbeNanos > PROBE_INTERVAL_NANOS) {
      // Periodically check that every member still hosts the metadata group (a wiped node does not).
      lastProbeNanos = now;
      metaProbe.addAll(union(voters, listeners));
    }
    for (String id : List.copyOf(metaProbe)) {
      NodeRecord n = s.node(id);
      if (n == null || id.equals(ctx.nodeId()) || (!voters.contains(id) && !listeners.contains(id))) {
        metaProbe.remove(id);
        continue;
      }
      if (!live(n)) {
        continue; // probe again once it heartbeats
      }
      GroupOps.Info info;
      try {
        info = ctx.ops().info(n.address(), ctx.metadataGroupId());
      } catch (RaftException e) {
        LOG.info("metadata membership probe failed, will retry [node={}, cause={}]", id, e.getMessage());
        continue;
      }
      metaProbe.remove(id);
      if (info == null) {
        // A node that lost its data must leave the metadata configuration before it may rejoin it.
        LOG.warn("metadata replica lost; removing it from the configuration [node={}]", id);
        List<String> v = new ArrayList<>(voters);
        List<String> l = new ArrayList<>(listeners);
        v.remove(id);
        l.remove(id);
        if (!v.isEmpty()) {
          metaCas(voters, listeners, v, l, addresses);
          return 1;
        }
      }
    }
    for (String id : union(voters, listeners)) {
      NodeRecord n = s.node(id);
      if (n != null && n.state() == NodeState.REMOVED && !id.equals(ctx.nodeId())) {
        List<String> v = new ArrayList<>(voters);
        List<String> l = new ArrayList<>(listeners);
        v.remove(id);
        l.remove(id);
        if (!v.isEmpty()) {
          metaCas(voters, listeners, v, l, addresses);
          LOG.info("removed node left the metadata group [node={}]", id);
          return 1;
        }
      }
    }
    for (NodeRecord n : s.nodes().values()) {
      if (live(n) && n.state() == NodeState.UP && !voters.contains(n.id()) && !listeners.contains(n.id())) {
        ctx.ops().addGroup(n.address(), RaftGroup.valueOf(ctx.metadataGroupId()));
        List<String> l = new ArrayList<>(listeners);
        l.add(n.id());
        metaCas(voters, listeners, voters, l, addresses);
        LOG.info("node added to the metadata group as listener [node={}]", n.id());
        return 1;
      }
    }
    int eligible = (int) s.nodes().values().stream().filter(n -> n.state() == NodeState.UP).count();
    int want = eligible >= 5 ? 5 : eligible >= 3 ? 3 : eligible;
    if (voters.size() < want) {
      for (String id : listeners) {
        NodeRecord n = s.node(id);
        if (n != null && n.state() == NodeState.UP && live(n)) {
          List<String> v = new ArrayList<>(voters);
          v.add(id);
          List<String> l = new ArrayList<>(listeners);
          l.remove(id);
          metaCas(voters, listeners, v, l, addresses);
          LOG.info("metadata listener promoted to voter [node={}, voters={}]", id, v);
          return 1;
        }
      }
    }
    return 0;
  }

  private boolean live(NodeRecord n) {
    MetadataStateMachine sm = ctx.metadataStateMachine();
    MetadataStateMachine.Heartbeat hb = sm == null ? null : sm.heartbeats().get(n.id());
    return hb != null && hb.incarnation().equals(n.incarnation())
        && System.nanoTime() - hb.receivedNanos() < ctx.config().timeouts().downAfter().toNanos();
  }

  private void metaCas(List<String> voters, List<String> listeners, List<String> newVoters,
      List<String> newListeners, Map<String, NodeAddress> addresses) {
    List<NodeAddress> contact = voters.stream().map(addresses::get).filter(a -> a != null).toList();
    // The agent runs on the metadata leader: send the change to this node first.
    GroupOps.Conf current = new GroupOps.Conf(voters, listeners, false);
    ctx.ops().compareAndSetConf(ctx.metadataGroupId(), contact, ctx.nodeId(), current,
        newVoters.stream().map(addresses::get).toList(), newListeners.stream().map(addresses::get).toList(),
        addresses);
  }

  private static List<String> union(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  // ------------------------------------------------------------------------------------------------ planning

  private int plan(ClusterState s, long now) {
    int work = 0;
    Map<String, Integer> busy = busyNodes(s);
    int active = s.activeMoves().size();
    // 1. Rebuild replicas lost with a node's data (source == target, re-seeded by snapshot).
    for (NodeRecord n : s.nodes().values()) {
      if (n.state() != NodeState.UP || !live(n)) {
        continue;
      }
      for (int shard : n.rebuildShards()) {
        if (active >= MAX_ACTIVE_MOVES || !free(busy, n.id())) {
          break;
        }
        if (s.activeMove(shard) == null && s.shards().get(shard).replicas().contains(n.id())) {
          if (start(shard, n.id(), n.id(), MoveKind.REBUILD)) {
            active++;
            busy.merge(n.id(), 1, Integer::sum);
            work++;
          }
        }
      }
    }
    // 2. Re-create the replicas of nodes DOWN for longer than replaceAfter.
    long replaceAfter = ctx.config().timeouts().replaceAfter().toNanos();
    for (NodeRecord n : s.nodes().values()) {
      Long since = downSinceNanos.get(n.id());
      if (n.state() != NodeState.DOWN || since == null || now - since < replaceAfter) {
        continue;
      }
      for (int shard : s.shardsOn(n.id())) {
        if (active >= MAX_ACTIVE_MOVES || s.activeMove(shard) != null) {
          continue;
        }
        String to = emptiestFree(s, s.shards().get(shard), busy);
        if (to != null && start(shard, n.id(), to, MoveKind.REPLACE)) {
          active++;
          busy.merge(to, 1, Integer::sum);
          work++;
        }
      }
    }
    // 3. Decommission finished: a draining node without replicas or moves is removed.
    for (NodeRecord n : s.nodes().values()) {
      if (n.state() == NodeState.DRAINING && s.shardsOn(n.id()).isEmpty() && !busy.containsKey(n.id())) {
        submit(new MetaCommand.SetNodeState(n.id(), NodeState.REMOVED));
        LOG.info("node decommissioned [node={}]", n.id());
        work++;
      }
    }
    // 4. Drain and rebalance.
    if (hasDownNodes(s)) {
      return work; // do not shuffle replicas while a node is down: its replicas are the priority
    }
    for (ReplicaPlanner.Step step : planner.plan(s)) {
      if (active >= MAX_ACTIVE_MOVES) {
        break;
      }
      if (s.activeMove(step.shard()) != null || !free(busy, step.from()) || !free(busy, step.to())) {
        continue;
      }
      NodeRecord from = s.node(step.from());
      MoveKind kind = from != null && from.state() == NodeState.DRAINING ? MoveKind.DRAIN : MoveKind.REBALANCE;
      if (start(step.shard(), step.from(), step.to(), kind)) {
        active++;
        busy.merge(step.from(), 1, Integer::sum);
        busy.merge(step.to(), 1, Integer::sum);
        work++;
      }
    }
    return work;
  }

  private boolean start(int shard, String from, String to, MoveKind kind) {
    MetaResult r = submit(new MetaCommand.StartMove(shard, from, to, kind));
    if (r.ok()) {
      LOG.info("move planned [moveId={}, shard={}, from={}, to={}, kind={}]", r.value(), shard, from, to, kind);
    }
    return r.ok();
  }

  private int balanceLeaders(MetadataStateMachine sm, long now) {
    ClusterState s = sm.state();
    long quiet = ctx.config().timeouts().downAfter().toNanos();
    if (!s.activeMoves().isEmpty() || hasDownNodes(s)) {
      lastUnsettledNanos = now; // new replicas catch up and settle for a while after the last move
      return 0;
    }
    if (now - lastUnsettledNanos < quiet || now - lastLeaderBalanceNanos < quiet) {
      return 0;
    }
    // Every node holding replicas must have been heard from within two heartbeats. A node that died moments ago is
    // still UP until downAfter passes; a transfer to it would stall its shard's writes for the transfer timeout
    // (a leader rejects writes while it hands over).
    long fresh = 2 * ctx.config().timeouts().heartbeatInterval().toNanos();
    Map<String, MetadataStateMachine.Heartbeat> hbs = sm.heartbeats();
    for (NodeRecord n : s.nodes().values()) {
      MetadataStateMachine.Heartbeat hb = hbs.get(n.id());
      if (!s.shardsOn(n.id()).isEmpty() && (hb == null || now - hb.receivedNanos() > fresh)) {
        return 0;
      }
    }
    lastLeaderBalanceNanos = now;
    return leaders.pass(s);
  }

  private static boolean hasDownNodes(ClusterState s) {
    return s.nodes().values().stream().anyMatch(n -> n.state() == NodeState.DOWN && !s.shardsOn(n.id()).isEmpty());
  }

  private static Map<String, Integer> busyNodes(ClusterState s) {
    Map<String, Integer> busy = new HashMap<>();
    for (MoveRecord m : s.activeMoves()) {
      busy.merge(m.from(), 1, Integer::sum);
      if (!m.to().equals(m.from())) {
        busy.merge(m.to(), 1, Integer::sum);
      }
    }
    return busy;
  }

  private static boolean free(Map<String, Integer> busy, String node) {
    return busy.getOrDefault(node, 0) < MOVES_PER_NODE;
  }

  private String emptiestFree(ClusterState s, ShardReplicas row, Map<String, Integer> busy) {
    String best = null;
    int bestCount = Integer.MAX_VALUE;
    for (NodeRecord n : s.nodes().values()) {
      if (n.state() != NodeState.UP || row.replicas().contains(n.id()) || !free(busy, n.id()) || !live(n)) {
        continue;
      }
      int count = s.shardsOn(n.id()).size();
      if (count < bestCount) {
        best = n.id();
        bestCount = count;
      }
    }
    return best;
  }

  private MetaResult submit(MetaCommand c) {
    MetaResult r = ctx.submit(c);
    if (!r.ok()) {
      LOG.debug("metadata command rejected [command={}, code={}, reason={}]", c.getClass().getSimpleName(),
          r.code().id(), r.message());
    }
    return r;
  }
}
