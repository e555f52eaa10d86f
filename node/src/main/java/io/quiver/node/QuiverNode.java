package io.quiver.node;

import io.quiver.flight.ClusterFlightBackend;
import io.quiver.flight.QuiverFlightServer;
import io.quiver.flight.ReadConsistency;
import io.quiver.flight.ReadOptions;
import io.quiver.flight.RemoteSummaries;
import io.quiver.flight.ShardReader;
import io.quiver.flight.StoreShards;
import io.quiver.raft.shard.Consistency;
import io.quiver.raft.BootstrapRequest;
import io.quiver.raft.ClusterMember;
import io.quiver.raft.NodeAddress;
import io.quiver.raft.RaftNode;
import io.quiver.raft.RaftNodeConfig;
import io.quiver.raft.RaftPropertiesFactory;
import io.quiver.raft.ShardStateMachineFactory;
import io.quiver.raft.route.ShardRouter;
import io.quiver.raft.route.ShardRouterConfig;
import io.quiver.raft.shard.ColumnarStores;
import io.quiver.raft.shard.ShardStateMachineContext;
import io.quiver.web.WebServer;
import io.quiver.web.WebServices;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of one node process: the Arrow root allocator, the Raft host with its shard state machines,
 * the router, the HTTP server and the Flight server. Closes them in reverse order; a second close is a no-op.
 */
final class QuiverNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QuiverNode.class);

  private final NodeConfig config;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final RaftNode raft;
  private final ShardRouter router;
  private final WebServer web;
  private final QuiverFlightServer flight;
  private boolean closed;

  private QuiverNode(NodeConfig config) throws IOException {
    this.config = config;
    try {
      BufferAllocator root = register(new RootAllocator(config.arrowMemoryBytes()));
      ExecutorService queries = register(Executors.newFixedThreadPool(
          Math.max(2, Runtime.getRuntime().availableProcessors()), named("quiver-query")), ExecutorService::shutdown);
      BufferAllocator stores = register(root.newChildAllocator("stores", 0, config.arrowMemoryBytes()));
      ColumnarStores shardStores = register(ColumnarStores.withMaintenance(stores, config.store(),
          Duration.ofMillis(config.store().maintenanceIntervalMs())));
      ShardStateMachineContext smContext = ShardStateMachineContext.of(config.clusterId(), shardStores, queries);
      this.raft = register(RaftNode.start(raftConfig(config), ShardStateMachineFactory.of(smContext)));
      this.router = register(new ShardRouter(
          ShardRouterConfig.defaults(RaftPropertiesFactory.routerClient(raft.config())), raft::clusterView));
      LocalShards local = new LocalShards(raft);
      WebServices services = WebServices.of(new ClusterIngestService(router),
              new ClusterQueryService(local, router::view, register(root.newChildAllocator("http-reads", 0,
                  config.arrowMemoryBytes() / 4)), queries))
          .withAdmin(new ClusterAdminService(raft.admin()))
          .withReadiness(() -> CompletableFuture.completedFuture(raft.lastKnownState().bootstrapped()
              ? Optional.empty() : Optional.of("cluster not bootstrapped or metadata group unreachable")))
          .withMetrics(List.of(new NodeMetrics(raft, local, router, shardStores)));
      this.web = register(WebServer.create(new VertxOptions(), config.web(), services));
      web.start(config.address().httpPort()).get(30, TimeUnit.SECONDS);
      RemoteSummaries remote = new RemoteSummaries(root, queries, config.flight().backendTimeoutMs());
      register(remote);
      ClusterFlightBackend.LocalReplicas replicas = new ClusterFlightBackend.LocalReplicas() {
        @Override
        public boolean hosts(int shard) {
          return local.hosts(shard);
        }

        @Override
        public CompletableFuture<ShardReader> readBarrier(int shard, ReadOptions o) {
          Consistency c = o.consistency() == ReadConsistency.LINEARIZABLE ? Consistency.LINEARIZABLE
              : Consistency.BOUNDED_STALENESS;
          return local.read(shard, c, o.maxStalenessMs()).thenApply(StoreShards::reader);
        }
      };
      ClusterFlightBackend backend = new ClusterFlightBackend(config.address().nodeId(),
          () -> router.view().join(), replicas, ClusterFlightBackend.routerWriter(router), remote);
      this.flight = register(QuiverFlightServer.builder(root, backend)
          .host(config.address().host())
          .port(config.address().flightPort())
          .config(config.flight())
          .labelLimits(config.web().labelLimits())
          .start());
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    } catch (Exception e) {
      close();
      throw new IOException("node start failed [node=" + config.address().nodeId() + "]", e);
    }
    LOG.info("node started [node={}, raft={}, http={}, flight={}, data={}]", config.address().nodeId(),
        raft.address().raftAddress(), config.address().httpUrl(), config.address().flightUri(), config.dataDir());
  }

  /** Starts a node; if it is the first member of {@code --initial-cluster}, bootstraps the cluster in the background. */
  static QuiverNode start(NodeConfig config) throws IOException {
    QuiverNode node = new QuiverNode(config);
    if (!config.initialCluster().isEmpty()
        && config.initialCluster().get(0).nodeId().equals(config.address().nodeId())) {
      node.bootstrapInBackground();
    }
    return node;
  }

  private void bootstrapInBackground() {
    List<ClusterMember> members = new ArrayList<>();
    List<NodeAddress> initial = config.initialCluster();
    for (int i = 0; i < initial.size(); i++) {
      NodeAddress m = initial.get(i);
      String zone = m.nodeId().equals(config.address().nodeId()) ? config.zone() : "zone-" + ((i % 3) + 1);
      members.add(new ClusterMember(m, zone));
    }
    BootstrapRequest request = new BootstrapRequest(members, config.shards(), config.rf());
    Thread t = new Thread(() -> bootstrapUntilDone(request), "quiver-bootstrap");
    t.setDaemon(true);
    t.start();
  }

  /** Retries bootstrap (idempotent) until every member answered or the node closes; bounded by the close. */
  private void bootstrapUntilDone(BootstrapRequest request) {
    long backoffMs = 200;
    for (int attempt = 1; !isClosed(); attempt++) {
      try {
        raft.bootstrap(request).get(120, TimeUnit.SECONDS);
        LOG.info("cluster bootstrapped [shards={}, rf={}, members={}]", request.shardCount(),
            request.replicationFactor(), request.members().size());
        return;
      } catch (Exception e) {
        Throwable c = e.getCause() != null ? e.getCause() : e;
        if (c instanceof io.quiver.raft.RaftException re
            && re.code() == io.quiver.raft.ErrorCode.ALREADY_BOOTSTRAPPED) {
          LOG.info("cluster already bootstrapped");
          return;
        }
        LOG.info("bootstrap attempt failed, retrying [attempt={}, cause={}]", attempt, c.toString());
        try {
          Thread.sleep(backoffMs); // retry backoff, not a wait for a condition
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        backoffMs = Math.min(2_000, backoffMs * 2);
      }
    }
  }

  private static RaftNodeConfig raftConfig(NodeConfig c) {
    List<NodeAddress> seeds = new ArrayList<>(c.seeds());
    for (NodeAddress m : c.initialCluster()) {
      if (!m.nodeId().equals(c.address().nodeId())) {
        seeds.add(m);
      }
    }
    return new RaftNodeConfig(c.address().nodeId(), c.address().host(), c.address().raftPort(),
        c.address().httpPort(), c.address().flightPort(), c.dataDir(), c.zone(), c.clusterId(), seeds,
        RaftNodeConfig.Timeouts.production());
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  private <T extends AutoCloseable> T register(T c) {
    closeables.add(c);
    return c;
  }

  private <T> T register(T c, java.util.function.Consumer<T> closer) {
    closeables.add(() -> closer.accept(c));
    return c;
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        LOG.warn("close failed [component={}, cause={}]", closeables.get(i), e.toString());
      }
    }
  }
}
