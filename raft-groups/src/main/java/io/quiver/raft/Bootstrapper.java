package io.quiver.raft;

import io.quiver.raft.meta.ClusterState;
import io.quiver.raft.meta.MetaClient;
import io.quiver.raft.meta.MetaCommand;
import io.quiver.raft.meta.MetaResult;
import io.quiver.raft.move.GroupOps;
import io.quiver.raft.move.ReplicaPlanner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a cluster (runs on the admin thread of the node asked to bootstrap). Every step is idempotent: group adds
 * tolerate "already exists", and a second Bootstrap command is rejected, after which the recorded placement is used.
 */
final class Bootstrapper {
  private static final Logger LOG = LoggerFactory.getLogger(Bootstrapper.class);
  private static final long DEADLINE_MS = 60_000;

  private final RaftNode node;
  private final BootstrapRequest request;
  private final ReplicaPlanner planner;

  Bootstrapper(RaftNode node, BootstrapRequest request, ReplicaPlanner planner) {
    this.node = node;
    this.request = request;
    this.planner = planner;
  }

  ClusterView run() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
    List<NodeAddress> voters = request.metadataVoters().stream().map(ClusterMember::address).toList();
    List<RaftPeer> peers = voters.stream().map(GroupOps::peer).toList();
    RaftGroup metaGroup = RaftGroup.valueOf(node.metadataGroupId(), peers);
    for (NodeAddress v : voters) {
      retry(deadline, "add metadata group on " + v.nodeId(), () -> node.addLocalOrRemote(v, metaGroup));
    }
    LOG.info("metadata group formed [group={}, voters={}]", node.metadataGroupId(),
        voters.stream().map(NodeAddress::nodeId).toList());
    ClusterState state;
    try (MetaClient client = node.newMetaClient(voters, 30)) {
      MetaResult result = retry(deadline, "bootstrap command", () -> client.submit(bootstrapCommand())
          .get(30, TimeUnit.SECONDS));
      if (!result.ok() && result.code() != ErrorCode.ALREADY_BOOTSTRAPPED) {
        throw new RaftException(result.code(), result.message());
      }
      state = retry(deadline, "read state", () -> client.read().get(30, TimeUnit.SECONDS));
    }
    createShardGroups(state, deadline);
    LOG.info("cluster bootstrapped [clusterId={}, clusterUuid={}, shards={}, rf={}, nodes={}]", state.clusterId(),
        state.clusterUuid(), state.shardCount(), state.replicationFactor(), state.nodes().keySet());
    return state.toView();
  }

  private MetaCommand.Bootstrap bootstrapCommand() {
    List<ReplicaPlanner.Member> members = new ArrayList<>();
    List<MetaCommand.NodeSpec> specs = new ArrayList<>();
    for (int i = 0; i < request.members().size(); i++) {
      ClusterMember m = request.members().get(i);
      members.add(new ReplicaPlanner.Member(m.address().nodeId(), m.zone(), i));
      String incarnation = m.address().nodeId().equals(node.nodeId()) ? node.incarnation() : "";
      specs.add(new MetaCommand.NodeSpec(m.address(), m.zone(), incarnation));
    }
    List<List<String>> replicas = planner.initial(request.shardCount(), request.replicationFactor(), members);
    return new MetaCommand.Bootstrap(node.config().clusterId(), UUID.randomUUID().toString(), request.shardCount(),
        request.replicationFactor(), specs, replicas);
  }

  private void createShardGroups(ClusterState state, long deadline) {
    Map<String, NodeAddress> addresses = state.nodes().values().stream()
        .collect(Collectors.toMap(n -> n.id(), n -> n.address()));
    for (ShardReplicas row : state.shards()) {
      List<RaftPeer> peers = row.replicas().stream().map(id -> GroupOps.peer(addresses.get(id))).toList();
      RaftGroup group = RaftGroup.valueOf(GroupIds.shard(state.clusterId(), row.shard()), peers);
      for (String id : row.replicas()) {
        retry(deadline, "add shard group " + row.shard() + " on " + id,
            () -> node.addLocalOrRemote(addresses.get(id), group));
      }
    }
  }

  private interface Step<T> {
    T run() throws Exception;
  }

  private interface VoidStep {
    void run() throws Exception;
  }

  private static void retry(long deadline, String what, VoidStep step) {
    retry(deadline, what, () -> {
      step.run();
      return null;
    });
  }

  private static <T> T retry(long deadline, String what, Step<T> step) {
    long backoffMs = 100;
    while (true) {
      try {
        return step.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RaftException(ErrorCode.CLOSED, "bootstrap interrupted [step=" + what + "]");
      } catch (Exception e) {
        if (System.nanoTime() - deadline > 0) {
          throw new RaftException(ErrorCode.TIMEOUT, "bootstrap step timed out [step=" + what + ", cause=" + e + "]",
              e);
        }
        LOG.debug("bootstrap step failed, retrying [step={}, cause={}]", what, e.toString());
        try {
          Thread.sleep(backoffMs);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new RaftException(ErrorCode.CLOSED, "bootstrap interrupted [step=" + what + "]");
        }
        backoffMs = Math.min(1000, backoffMs * 2);
      }
    }
  }
}
