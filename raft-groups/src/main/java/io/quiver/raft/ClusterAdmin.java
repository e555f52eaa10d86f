package io.quiver.raft;

import io.quiver.raft.meta.ClusterState;
import io.quiver.raft.meta.MetaCommand;
import io.quiver.raft.meta.MoveKind;
import io.quiver.raft.meta.MoveRecord;
import io.quiver.raft.meta.NodeRecord;
import io.quiver.raft.meta.NodeState;
import io.quiver.raft.move.GroupOps;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * Admin API of the cluster for the web/CLI layer. Every mutation is one command through the metadata group; the
 * work it implies (moves, drains) is done by the control agent on the metadata leader. Futures fail with a
 * {@link RaftException} carrying a stable {@link ErrorCode}: {@code NODE_NOT_FOUND}, {@code NODE_EXISTS},
 * {@code SHARD_NOT_FOUND}, {@code MOVE_NOT_FOUND}, {@code CONFLICT}, {@code NOT_BOOTSTRAPPED},
 * {@code INVALID_REQUEST}, {@code UNAVAILABLE}, {@code TIMEOUT}.
 */
public final class ClusterAdmin {
  private final RaftNode node;

  ClusterAdmin(RaftNode node) {
    this.node = node;
  }

  /** Nodes, shards (replicas, leader, commit/applied indexes, lag per replica) and moves. */
  public CompletableFuture<ClusterStatus> status() {
    return node.readState().thenApplyAsync(this::status, node.adminExecutor());
  }

  /**
   * Moves one replica of {@code shard} from {@code from} to {@code to}; completes with the move id once the move is
   * recorded (it then runs in the background; follow it in {@link #status()}).
   *
   * @param from the replica to give up, or {@code null} to let the system pick the replica on the fullest node
   */
  public CompletableFuture<Long> moveShard(int shard, String from, String to) {
    return node.readState().thenCompose(s -> {
      requireBootstrapped(s);
      if (shard < 0 || shard >= s.shardCount()) {
        throw new RaftException(ErrorCode.SHARD_NOT_FOUND, "no such shard [shard=" + shard + "]");
      }
      if (s.node(to) == null) {
        throw new RaftException(ErrorCode.NODE_NOT_FOUND, "unknown target node [to=" + to + "]");
      }
      String source = from != null ? from : pickSource(s, shard, to);
      return node.submit(new MetaCommand.StartMove(shard, source, to, MoveKind.MANUAL));
    }).thenApply(r -> r.value()).exceptionally(ClusterAdmin::rethrow);
  }

  /** Cancels move {@code moveId} (allowed until the target is promoted); completes once the cancel is recorded. */
  public CompletableFuture<Void> cancelMove(long moveId) {
    return node.submit(new MetaCommand.CancelMove(moveId)).<Void>thenApply(r -> null)
        .exceptionally(ClusterAdmin::rethrow);
  }

  /**
   * Registers a new node (it must be running, with the same cluster id); completes with its join ordinal. The node
   * becomes UP with its first heartbeat, joins the metadata group as a listener, and the rebalancer moves replicas
   * onto it a few at a time.
   */
  public CompletableFuture<Long> join(NodeAddress address, String zone) {
    return node.submit(new MetaCommand.Join(address, zone == null ? "default" : zone, ""))
        .thenApply(r -> r.value()).exceptionally(ClusterAdmin::rethrow);
  }

  /** Starts decommissioning {@code nodeId}: it drains (its replicas move away), then it is removed. */
  public CompletableFuture<Void> decommission(String nodeId) {
    return node.submit(new MetaCommand.SetNodeState(nodeId, NodeState.DRAINING)).<Void>thenApply(r -> null)
        .exceptionally(ClusterAdmin::rethrow);
  }

  /** The routers' view (linearizable). */
  public CompletableFuture<ClusterView> view() {
    return node.clusterView();
  }

  private static <T> T rethrow(Throwable t) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (c instanceof RaftException re) {
      throw re;
    }
    throw new RaftException(ErrorCode.INTERNAL, "admin call failed [cause=" + c + "]", c);
  }

  private static void requireBootstrapped(ClusterState s) {
    if (!s.bootstrapped()) {
      throw new RaftException(ErrorCode.NOT_BOOTSTRAPPED, "cluster not bootstrapped");
    }
  }

  private static String pickSource(ClusterState s, int shard, String to) {
    String best = null;
    int bestCount = -1;
    for (String id : s.shards().get(shard).replicas()) {
      int count = s.shardsOn(id).size();
      if (!id.equals(to) && count > bestCount) {
        best = id;
        bestCount = count;
      }
    }
    if (best == null) {
      throw new RaftException(ErrorCode.CONFLICT, "no replica to move [shard=" + shard + ", to=" + to + "]");
    }
    return best;
  }

  private ClusterStatus status(ClusterState s) {
    requireBootstrapped(s);
    List<CompletableFuture<ClusterStatus.Shard>> shardFutures = new ArrayList<>();
    for (ShardReplicas row : s.shards()) {
      shardFutures.add(CompletableFuture.supplyAsync(() -> shardStatus(s, row), node.statusExecutor()));
    }
    List<ClusterStatus.Shard> shards = shardFutures.stream().map(CompletableFuture::join).toList();
    List<ClusterStatus.Node> nodes = new ArrayList<>();
    for (NodeRecord n : s.nodes().values()) {
      nodes.add(new ClusterStatus.Node(n.address(), n.zone(), n.ordinal(), lower(n.state().name()),
          s.shardsOn(n.id()).size()));
    }
    List<ClusterStatus.MoveInfo> moves = new ArrayList<>();
    for (MoveRecord m : s.moves().values()) {
      moves.add(new ClusterStatus.MoveInfo(m.id(), m.shard(), m.from(), m.to(), lower(m.kind().name()),
          lower(m.state().name()), m.cancelRequested(), m.note()));
    }
    return new ClusterStatus(s.clusterId(), s.clusterUuid(), s.version(), node.metadataLeaderId(),
        node.metadataVoterIds(), nodes, shards, moves);
  }

  private ClusterStatus.Shard shardStatus(ClusterState s, ShardReplicas row) {
    var gid = GroupIds.shard(s.clusterId(), row.shard());
    List<GroupOps.Info> infos = new ArrayList<>();
    List<String> unreachable = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String id : row.replicas()) {
      NodeRecord n = s.node(id);
      try {
        GroupOps.Info info = n == null ? null : node.ops().info(n.address(), gid);
        if (info == null) {
          missing.add(id);
        } else {
          infos.add(info);
        }
      } catch (RaftException e) {
        unreachable.add(id);
      }
    }
    GroupOps.Info leader = infos.stream().filter(i -> "LEADER".equals(i.role())).findFirst().orElse(null);
    long leaderCommit = leader == null ? -1 : leader.commitIndex();
    List<ClusterStatus.Replica> replicas = new ArrayList<>();
    for (String id : row.replicas()) {
      GroupOps.Info info = infos.stream().filter(i -> i.nodeId().equals(id)).findFirst().orElse(null);
      if (info == null) {
        replicas.add(new ClusterStatus.Replica(id, unreachable.contains(id) ? "UNREACHABLE" : "MISSING", -1, -1, -1));
      } else {
        long lag = leaderCommit < 0 || info.appliedIndex() < 0 ? -1 : Math.max(0, leaderCommit - info.appliedIndex());
        replicas.add(new ClusterStatus.Replica(id, info.role(), info.commitIndex(), info.appliedIndex(), lag));
      }
    }
    boolean quorum = leader != null && infos.size() > row.replicas().size() / 2;
    return new ClusterStatus.Shard(row.shard(), row.epoch(), row.replicas(), leader == null ? null : leader.nodeId(),
        leaderCommit, replicas, quorum);
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
