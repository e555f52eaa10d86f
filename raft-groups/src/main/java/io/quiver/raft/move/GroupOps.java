package io.quiver.raft.move;

import io.quiver.raft.ErrorCode;
import io.quiver.raft.NodeAddress;
import io.quiver.raft.RaftException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.exceptions.AlreadyExistsException;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blocking Ratis group operations for the control plane (bootstrap, moves, membership). Each call has a bounded
 * duration (the admin client's request timeout times a few retries); callers run on their own thread (the control
 * agent, a bootstrap task), never on a Ratis or gRPC thread. Group-management clients are cached per peer.
 */
public final class GroupOps implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupOps.class);

  private final RaftProperties clientProperties;
  private final Map<String, RaftClient> managementClients = new ConcurrentHashMap<>();

  /** @param clientProperties from {@code RaftPropertiesFactory.adminClient} */
  public GroupOps(RaftProperties clientProperties) {
    this.clientProperties = clientProperties;
  }

  /** The Ratis peer of a node (voter). */
  public static RaftPeer peer(NodeAddress a) {
    return RaftPeer.newBuilder().setId(a.nodeId()).setAddress(a.raftAddress()).build();
  }

  /** A current configuration: voter ids and listener ids, plus whether a change is in flight (joint conf). */
  public record Conf(List<String> voters, List<String> listeners, boolean changing) {}

  /** What one replica reports about a group. */
  public record Info(
      String nodeId, String role, String leaderId, Conf conf, long commitIndex, long appliedIndex,
      Map<String, Long> peerCommitIndexes) {}

  /**
   * Adds {@code group} on {@code target}. Returns {@code false} if the group already exists there. An empty peer
   * list makes the replica wait for the leader (a new member of an existing group); a full list creates a group.
   */
  public boolean addGroup(NodeAddress target, RaftGroup group) {
    try {
      RaftClientReply reply = managementClient(target).getGroupManagementApi(RaftPeerId.valueOf(target.nodeId()))
          .add(group, true);
      check(reply, "add group");
      return true;
    } catch (AlreadyExistsException e) {
      return false;
    } catch (IOException | RuntimeException e) {
      if (causeIs(e, AlreadyExistsException.class)) {
        return false;
      }
      throw unavailable("add group failed [node=" + target.nodeId() + ", group=" + group.getGroupId() + "]", e);
    }
  }

  /** Removes group {@code gid} from {@code target}, deleting its directory. Returns {@code false} if absent. */
  public boolean removeGroup(NodeAddress target, RaftGroupId gid) {
    try {
      RaftClientReply reply = managementClient(target).getGroupManagementApi(RaftPeerId.valueOf(target.nodeId()))
          .remove(gid, true, false);
      check(reply, "remove group");
      return true;
    } catch (GroupMismatchException e) {
      return false;
    } catch (IOException | RuntimeException e) {
      if (causeIs(e, GroupMismatchException.class)) {
        return false;
      }
      throw unavailable("remove group failed [node=" + target.nodeId() + ", group=" + gid + "]", e);
    }
  }

  /** What {@code target} says about group {@code gid}, or {@code null} if it does not host the group. */
  public Info info(NodeAddress target, RaftGroupId gid) {
    try {
      GroupInfoReply reply = managementClient(target).getGroupManagementApi(RaftPeerId.valueOf(target.nodeId()))
          .info(gid);
      check(reply, "group info");
      return toInfo(target.nodeId(), reply);
    } catch (GroupMismatchException e) {
      return null;
    } catch (IOException | RuntimeException e) {
      if (causeIs(e, GroupMismatchException.class)) {
        return null;
      }
      // Ratis' admin RPC reports a missing group as a plain UNAVAILABLE status: tell "reachable, group absent"
      // from "unreachable" by listing the node's groups.
      List<RaftGroupId> hosted;
      try {
        hosted = list(target);
      } catch (RaftException listFailed) {
        throw unavailable("group info failed [node=" + target.nodeId() + ", group=" + gid + "]", e);
      }
      if (!hosted.contains(gid)) {
        return null;
      }
      throw unavailable("group info failed [node=" + target.nodeId() + ", group=" + gid + "]", e);
    }
  }

  /**
   * Info of the group's leader: asks the candidates in turn, follows a leader hint once. {@code null} if no leader
   * is known right now (election in progress, or no candidate reachable).
   */
  public Info leaderInfo(RaftGroupId gid, List<String> candidates, Map<String, NodeAddress> addresses) {
    for (String id : candidates) {
      NodeAddress a = addresses.get(id);
      if (a == null) {
        continue;
      }
      Info info;
      try {
        info = info(a, gid);
      } catch (RaftException e) {
        continue;
      }
      if (info == null) {
        continue;
      }
      if ("LEADER".equals(info.role())) {
        return info;
      }
      if (info.leaderId() != null && addresses.containsKey(info.leaderId()) && !info.leaderId().equals(id)) {
        try {
          Info l = info(addresses.get(info.leaderId()), gid);
          if (l != null && "LEADER".equals(l.role())) {
            return l;
          }
        } catch (RaftException e) {
          // try the next candidate
        }
      }
    }
    return null;
  }

  /** Group ids hosted by {@code target}. */
  public List<RaftGroupId> list(NodeAddress target) {
    try {
      return managementClient(target).getGroupManagementApi(RaftPeerId.valueOf(target.nodeId())).list()
          .getGroupIds();
    } catch (IOException | RuntimeException e) {
      throw unavailable("group list failed [node=" + target.nodeId() + "]", e);
    }
  }

  /**
   * Compare-and-set of a group's configuration (notes §6): applies only if the current voters and listeners are
   * exactly {@code current}; a request equal to the current configuration succeeds at once (idempotent). The request
   * goes to {@code leaderHint} first (see {@link #onGroup}).
   */
  public void compareAndSetConf(
      RaftGroupId gid, Collection<NodeAddress> contact, String leaderHint, Conf current, List<NodeAddress> newVoters,
      List<NodeAddress> newListeners, Map<String, NodeAddress> addresses) {
    List<RaftPeer> curVoters = peers(current.voters(), addresses);
    List<RaftPeer> curListeners = peers(current.listeners(), addresses);
    SetConfigurationRequest.Arguments args = SetConfigurationRequest.Arguments.newBuilder()
        .setServersInNewConf(newVoters.stream().map(GroupOps::peer).toList())
        .setListenersInNewConf(newListeners.stream().map(GroupOps::listener).toList())
        .setServersInCurrentConf(curVoters)
        .setListenersInCurrentConf(curListeners)
        .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
        .build();
    try {
      onGroup(gid, contact, leaderHint, client -> check(client.admin().setConfiguration(args), "set configuration"));
    } catch (IOException | RuntimeException e) {
      throw unavailable("set configuration failed [group=" + gid + ", voters=" + ids(newVoters) + ", listeners="
          + ids(newListeners) + "]", e);
    }
  }

  /** Asks the group's leader to hand leadership to {@code newLeader}. */
  public void transferLeadership(RaftGroupId gid, Collection<NodeAddress> contact, String newLeader, long timeoutMs) {
    try {
      onGroup(gid, contact, null, client -> check(client.admin().transferLeadership(RaftPeerId.valueOf(newLeader),
          timeoutMs), "transfer leadership"));
    } catch (IOException | RuntimeException e) {
      throw unavailable("transfer leadership failed [group=" + gid + ", to=" + newLeader + "]", e);
    }
  }

  /** One request on a group client. */
  @FunctionalInterface
  public interface GroupCall {
    void call(RaftClient client) throws IOException;
  }

  /**
   * Runs {@code call} on a client of group {@code gid} whose first target is {@code leaderHint} (or, if null or not
   * a contact, the first contact). Two Ratis client traits make this necessary: a new client's first target comes
   * from a JVM-wide, access-refreshed cache of each group's last leader ({@code RaftClientImpl.LEADER_CACHE}), which
   * can name a node that no longer hosts the group (wiped, or removed by a move); and the client does not fail over
   * on {@code GroupMismatchException} (notes §0.10). So a group mismatch drops the peer that answered it and the call
   * is tried once more per remaining contact; any other failure is thrown.
   */
  public void onGroup(RaftGroupId gid, Collection<NodeAddress> contact, String leaderHint, GroupCall call)
      throws IOException {
    Map<String, NodeAddress> left = new java.util.LinkedHashMap<>();
    contact.forEach(a -> left.put(a.nodeId(), a));
    String first = leaderHint != null && left.containsKey(leaderHint) ? leaderHint : null;
    IOException mismatch = null;
    while (!left.isEmpty()) {
      String target = first != null ? first : left.keySet().iterator().next();
      first = null;
      try (RaftClient client = groupClient(gid, left.values(), target)) {
        try {
          call.call(client);
          return;
        } catch (IOException | RuntimeException e) {
          if (!causeIs(e, GroupMismatchException.class)) {
            throw e;
          }
          String culprit = client.getLeaderId() == null ? target : client.getLeaderId().toString();
          LOG.debug("group absent on contacted peer, trying the next [group={}, peer={}]", gid, culprit);
          left.remove(left.containsKey(culprit) ? culprit : target);
          mismatch = e instanceof IOException io ? io : new IOException(e);
        }
      }
    }
    throw mismatch != null ? mismatch : new IOException("no contact for group " + gid);
  }

  /** A client bound to group {@code gid} with the given contact peers; the caller closes it. */
  public RaftClient groupClient(RaftGroupId gid, Collection<NodeAddress> contact) {
    return groupClient(gid, contact, null);
  }

  private RaftClient groupClient(RaftGroupId gid, Collection<NodeAddress> contact, String firstTarget) {
    List<RaftPeer> peers = contact.stream().map(GroupOps::peer).toList();
    RaftClient.Builder b = RaftClient.newBuilder()
        .setRaftGroup(RaftGroup.valueOf(gid, peers))
        .setProperties(clientProperties)
        .setRetryPolicy(adminRetry());
    if (firstTarget != null) {
      b.setLeaderId(RaftPeerId.valueOf(firstTarget));
    }
    return b.build();
  }

  /** Bounded retry for control-plane calls (never Ratis' retry-forever default, notes §0.11). */
  public static RetryPolicy adminRetry() {
    return RetryPolicies.retryUpToMaximumCountWithFixedSleep(10, TimeDuration.valueOf(200, TimeUnit.MILLISECONDS));
  }

  /** Forgets the cached client of {@code nodeId} (after its address changed or it was restarted). */
  public void forget(String nodeId) {
    managementClients.entrySet().removeIf(e -> {
      if (e.getKey().startsWith(nodeId + "@")) {
        closeQuietly(e.getValue());
        return true;
      }
      return false;
    });
  }

  @Override
  public void close() {
    managementClients.values().forEach(GroupOps::closeQuietly);
    managementClients.clear();
  }

  private RaftClient managementClient(NodeAddress target) {
    String key = target.nodeId() + "@" + target.raftAddress();
    return managementClients.computeIfAbsent(key, k -> RaftClient.newBuilder()
        .setRaftGroup(RaftGroup.valueOf(RaftGroupId.randomId(), peer(target)))
        .setProperties(clientProperties)
        .setClientId(ClientId.randomId())
        .setRetryPolicy(RetryPolicies.noRetry())
        .build());
  }

  static Info toInfo(String nodeId, GroupInfoReply reply) {
    Conf conf = reply.getConf().map(GroupOps::toConf).orElse(new Conf(List.of(), List.of(), false));
    Map<String, Long> commits = new java.util.TreeMap<>();
    reply.getCommitInfos().forEach(ci -> commits.put(ci.getServer().getId().toStringUtf8(), ci.getCommitIndex()));
    var roleInfo = reply.getRoleInfoProto();
    String leader = null;
    if (roleInfo.hasFollowerInfo() && roleInfo.getFollowerInfo().hasLeaderInfo()) {
      leader = roleInfo.getFollowerInfo().getLeaderInfo().getId().getId().toStringUtf8();
    } else if (roleInfo.hasLeaderInfo()) {
      leader = nodeId;
    }
    var log = reply.getLogInfoProto();
    long commit = log.hasCommitted() ? log.getCommitted().getIndex() : -1;
    long applied = log.hasApplied() ? log.getApplied().getIndex() : -1;
    return new Info(nodeId, roleInfo.getRole().name(), leader == null || leader.isEmpty() ? null : leader, conf,
        commit, applied, commits);
  }

  static Conf toConf(RaftConfigurationProto p) {
    return new Conf(peerIds(p.getPeersList()), peerIds(p.getListenersList()),
        p.getOldPeersCount() > 0 || p.getOldListenersCount() > 0);
  }

  private static List<String> peerIds(List<RaftPeerProto> peers) {
    List<String> out = new ArrayList<>();
    for (RaftPeerProto p : peers) {
      out.add(p.getId().toStringUtf8());
    }
    out.sort(null);
    return List.copyOf(out);
  }

  private static RaftPeer listener(NodeAddress a) {
    return RaftPeer.newBuilder().setId(a.nodeId()).setAddress(a.raftAddress())
        .setStartupRole(org.apache.ratis.proto.RaftProtos.RaftPeerRole.LISTENER).build();
  }

  private static List<RaftPeer> peers(List<String> ids, Map<String, NodeAddress> addresses) {
    List<RaftPeer> out = new ArrayList<>();
    for (String id : ids) {
      NodeAddress a = addresses.get(id);
      out.add(a == null ? RaftPeer.newBuilder().setId(id).build() : peer(a));
    }
    return out;
  }

  private static List<String> ids(List<NodeAddress> as) {
    return as.stream().map(NodeAddress::nodeId).toList();
  }

  private static void check(RaftClientReply reply, String what) throws IOException {
    if (!reply.isSuccess()) {
      IOException e = reply.getException();
      throw e != null ? e : new IOException(what + " failed: " + reply);
    }
  }

  private static boolean causeIs(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  private static RaftException unavailable(String message, Throwable cause) {
    return new RaftException(ErrorCode.UNAVAILABLE, message + " [cause=" + cause + "]", cause);
  }

  private static void closeQuietly(RaftClient c) {
    try {
      c.close();
    } catch (IOException | RuntimeException e) {
      LOG.debug("client close failed", e);
    }
  }
}
