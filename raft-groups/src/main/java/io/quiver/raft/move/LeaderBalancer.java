package io.quiver.raft.move;

import io.quiver.raft.GroupIds;
import io.quiver.raft.NodeAddress;
import io.quiver.raft.RaftException;
import io.quiver.raft.ShardReplicas;
import io.quiver.raft.meta.ClusterState;
import io.quiver.raft.meta.NodeRecord;
import io.quiver.raft.meta.NodeState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.ratis.protocol.RaftGroupId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spreads shard leaderships over the nodes, one transfer per pass. A leader does most of a shard's work (it decodes
 * and appends every write, sends it to each follower, answers the router), so a node that leads most shards becomes
 * the cluster's bottleneck; Raft elections alone leave leaders wherever they landed (after a restart, often on the
 * node that came up first).
 *
 * <p>Each pass asks every shard's leader for its state ({@link GroupOps#leaderInfo}), counts leaderships per UP node
 * that holds replicas, and, when the most and least loaded nodes differ by more than one, hands one leadership from
 * the most to the least loaded node: a shard led by the former with a replica on the latter (lowest shard first),
 * provided the leader sees that replica caught up and the replica answers naming the same leader right before the
 * transfer. A transfer never widens the spread, so passes converge and then do nothing. A leader rejects writes
 * while a transfer is pending, so the receiver is checked first and the transfer gives up after one election timeout.
 * The control agent runs a pass only once no move has been active and no replica-holding node down for
 * {@code downAfter}, and every replica-holding node heartbeated within two heartbeat intervals; at most once per
 * {@code downAfter} (10 s in production).
 */
final class LeaderBalancer {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderBalancer.class);
  /** Entries a receiver's commit index may trail the leader's: the entries in flight on a busy shard. */
  static final long CATCH_UP_SLACK = 4;

  private final ControlContext ctx;

  LeaderBalancer(ControlContext ctx) {
    this.ctx = ctx;
  }

  /** One pass; returns 1 if a leadership was transferred, else 0. */
  int pass(ClusterState s) {
    Map<String, NodeAddress> addresses = MoveExecutor.addresses(s);
    Map<String, List<Integer>> ledShards = new TreeMap<>();
    for (NodeRecord n : s.nodes().values()) {
      if (n.state() == NodeState.UP && !s.shardsOn(n.id()).isEmpty()) {
        ledShards.put(n.id(), new ArrayList<>());
      }
    }
    if (ledShards.size() < 2) {
      return 0;
    }
    Map<Integer, GroupOps.Info> leaders = new TreeMap<>();
    for (ShardReplicas row : s.shards()) {
      GroupOps.Info leader = ctx.ops().leaderInfo(GroupIds.shard(ctx.clusterId(), row.shard()),
          localFirst(row.replicas()), addresses);
      if (leader == null || !row.replicas().contains(leader.nodeId())) {
        return 0; // an election or an unreachable shard: not the moment to move leaders around
      }
      leaders.put(row.shard(), leader);
      List<Integer> led = ledShards.get(leader.nodeId());
      if (led != null) {
        led.add(row.shard());
      }
    }
    String most = null;
    String least = null;
    for (Map.Entry<String, List<Integer>> e : ledShards.entrySet()) {
      if (most == null || e.getValue().size() > ledShards.get(most).size()) {
        most = e.getKey();
      }
      if (least == null || e.getValue().size() < ledShards.get(least).size()) {
        least = e.getKey();
      }
    }
    if (ledShards.get(most).size() - ledShards.get(least).size() <= 1) {
      return 0;
    }
    for (int shard : ledShards.get(most)) {
      if (s.shards().get(shard).replicas().contains(least) && s.activeMove(shard) == null) {
        RaftGroupId gid = GroupIds.shard(ctx.clusterId(), shard);
        if (!caughtUp(leaders.get(shard), least) || !followsLeader(addresses.get(least), gid, most)) {
          return 0; // the receiver lags, does not answer or has lost the leader: try again next pass
        }
        ctx.ops().transferLeadership(gid, List.of(addresses.get(most)), least, transferTimeoutMs());
        LOG.info("leader balance: leadership moved [shard={}, from={} ({} led), to={} ({} led)]", shard, most,
            ledShards.get(most).size(), least, ledShards.get(least).size());
        return 1;
      }
    }
    return 0;
  }

  /** The shard's replicas with this node first: asking it needs no network hop. */
  private List<String> localFirst(List<String> replicas) {
    List<String> ordered = new ArrayList<>(replicas);
    if (ordered.remove(ctx.nodeId())) {
      ordered.add(0, ctx.nodeId());
    }
    return ordered;
  }

  /**
   * Whether the leader, as asked at the start of the pass, sees the receiver's commit index within
   * {@link #CATCH_UP_SLACK} entries of its own. A receiver that lags (a replica a move has just created, still
   * applying its snapshot) would make the transfer wait for it, and the leader rejects writes meanwhile.
   */
  private static boolean caughtUp(GroupOps.Info leader, String receiver) {
    Long commit = leader.peerCommitIndexes().get(receiver);
    return commit != null && commit >= leader.commitIndex() - CATCH_UP_SLACK;
  }

  /** Whether {@code node} answers right now and names {@code leader} as its group's leader. */
  private boolean followsLeader(NodeAddress node, RaftGroupId gid, String leader) {
    try {
      GroupOps.Info info = ctx.ops().info(node, gid);
      return info != null && leader.equals(info.leaderId());
    } catch (RaftException e) {
      return false;
    }
  }

  /**
   * One election timeout: a caught-up replica takes over within one election round. A leader rejects writes while a
   * transfer is pending, so a transfer that cannot succeed must give up soon (moves, which must succeed, wait 3x).
   */
  private long transferTimeoutMs() {
    return ctx.config().timeouts().electionMax().toMillis();
  }
}
