package io.quiver.raft;

import io.quiver.raft.meta.ClusterState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;

/**
 * In-process Quiver cluster for tests: N {@link RaftNode}s on 127.0.0.1 with ports 0, temp data directories, the
 * metadata group and every shard group bootstrapped. Await helpers take deadlines and fail with a description of the
 * cluster ({@link #describe()}); nodes can be killed, restarted (same port, same directory) and wiped. Closing stops
 * every node in reverse order and deletes the directories.
 *
 * <pre>{@code
 * try (ClusterFixture c = ClusterFixture.builder().nodes(3).shards(4).replicationFactor(3).start()) {
 *   ClusterView view = c.view();
 *   c.kill(0);
 *   c.awaitShardLeaders();
 * }
 * }</pre>
 */
public final class ClusterFixture implements AutoCloseable {
  /** Default deadline of the await helpers (generous: tests share two loaded cores). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /** Supplies a node's shard state machine factory (e.g. raft-data's ShardStateMachine with a per-node allocator). */
  @FunctionalInterface
  public interface ShardFactoryProvider {
    /** The factory for node {@code nodeId} whose data directory is {@code dataDir}. */
    ShardStateMachineFactory forNode(String nodeId, Path dataDir);
  }

  /** Options. */
  public static final class Builder {
    private int nodes = 3;
    private int shards = 4;
    private int replicationFactor = 3;
    private RaftNodeConfig.Timeouts timeouts = RaftNodeConfig.Timeouts.fastTest();
    private ShardFactoryProvider shardFactory = (id, dir) -> TestShardStateMachine.FACTORY;
    private List<String> zones = List.of();
    private boolean bootstrap = true;
    private String clusterId = "test";

    /** Number of initial nodes (default 3). */
    public Builder nodes(int n) {
      this.nodes = n;
      return this;
    }

    /** Number of shards (default 4). */
    public Builder shards(int n) {
      this.shards = n;
      return this;
    }

    /** Replicas per shard (default 3). */
    public Builder replicationFactor(int rf) {
      this.replicationFactor = rf;
      return this;
    }

    /** Timings (default {@link RaftNodeConfig.Timeouts#fastTest()}). */
    public Builder timeouts(RaftNodeConfig.Timeouts t) {
      this.timeouts = t;
      return this;
    }

    /** Shard state machines (default {@link TestShardStateMachine}). */
    public Builder shardFactory(ShardFactoryProvider p) {
      this.shardFactory = p;
      return this;
    }

    /** Zone of node i = zones.get(i % size) (default: every node in zone "default"). */
    public Builder zones(List<String> z) {
      this.zones = List.copyOf(z);
      return this;
    }

    /** Whether to bootstrap the cluster on start (default true). */
    public Builder bootstrap(boolean b) {
      this.bootstrap = b;
      return this;
    }

    /** Cluster id (default "test"). */
    public Builder clusterId(String id) {
      this.clusterId = id;
      return this;
    }

    /** Starts the nodes, bootstraps and waits until the metadata group and every shard group have a leader. */
    public ClusterFixture start() throws Exception {
      ClusterFixture f = new ClusterFixture(this);
      try {
        f.startAll();
        return f;
      } catch (Exception | Error e) {
        f.close();
        throw e;
      }
    }
  }

  private final Builder options;
  private final Path baseDir;
  private final List<RaftNodeConfig> configs = new ArrayList<>();
  private final List<RaftNode> nodes = new ArrayList<>();

  private ClusterFixture(Builder options) throws IOException {
    this.options = options;
    this.baseDir = Files.createTempDirectory("quiver-cluster-");
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  private void startAll() throws Exception {
    for (int i = 0; i < options.nodes; i++) {
      startNewSlot();
    }
    if (options.bootstrap) {
      List<ClusterMember> members = new ArrayList<>();
      for (int i = 0; i < options.nodes; i++) {
        members.add(new ClusterMember(nodes.get(i).address(), configs.get(i).zone()));
      }
      nodes.get(0).bootstrap(new BootstrapRequest(members, options.shards, options.replicationFactor))
          .get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      awaitMetadataLeader();
      awaitShardLeaders();
    }
  }

  private RaftNode startNewSlot() throws IOException {
    int i = configs.size();
    String id = "n" + (i + 1);
    String zone = options.zones.isEmpty() ? "default" : options.zones.get(i % options.zones.size());
    RaftNodeConfig config = new RaftNodeConfig(id, "127.0.0.1", 0, 0, 0, baseDir.resolve(id), zone,
        options.clusterId, seeds(), options.timeouts);
    RaftNode node = RaftNode.start(config, options.shardFactory.forNode(id, config.dataDir()));
    configs.add(node.config());
    nodes.add(node);
    return node;
  }

  private List<NodeAddress> seeds() {
    List<NodeAddress> out = new ArrayList<>();
    for (RaftNodeConfig c : configs) {
      out.add(c.address());
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------------ access

  /** Number of node slots (live or not). */
  public int size() {
    return configs.size();
  }

  /** Node in slot {@code i}, or {@code null} if killed. */
  public RaftNode node(int i) {
    return nodes.get(i);
  }

  /** Node with id {@code id} (slot i has id {@code "n" + (i + 1)}), or {@code null} if killed. */
  public RaftNode node(String id) {
    return nodes.get(slot(id));
  }

  /** Slot of node id {@code id}. */
  public int slot(String id) {
    for (int i = 0; i < configs.size(); i++) {
      if (configs.get(i).nodeId().equals(id)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no such node " + id);
  }

  /** Id of slot {@code i}. */
  public String nodeId(int i) {
    return configs.get(i).nodeId();
  }

  /** Data directory of slot {@code i}. */
  public Path dataDir(int i) {
    return configs.get(i).dataDir();
  }

  /** Live nodes. */
  public List<RaftNode> liveNodes() {
    return nodes.stream().filter(Objects::nonNull).toList();
  }

  /** Any live node. */
  public RaftNode anyNode() {
    return liveNodes().get(0);
  }

  /** Linearizable read of the metadata state (retried until the deadline). */
  public ClusterState state() {
    return await("metadata state readable", DEFAULT_TIMEOUT, () -> {
      for (RaftNode n : liveNodes()) {
        try {
          return n.readState().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          // try the next node
        }
      }
      return null;
    });
  }

  /** The routers' view (linearizable). */
  public ClusterView view() {
    return state().toView();
  }

  /** Group id of shard {@code shard}. */
  public RaftGroupId shardGroup(int shard) {
    return GroupIds.shard(options.clusterId, shard);
  }

  /** Id of the live node that leads shard {@code shard} right now, or {@code null}. */
  public String shardLeader(int shard) {
    return leaderOf(shardGroup(shard));
  }

  /** Id of the live node that leads the metadata group right now, or {@code null}. */
  public String metadataLeader() {
    return leaderOf(GroupIds.metadata(options.clusterId));
  }

  private String leaderOf(RaftGroupId gid) {
    for (RaftNode n : liveNodes()) {
      try {
        if (n.contains(gid)) {
          var info = n.ratisServer().getDivision(gid).getInfo();
          if (info.isLeader() && info.isLeaderReady()) {
            return n.nodeId();
          }
        }
      } catch (IOException e) {
        // division closing
      }
    }
    return null;
  }

  /** A Raft client for shard {@code shard} built from the current view; the caller closes it. */
  public RaftClient shardClient(int shard) {
    ClusterView v = view();
    List<NodeAddress> replicas = v.shard(shard).replicas().stream().map(id -> v.nodes().get(id)).toList();
    return anyNode().ops().groupClient(shardGroup(shard), replicas);
  }

  // ------------------------------------------------------------------------------------------------ await

  /** Waits until the metadata group has a ready leader; returns its node id. */
  public String awaitMetadataLeader() {
    return await("metadata leader", DEFAULT_TIMEOUT, this::metadataLeader);
  }

  /** Waits until every shard has a ready leader among its mapped replicas. */
  public void awaitShardLeaders() {
    await("every shard has a leader", DEFAULT_TIMEOUT, () -> {
      ClusterState s = liveNodes().isEmpty() ? null : anyNode().lastKnownState();
      int shards = s == null || !s.bootstrapped() ? options.shards : s.shardCount();
      for (int i = 0; i < shards; i++) {
        if (shardLeader(i) == null) {
          return false;
        }
      }
      return true;
    });
  }

  /** Waits until no move is active. */
  public ClusterState awaitNoActiveMoves(Duration timeout) {
    return await("no active moves", timeout, () -> {
      ClusterState s = state();
      return s.activeMoves().isEmpty() ? s : null;
    });
  }

  /** Polls {@code condition} every 50 ms until true; fails with the cluster description after {@code timeout}. */
  public void await(String what, Duration timeout, BooleanSupplier condition) {
    await(what, timeout, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
  }

  /** Polls {@code probe} every 50 ms until it returns non-null; fails with the cluster description on timeout. */
  public <T> T await(String what, Duration timeout, Supplier<T> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Throwable last = null;
    while (true) {
      try {
        T value = probe.get();
        if (value != null) {
          return value;
        }
      } catch (RuntimeException e) {
        last = e;
      }
      if (System.nanoTime() - deadline > 0) {
        AssertionError e = new AssertionError("timed out after " + timeout + " waiting for: " + what + "\n"
            + describe());
        if (last != null) {
          e.addSuppressed(last);
        }
        throw e;
      }
      try {
        // Polling interval of the await loop, not a wait for a condition.
        TimeUnit.MILLISECONDS.sleep(50);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, ie);
      }
    }
  }

  // ------------------------------------------------------------------------------------------------ faults

  /** Stops node {@code i} (like kill -9 as far as Raft is concerned: no leadership hand-off); keeps its data. */
  public void kill(int i) {
    RaftNode n = nodes.get(i);
    if (n != null) {
      nodes.set(i, null);
      n.close();
    }
  }

  /** Restarts node {@code i} on the same port with the same data directory; returns the new node. */
  public RaftNode restart(int i) throws IOException {
    kill(i);
    RaftNodeConfig config = configs.get(i).withSeeds(seedsExcept(i));
    RaftNode n = RaftNode.start(config, options.shardFactory.forNode(config.nodeId(), config.dataDir()));
    nodes.set(i, n);
    return n;
  }

  /** Stops node {@code i} and deletes its data directory (restart it with {@link #restart(int)}). */
  public void wipe(int i) throws IOException {
    kill(i);
    deleteTree(configs.get(i).dataDir());
  }

  /** Starts a new node (next id, zone per builder), not yet part of the cluster; see {@link #join(String)}. */
  public RaftNode addNode() throws IOException {
    return startNewSlot();
  }

  /** Starts a new node and registers it through the admin API; returns it. */
  public RaftNode join(String zone) throws Exception {
    RaftNode n = addNode();
    anyOtherNode(n).admin().join(n.address(), zone).get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    return n;
  }

  private RaftNode anyOtherNode(RaftNode self) {
    return liveNodes().stream().filter(n -> n != self).findFirst().orElseThrow();
  }

  private List<NodeAddress> seedsExcept(int i) {
    List<NodeAddress> out = new ArrayList<>();
    for (int k = 0; k < configs.size(); k++) {
      if (k != i) {
        out.add(configs.get(k).address());
      }
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------------ describe

  /** Human-readable cluster state: per node its groups and roles, plus the metadata records. */
  public String describe() {
    StringBuilder sb = new StringBuilder("---- cluster ").append(baseDir).append('\n');
    for (int i = 0; i < configs.size(); i++) {
      RaftNode n = nodes.get(i);
      sb.append(configs.get(i).nodeId()).append(' ').append(configs.get(i).address().raftAddress());
      if (n == null) {
        sb.append(" DEAD\n");
        continue;
      }
      sb.append('\n');
      RaftServer server = n.ratisServer();
      for (RaftGroupId gid : server.getGroupIds()) {
        try {
          var d = server.getDivision(gid);
          int shard = n.shardOf(gid);
          sb.append("  ").append(shard < 0 ? "meta" : "shard " + shard).append(' ')
              .append(d.getInfo().getCurrentRole()).append(" term=").append(d.getInfo().getCurrentTerm())
              .append(" applied=").append(d.getInfo().getLastAppliedIndex())
              .append(" conf=").append(d.getRaftConf()).append('\n');
        } catch (IOException | RuntimeException e) {
          sb.append("  ").append(gid).append(" unavailable: ").append(e).append('\n');
        }
      }
    }
    ClusterState s = liveNodes().isEmpty() ? null : anyNode().lastKnownState();
    if (s != null) {
      sb.append("metadata v").append(s.version()).append(" nodes=").append(s.nodes().values()).append('\n');
      s.shards().forEach(r -> sb.append("  ").append(r).append('\n'));
      s.moves().values().forEach(m -> sb.append("  ").append(m).append('\n'));
    }
    return sb.toString();
  }

  // ------------------------------------------------------------------------------------------------ close

  /** Stops every node (reverse order) and deletes the directories. */
  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      try {
        kill(i);
      } catch (RuntimeException e) {
        // keep closing the others
      }
    }
    try {
      deleteTree(baseDir);
    } catch (IOException e) {
      // temp directory; best effort
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
