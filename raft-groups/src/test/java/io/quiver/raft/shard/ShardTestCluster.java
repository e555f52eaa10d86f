package io.quiver.raft.shard;

import io.quiver.raft.ClusterView;
import io.quiver.raft.GroupIds;
import io.quiver.raft.NodeAddress;
import io.quiver.raft.RaftPropertiesFactory;
import io.quiver.raft.ShardReplicas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SnapshotManagementRequest;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * Small in-process harness for shard groups only (raft-control's ClusterFixture covers the full node): N
 * RaftServers on 127.0.0.1 (ports picked by the OS on first start, reused on restart), temp storage, a registry that
 * creates one {@link ShardStateMachine} per shard group over {@link FileShardData}. Closes everything it started.
 */
final class ShardTestCluster implements AutoCloseable {
  static final String CLUSTER = "t";
  private static final AtomicLong CALL_IDS = new AtomicLong();

  final Path base;
  final Map<String, Node> nodes = new LinkedHashMap<>();
  final ExecutorService queryExecutor = Executors.newFixedThreadPool(2);
  private final Consumer<RaftProperties> customizer;
  private final Map<RaftGroupId, Integer> shardOfGroup = new HashMap<>();
  private final List<RaftClient> clients = new ArrayList<>();

  static final class Node {
    final String id;
    final Path dir;
    int port;
    RaftServer server;

    Node(String id, Path dir) {
      this.id = id;
      this.dir = dir;
    }
  }

  private final ShardData.Opener opener;

  ShardTestCluster(Path base, int n, Consumer<RaftProperties> customizer) {
    this(base, n, customizer, FileShardData.opener());
  }

  ShardTestCluster(Path base, int n, Consumer<RaftProperties> customizer, ShardData.Opener opener) {
    this.opener = opener;
    this.base = base;
    this.customizer = customizer;
    for (int i = 1; i <= n; i++) {
      nodes.put("n" + i, new Node("n" + i, base.resolve("n" + i)));
    }
    for (int s = 0; s < 64; s++) {
      shardOfGroup.put(GroupIds.shard(CLUSTER, s), s);
    }
  }

  /** Fast test settings (notes §9): 300/600 ms election timeouts, small segments, purge up to snapshots. */
  static RaftProperties baseProperties() {
    RaftProperties p = new RaftProperties();
    GrpcConfigKeys.Server.setHost(p, "127.0.0.1");
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(300, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(600, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(2000, TimeUnit.MILLISECONDS));
    RaftPropertiesFactory.setConsistencyKeys(p); // linearizable reads, no composed appends: as in production
    RaftServerConfigKeys.Read.setTimeout(p, TimeDuration.valueOf(2, TimeUnit.SECONDS));
    RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf("1MB"));
    RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf((1 << 20) + 8));
    GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(5 << 20));
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf("64KB"));
    RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf("64KB"));
    RaftServerConfigKeys.Log.setSegmentCacheNumMax(p, 2);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgeGap(p, 1);
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
    RaftServerConfigKeys.setStagingCatchupGap(p, 16);
    return p;
  }

  RaftProperties properties(Node node) {
    RaftProperties p = baseProperties();
    RaftServerConfigKeys.setStorageDir(p, List.of(node.dir.resolve("raft").toFile()));
    RaftServerConfigKeys.setRemovedGroupsDir(p, node.dir.resolve("removed").toFile());
    GrpcConfigKeys.Server.setPort(p, node.port);
    customizer.accept(p);
    return p;
  }

  ShardStateMachineContext context() {
    return new ShardStateMachineContext(CLUSTER, opener, queryExecutor,
        ShardStateMachineContext.DEFAULT_MAX_ENTRY_BYTES, 3_000);
  }

  void startAll() throws IOException {
    for (String id : nodes.keySet()) {
      start(id);
    }
  }

  void start(String id) throws IOException {
    Node node = nodes.get(id);
    ShardStateMachineContext ctx = context();
    StateMachine.Registry registry = gid -> {
      Integer shard = shardOfGroup.get(gid);
      if (shard == null) {
        throw new IllegalArgumentException("unknown group " + gid);
      }
      return new ShardStateMachine(shard, ctx);
    };
    RaftServer server = RaftServer.newBuilder()
        .setServerId(RaftPeerId.valueOf(id))
        .setProperties(properties(node))
        .setStateMachineRegistry(registry)
        .setOption(RaftStorage.StartupOption.RECOVER)
        .build();
    try {
      server.start();
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    node.server = server;
    node.port = server.getServerRpc().getInetSocketAddress().getPort();
  }

  void stop(String id) throws IOException {
    Node node = nodes.get(id);
    if (node.server != null) {
      RaftServer s = node.server;
      node.server = null;
      s.close();
    }
  }

  /** Stops the node and deletes its whole data directory (Raft log, snapshots, store). */
  void wipe(String id) throws IOException {
    stop(id);
    deleteTree(nodes.get(id).dir);
  }

  List<RaftPeer> peers() {
    List<RaftPeer> peers = new ArrayList<>();
    for (Node n : nodes.values()) {
      peers.add(RaftPeer.newBuilder().setId(n.id).setAddress("127.0.0.1:" + n.port).build());
    }
    return peers;
  }

  RaftGroup group(int shard) {
    return RaftGroup.valueOf(GroupIds.shard(CLUSTER, shard), peers());
  }

  /** Adds the shard group with the full peer list on every running node. */
  void addShard(int shard) throws IOException {
    for (Node n : nodes.values()) {
      if (n.server != null) {
        addGroup(n, group(shard));
      }
    }
  }

  /** Adds the shard group with the full peer list on one node. */
  void addShardOn(String id, int shard) throws IOException {
    addGroup(nodes.get(id), group(shard));
  }

  /** Adds the shard group on one node with an empty peer list: a new replica that waits for the leader. */
  void addShardAsNewReplica(String id, int shard) throws IOException {
    addGroup(nodes.get(id), RaftGroup.valueOf(GroupIds.shard(CLUSTER, shard)));
  }

  private static void addGroup(Node n, RaftGroup group) throws IOException {
    RaftClientReply reply = n.server.groupManagement(GroupManagementRequest.newAdd(
        ClientId.randomId(), n.server.getId(), CALL_IDS.incrementAndGet(), group, true));
    if (!reply.isSuccess()) {
      throw new IOException("group add failed on " + n.id + ": " + reply.getException());
    }
  }

  RaftServer.Division division(String id, int shard) {
    try {
      return nodes.get(id).server.getDivision(GroupIds.shard(CLUSTER, shard));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ShardStateMachine sm(String id, int shard) {
    return (ShardStateMachine) division(id, shard).getStateMachine();
  }

  FileShardData data(String id, int shard) {
    return (FileShardData) sm(id, shard).readBarrier(Consistency.LOCAL, 0).join();
  }

  /** The node id of the shard's leader once one is ready (has applied its first entry of the term). */
  String awaitLeader(int shard, Duration timeout) {
    String[] leader = new String[1];
    await("leader of shard " + shard, timeout, () -> {
      for (Node n : nodes.values()) {
        if (n.server == null) {
          continue;
        }
        try {
          RaftServer.Division d = n.server.getDivision(GroupIds.shard(CLUSTER, shard));
          if (d.getInfo().isLeader() && d.getInfo().isLeaderReady()) {
            leader[0] = n.id;
            return true;
          }
        } catch (IOException e) {
          // group not (yet) on this node
        }
      }
      return false;
    });
    return leader[0];
  }

  /** Forces a snapshot on one replica (creation gap 1). */
  long snapshot(String id, int shard) throws IOException {
    Node n = nodes.get(id);
    RaftClientReply reply = n.server.snapshotManagement(SnapshotManagementRequest.newCreate(ClientId.randomId(),
        n.server.getId(), GroupIds.shard(CLUSTER, shard), CALL_IDS.incrementAndGet(), 10_000, 1));
    if (!reply.isSuccess()) {
      throw new IOException("snapshot failed on " + id + ": " + reply.getException());
    }
    return reply.getLogIndex();
  }

  RaftClient client(int shard) {
    RaftProperties p = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(3, TimeUnit.SECONDS));
    RaftClient c = RaftClient.newBuilder().setRaftGroup(group(shard)).setProperties(p)
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(100,
            TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
        .build();
    clients.add(c);
    return c;
  }

  /** A cluster view over the running nodes: every shard on every node, epoch {@code epoch}. */
  ClusterView view(int shardCount, long version, long epoch) {
    Map<String, NodeAddress> addrs = new LinkedHashMap<>();
    for (Node n : nodes.values()) {
      addrs.put(n.id, new NodeAddress(n.id, "127.0.0.1", n.port, 0, 0));
    }
    List<ShardReplicas> rows = new ArrayList<>();
    for (int s = 0; s < shardCount; s++) {
      rows.add(new ShardReplicas(s, List.copyOf(nodes.keySet()), null, epoch));
    }
    return new ClusterView(CLUSTER, shardCount, nodes.size(), addrs, rows, version);
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long backoffMs = 5;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
      }
      // Polling interval of the condition, not a wait for the condition itself.
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMs));
      backoffMs = Math.min(50, backoffMs * 2);
    }
  }

  @Override
  public void close() throws IOException {
    for (RaftClient c : clients) {
      try {
        c.close();
      } catch (IOException | RuntimeException e) {
        // keep closing
      }
    }
    List<String> ids = new ArrayList<>(nodes.keySet());
    for (int i = ids.size() - 1; i >= 0; i--) {
      try {
        stop(ids.get(i));
      } catch (IOException | RuntimeException e) {
        // keep closing
      }
    }
    queryExecutor.shutdownNow();
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
