package io.quiver.raft;

import io.quiver.raft.meta.ClusterState;
import io.quiver.raft.meta.MetaClient;
import io.quiver.raft.meta.MetaCommand;
import io.quiver.raft.meta.MetaResult;
import io.quiver.raft.meta.MetadataStateMachine;
import io.quiver.raft.meta.NodeRecord;
import io.quiver.raft.meta.NodeState;
import io.quiver.raft.move.BalancedPlanner;
import io.quiver.raft.move.ControlAgent;
import io.quiver.raft.move.ControlContext;
import io.quiver.raft.move.GroupOps;
import io.quiver.raft.move.ReplicaPlanner;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Quiver node's Raft host: a single {@link RaftServer} (one port) hosting the metadata group (as voter or
 * listener) and one group per shard replica the node holds. Groups are added and removed at runtime; after start
 * the node reconciles its groups with the shard map (notes §2: leftover directories are resurrected at boot).
 *
 * <p>Background work runs on named threads: {@code quiver-heartbeat-<node>} (heartbeats into the metadata group,
 * reconcile), {@code quiver-control-<node>} (on the metadata leader only, the {@link ControlAgent}: moves,
 * liveness, rebalancing), {@code quiver-admin-<node>} (bootstrap and admin calls that block on Ratis) and
 * {@code quiver-status-<node>} (parallel group-info calls of the status page).
 */
public final class RaftNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RaftNode.class);
  private static final int MAX_SHARDS = 1024;

  private final RaftNodeConfig config;
  private final NodeMarker marker;
  private final RaftServer server;
  private final String clusterId;
  private final RaftGroupId metaGroupId;
  private final Map<RaftGroupId, Integer> shardOfGroup = new HashMap<>();
  private final ShardStateMachineFactory shardFactory;
  private final RaftProperties clientProperties;
  private final GroupOps ops;
  private final ScheduledExecutorService control;
  private final ScheduledExecutorService heartbeats;
  private final ExecutorService adminExecutor;
  private final ExecutorService statusExecutor;
  private final ControlAgent agent;
  private final ClusterAdmin admin;
  private final AtomicInteger contactRotation = new AtomicInteger();
  private volatile MetadataStateMachine metaSm;
  private volatile MetaClient metaClient;
  private volatile MetaClient heartbeatClient;
  private volatile ClusterState lastState = ClusterState.empty();
  private volatile boolean closed;
  private int heartbeatFailures;

  private RaftNode(RaftNodeConfig requested, ShardStateMachineFactory shardFactory, ReplicaPlanner planner)
      throws IOException {
    this.shardFactory = shardFactory;
    this.marker = NodeMarker.loadOrCreate(requested.dataDir(), requested.nodeId(), requested.raftStorageDir());
    this.clusterId = requested.clusterId();
    this.metaGroupId = GroupIds.metadata(requested.clusterId());
    for (int s = 0; s < MAX_SHARDS; s++) {
      shardOfGroup.put(GroupIds.shard(requested.clusterId(), s), s);
    }
    RaftServer built = RaftServer.newBuilder()
        .setServerId(GroupIds.peer(requested.nodeId()))
        .setProperties(RaftPropertiesFactory.server(requested))
        .setStateMachineRegistry(this::stateMachineFor)
        .setOption(RaftStorage.StartupOption.RECOVER)
        .build();
    try {
      built.start();
    } catch (IOException | RuntimeException e) {
      // A server whose start failed still holds in_use.lock on recovered groups (notes §9).
      built.close();
      throw e;
    }
    this.server = built;
    InetSocketAddress bound = server.getServerRpc().getInetSocketAddress();
    this.config = requested.withRaftPort(bound.getPort());
    this.clientProperties = RaftPropertiesFactory.adminClient(config);
    this.ops = new GroupOps(clientProperties);
    this.control = Executors.newSingleThreadScheduledExecutor(named("quiver-control-" + config.nodeId()));
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(named("quiver-heartbeat-" + config.nodeId()));
    this.adminExecutor = Executors.newFixedThreadPool(2, named("quiver-admin-" + config.nodeId()));
    this.statusExecutor = Executors.newFixedThreadPool(8, named("quiver-status-" + config.nodeId()));
    this.agent = new ControlAgent(new Context(), planner);
    this.admin = new ClusterAdmin(this);
    LOG.info("raft node started [node={}, address={}, incarnation={}, groups={}]", config.nodeId(),
        config.address().raftAddress(), marker.incarnation(), server.getGroupIds());
  }

  /**
   * Starts a node: opens (or creates) its data directory, starts the Raft server with RECOVER (re-opening every
   * group on disk) and the background threads. The node then finds the metadata group (locally or via seeds),
   * heartbeats into it and reconciles its groups.
   *
   * @param config node configuration; {@code raftPort} 0 binds a free port ({@link #address()} has the real one)
   * @param shardFactory creates each shard replica's state machine
   */
  public static RaftNode start(RaftNodeConfig config, ShardStateMachineFactory shardFactory) throws IOException {
    return start(config, shardFactory, new BalancedPlanner());
  }

  /** As {@link #start(RaftNodeConfig, ShardStateMachineFactory)} with an explicit placement planner. */
  public static RaftNode start(RaftNodeConfig config, ShardStateMachineFactory shardFactory, ReplicaPlanner planner)
      throws IOException {
    RaftNode node = new RaftNode(config, shardFactory, planner);
    node.scheduleBackground();
    return node;
  }

  private void scheduleBackground() {
    long hb = config.timeouts().heartbeatInterval().toMillis();
    long agentMs = config.timeouts().agentInterval().toMillis();
    heartbeats.scheduleWithFixedDelay(this::heartbeatSafely, 0, hb, TimeUnit.MILLISECONDS);
    control.scheduleWithFixedDelay(this::agentSafely, agentMs, agentMs, TimeUnit.MILLISECONDS);
  }

  // ------------------------------------------------------------------------------------------------ accessors

  /** Node id. */
  public String nodeId() {
    return config.nodeId();
  }

  /** Effective configuration (with the bound Raft port). */
  public RaftNodeConfig config() {
    return config;
  }

  /** Advertised address with the bound Raft port. */
  public NodeAddress address() {
    return config.address();
  }

  /** Incarnation of this node's data directory. */
  public String incarnation() {
    return marker.incarnation();
  }

  /** The admin API (status, moves, join, decommission). */
  public ClusterAdmin admin() {
    return admin;
  }

  /** The underlying Ratis server (for raft-data's local reads and tests). */
  public RaftServer ratisServer() {
    return server;
  }

  /** Group id of the metadata group. */
  public RaftGroupId metadataGroupId() {
    return metaGroupId;
  }

  /** The last cluster state this node read from the metadata group (may lag; {@link #readState()} does not). */
  public ClusterState lastKnownState() {
    return lastState;
  }

  /** Linearizable read of the cluster state through the metadata group. */
  public CompletableFuture<ClusterState> readState() {
    return withMetaClient(MetaClient::read).thenApply(s -> {
      lastState = s;
      return s;
    });
  }

  /** Linearizable read of the routers' view. */
  public CompletableFuture<ClusterView> clusterView() {
    return readState().thenApply(s -> {
      if (!s.bootstrapped()) {
        throw new RaftException(ErrorCode.NOT_BOOTSTRAPPED, "cluster not bootstrapped [clusterId="
            + config.clusterId() + "]");
      }
      return s.toView();
    });
  }

  /** Proposes a metadata command; the future fails with a {@link RaftException} if it was rejected. */
  public CompletableFuture<MetaResult> submit(MetaCommand command) {
    return withMetaClient(c -> c.submit(command)).thenApply(r -> {
      r.valueOrThrow();
      return r;
    });
  }

  /** Shard number of group {@code gid} in this cluster, or -1. */
  public int shardOf(RaftGroupId gid) {
    Integer s = shardOfGroup.get(gid);
    return s == null ? -1 : s;
  }

  /** Whether this node currently leads the metadata group and the leader is ready. */
  public boolean isMetadataLeader() {
    try {
      if (!contains(metaGroupId)) {
        return false;
      }
      var info = server.getDivision(metaGroupId).getInfo();
      return info.isLeader() && info.isLeaderReady();
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether this server hosts group {@code gid}. */
  public boolean contains(RaftGroupId gid) {
    for (RaftGroupId g : server.getGroupIds()) {
      if (g.equals(gid)) {
        return true;
      }
    }
    return false;
  }

  GroupOps ops() {
    return ops;
  }

  ExecutorService adminExecutor() {
    return adminExecutor;
  }

  ExecutorService statusExecutor() {
    return statusExecutor;
  }

  /** Leader of the metadata group as this node sees it, or {@code null}. */
  String metadataLeaderId() {
    try {
      if (!contains(metaGroupId)) {
        return null;
      }
      var leader = server.getDivision(metaGroupId).getInfo().getLeaderId();
      return leader == null ? null : leader.toString();
    } catch (IOException e) {
      return null;
    }
  }

  /** Voters of the metadata group as this node sees them. */
  List<String> metadataVoterIds() {
    try {
      if (!contains(metaGroupId)) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      server.getDivision(metaGroupId).getRaftConf().getCurrentPeers().forEach(p -> out.add(p.getId().toString()));
      out.sort(null);
      return out;
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Proposes raft-data's epoch fence entry to a shard group (no-op when the factory has none). */
  void fenceShard(int shard, long epoch, List<NodeAddress> replicas) {
    byte[] entry = shardFactory.fenceEntry(shard, epoch);
    if (entry == null || replicas.isEmpty()) {
      return;
    }
    try {
      // onGroup: a replica that lacks the group (or a stale cached leader) must not fail the fence (idempotent).
      ops.onGroup(GroupIds.shard(clusterId, shard), replicas, null, client -> {
        var reply = client.io().send(org.apache.ratis.protocol.Message.valueOf(
            org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations.unsafeWrap(entry)));
        if (!reply.isSuccess()) {
          throw new RaftException(ErrorCode.UNAVAILABLE, "epoch fence failed [shard=" + shard + ", epoch=" + epoch
              + ", cause=" + reply.getException() + "]");
        }
      });
    } catch (IOException e) {
      throw new RaftException(ErrorCode.UNAVAILABLE, "epoch fence failed [shard=" + shard + ", epoch=" + epoch + "]",
          e);
    }
  }

  // ------------------------------------------------------------------------------------------------ bootstrap

  /**
   * Creates a new cluster on {@code request.members()} (all of them must be running): forms the metadata group on
   * the first (up to) five members, records nodes and the initial shard placement, then creates every shard group
   * on its replicas. Idempotent: re-running after a crash completes a half-done bootstrap.
   */
  public CompletableFuture<ClusterView> bootstrap(BootstrapRequest request) {
    return CompletableFuture.supplyAsync(() -> new Bootstrapper(this, request, agent.planner()).run(),
        adminExecutor);
  }

  void addLocalOrRemote(NodeAddress target, RaftGroup group) {
    if (target.nodeId().equals(nodeId())) {
      addLocal(group);
    } else {
      ops.addGroup(target, group);
    }
  }

  private void addLocal(RaftGroup group) {
    try {
      RaftClientReply reply = server.groupManagement(GroupManagementRequest.newAdd(ClientId.randomId(),
          server.getId(), 0, group, true));
      Exception failure = reply.isSuccess() ? null : reply.getException();
      if (failure != null && !(failure instanceof org.apache.ratis.protocol.exceptions.AlreadyExistsException)) {
        throw new RaftException(ErrorCode.IO, "local group add failed [group=" + group.getGroupId() + ", cause="
            + reply.getException() + "]");
      }
    } catch (org.apache.ratis.protocol.exceptions.AlreadyExistsException e) {
      // Already hosted: idempotent.
    } catch (IOException e) {
      if (e.getCause() instanceof org.apache.ratis.protocol.exceptions.AlreadyExistsException
          || String.valueOf(e.getMessage()).contains("already exists")) {
        return;
      }
      throw new RaftException(ErrorCode.IO, "local group add failed [group=" + group.getGroupId() + "]", e);
    }
  }

  private boolean removeLocal(RaftGroupId gid) {
    try {
      RaftClientReply reply = server.groupManagement(GroupManagementRequest.newRemove(ClientId.randomId(),
          server.getId(), 0, gid, true, false));
      return reply.isSuccess();
    } catch (IOException e) {
      LOG.warn("local group remove failed [node={}, group={}, cause={}]", nodeId(), gid, e.toString());
      return false;
    }
  }

  /** Creates a client to the metadata group from the given contact points. */
  MetaClient newMetaClient(List<NodeAddress> contact, int attempts) {
    return new MetaClient(metaGroupId, contact, clientProperties, attempts);
  }

  // ------------------------------------------------------------------------------------------------ registry

  private StateMachine stateMachineFor(RaftGroupId gid) {
    if (gid.equals(metaGroupId)) {
      MetadataStateMachine sm = new MetadataStateMachine(System::nanoTime, this::onMetadataApplied);
      metaSm = sm;
      return sm;
    }
    Integer shard = shardOfGroup.get(gid);
    if (shard == null) {
      throw new IllegalArgumentException("group of another cluster or unknown role [group=" + gid + ", clusterId="
          + clusterId + "]");
    }
    return shardFactory.create(shard, gid);
  }

  private void onMetadataApplied(ClusterState state) {
    if (state.version() > lastState.version()) {
      lastState = state;
    }
  }

  // ------------------------------------------------------------------------------------------------ heartbeat

  private void heartbeatSafely() {
    if (closed) {
      return;
    }
    try {
      List<RaftGroupId> before = groupIds();
      MetaClient hb = heartbeatClient;
      if (hb == null) {
        List<NodeAddress> contact = metadataContact();
        if (contact.isEmpty()) {
          throw new RaftException(ErrorCode.UNAVAILABLE,
              "metadata group unknown: no local replica, no known nodes and no seeds [node=" + nodeId() + "]");
        }
        hb = newMetaClient(contact, 5);
        heartbeatClient = hb;
      }
      ClusterState state = hb.heartbeat(nodeId(), marker.incarnation())
          .get(config.timeouts().requestTimeout().toMillis() * 4, TimeUnit.MILLISECONDS);
      lastState = state.version() >= lastState.version() ? state : lastState;
      afterHeartbeat(state, before);
      heartbeatFailures = 0;
    } catch (Exception e) {
      heartbeatFailures++;
      if (heartbeatFailures % 10 == 3) {
        LOG.info("heartbeats failing [node={}, consecutive={}, cause={}]", nodeId(), heartbeatFailures, e.toString());
      }
      MetaClient hb = heartbeatClient;
      heartbeatClient = null;
      contactRotation.incrementAndGet();
      retire(hb);
    }
  }

  private void afterHeartbeat(ClusterState state, List<RaftGroupId> before) throws IOException {
    if (!state.bootstrapped()) {
      return;
    }
    if (marker.clusterUuid().isEmpty()) {
      marker.setClusterUuid(state.clusterUuid());
    } else if (!marker.clusterUuid().equals(state.clusterUuid())) {
      LOG.error("node belongs to another cluster; not reconciling [node={}, marker={}, cluster={}]", nodeId(),
          marker.clusterUuid(), state.clusterUuid());
      return;
    }
    reconcile(state, before);
  }

  /**
   * Removes local groups the shard map no longer assigns to this node. Only groups that existed before the
   * heartbeat was sent are considered: a group added by a mover after the read was served would otherwise look
   * unassigned (the move record is committed before the add, so a later read sees it).
   */
  private void reconcile(ClusterState state, List<RaftGroupId> before) {
    NodeRecord me = state.node(nodeId());
    if (me == null) {
      return;
    }
    List<RaftGroupId> candidates = new ArrayList<>();
    for (RaftGroupId gid : before) {
      if (gid.equals(metaGroupId)) {
        if (me.state() == NodeState.REMOVED) {
          LOG.info("removing metadata replica of a removed node [node={}]", nodeId());
          removeLocal(gid);
        }
        continue;
      }
      Integer shard = shardOfGroup.get(gid);
      if (shard == null || !state.shouldHost(nodeId(), shard)) {
        candidates.add(gid);
      }
    }
    if (candidates.isEmpty()) {
      return;
    }
    // The heartbeat reply is the leader's local state; confirm with a linearizable read before deleting data.
    ClusterState confirmed;
    try {
      confirmed = readState().get(config.timeouts().requestTimeout().toMillis() * 4, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      return;
    }
    for (RaftGroupId gid : candidates) {
      Integer shard = shardOfGroup.get(gid);
      if (shard == null || !confirmed.shouldHost(nodeId(), shard)) {
        LOG.info("removing group not assigned to this node [node={}, group={}, shard={}, version={}]", nodeId(), gid,
            shard, confirmed.version());
        removeLocal(gid);
      }
    }
  }

  private List<RaftGroupId> groupIds() {
    List<RaftGroupId> out = new ArrayList<>();
    server.getGroupIds().forEach(out::add);
    return out;
  }

  private <T> CompletableFuture<T> withMetaClient(java.util.function.Function<MetaClient, CompletableFuture<T>> f) {
    MetaClient c = metaClient;
    if (c == null) {
      synchronized (this) {
        c = metaClient;
        if (c == null) {
          List<NodeAddress> contact = metadataContact();
          if (contact.isEmpty()) {
            return CompletableFuture.failedFuture(new RaftException(ErrorCode.UNAVAILABLE,
                "metadata group unknown: no local replica, no known nodes and no seeds [node=" + nodeId() + "]"));
          }
          c = newMetaClient(contact, 15);
          metaClient = c;
        }
      }
    }
    MetaClient used = c;
    // A client that failed (closed sliding window after a group mismatch during bootstrap, exhausted retries
    // against stale contacts) never recovers by itself: replace it, so the next call starts from fresh contacts.
    return f.apply(c).whenComplete((result, error) -> {
      if (error != null) {
        dropMetaClientIfCurrent(used);
      }
    });
  }

  private synchronized void dropMetaClientIfCurrent(MetaClient used) {
    if (metaClient == used) {
      dropMetaClient();
    }
  }

  private synchronized void dropMetaClient() {
    MetaClient c = metaClient;
    metaClient = null;
    contactRotation.incrementAndGet();
    retire(c);
  }

  /** Closes a client later: requests other threads still have in flight on it must not fail with "closed". */
  private void retire(MetaClient c) {
    if (c == null) {
      return;
    }
    try {
      heartbeats.schedule(c::close, config.timeouts().requestTimeout().toMillis() * 10, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      c.close();
    }
  }

  /** Members of the metadata group as far as this node knows: local conf, last state, seeds; rotated on failure. */
  List<NodeAddress> metadataContact() {
    Map<String, NodeAddress> byId = new LinkedHashMap<>();
    if (contains(metaGroupId)) {
      try {
        RaftConfiguration conf = server.getDivision(metaGroupId).getRaftConf();
        for (RaftPeer p : conf.getAllPeers()) {
          String addr = p.getAddress();
          int colon = addr == null ? -1 : addr.lastIndexOf(':');
          if (colon > 0) {
            byId.put(p.getId().toString(), new NodeAddress(p.getId().toString(), addr.substring(0, colon),
                Integer.parseInt(addr.substring(colon + 1)), 0, 0));
          }
        }
        for (var p : conf.getAllPeers(org.apache.ratis.proto.RaftProtos.RaftPeerRole.LISTENER)) {
          String addr = p.getAddress();
          int colon = addr == null ? -1 : addr.lastIndexOf(':');
          if (colon > 0) {
            byId.putIfAbsent(p.getId().toString(), new NodeAddress(p.getId().toString(), addr.substring(0, colon),
                Integer.parseInt(addr.substring(colon + 1)), 0, 0));
          }
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("metadata conf unavailable [node={}]", nodeId(), e);
      }
    }
    for (NodeRecord n : lastState.nodes().values()) {
      if (n.state() != NodeState.REMOVED && !n.id().equals(nodeId())) {
        byId.putIfAbsent(n.id(), n.address());
      }
    }
    for (NodeAddress s : config.seeds()) {
      if (!s.nodeId().equals(nodeId())) {
        byId.putIfAbsent(s.nodeId(), s);
      }
    }
    if (!contains(metaGroupId)) {
      byId.remove(nodeId());
    }
    List<NodeAddress> out = new ArrayList<>(byId.values());
    if (!out.isEmpty()) {
      java.util.Collections.rotate(out, contactRotation.get() % out.size());
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------------ agent

  private void agentSafely() {
    if (closed) {
      return;
    }
    try {
      agent.doWork(System.nanoTime());
    } catch (RuntimeException e) {
      LOG.warn("control agent step failed [node={}, cause={}]", nodeId(), e.toString());
    }
  }

  /** Runs one control-agent step now (tests step the agent directly). */
  public int doControlWork() {
    return agent.doWork(System.nanoTime());
  }

  /** What the control agent can touch; implemented by the node. */
  private final class Context implements ControlContext {
    @Override
    public String nodeId() {
      return config.nodeId();
    }

    @Override
    public String clusterId() {
      return config.clusterId();
    }

    @Override
    public RaftNodeConfig config() {
      return config;
    }

    @Override
    public boolean isMetadataLeader() {
      return RaftNode.this.isMetadataLeader();
    }

    @Override
    public MetadataStateMachine metadataStateMachine() {
      return metaSm;
    }

    @Override
    public MetaResult submit(MetaCommand command) {
      try {
        return withMetaClient(c -> c.submit(command))
            .get(config.timeouts().requestTimeout().toMillis() * 4, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RaftException(ErrorCode.CLOSED, "interrupted");
      } catch (Exception e) {
        dropMetaClient();
        throw new RaftException(ErrorCode.UNAVAILABLE, "metadata command failed [cause=" + e + "]", e);
      }
    }

    @Override
    public GroupOps ops() {
      return ops;
    }

    @Override
    public List<String> metadataVoters() {
      return confIds(false);
    }

    @Override
    public List<String> metadataListeners() {
      return confIds(true);
    }

    @Override
    public boolean metadataConfChanging() {
      try {
        return server.getDivision(metaGroupId).getRaftConf().getPreviousPeers().size() > 0;
      } catch (IOException e) {
        return true;
      }
    }

    private List<String> confIds(boolean listeners) {
      try {
        RaftConfiguration conf = server.getDivision(metaGroupId).getRaftConf();
        Set<String> ids = new HashSet<>();
        var peers = listeners
            ? conf.getCurrentPeers(org.apache.ratis.proto.RaftProtos.RaftPeerRole.LISTENER)
            : conf.getCurrentPeers();
        peers.forEach(p -> ids.add(p.getId().toString()));
        List<String> out = new ArrayList<>(ids);
        out.sort(null);
        return out;
      } catch (IOException e) {
        return List.of();
      }
    }

    @Override
    public RaftGroupId metadataGroupId() {
      return metaGroupId;
    }

    @Override
    public void fenceShard(int shard, long epoch, List<NodeAddress> replicas) {
      RaftNode.this.fenceShard(shard, epoch, replicas);
    }
  }

  // ------------------------------------------------------------------------------------------------ close

  /** Stops background work, then the Raft server (all groups). Safe to call twice. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    control.shutdownNow();
    heartbeats.shutdownNow();
    adminExecutor.shutdownNow();
    statusExecutor.shutdownNow();
    try {
      control.awaitTermination(5, TimeUnit.SECONDS);
      heartbeats.awaitTermination(5, TimeUnit.SECONDS);
      adminExecutor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (MetaClient c : new MetaClient[] {metaClient, heartbeatClient}) {
      if (c != null) {
        c.close();
      }
    }
    ops.close();
    try {
      server.close();
    } catch (IOException e) {
      LOG.warn("raft server close failed [node={}]", nodeId(), e);
    }
    LOG.info("raft node closed [node={}]", nodeId());
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
