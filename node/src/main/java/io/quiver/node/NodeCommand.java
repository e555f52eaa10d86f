package io.quiver.node;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quiver node}: runs one node until SIGTERM/Ctrl-C. Settings come from defaults, {@code --config}, the
 * environment ({@code QUIVER_NODE_ID}, ...) and flags, last wins; {@code --set key=value} reaches any key of any
 * module (see docs/configuration.md).
 */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Run one Quiver node.")
final class NodeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(NodeCommand.class);

  @Option(names = "--config", description = "Properties file with settings.")
  Path configFile;

  @Option(names = "--id", description = "Node id (quiver.node.id).")
  String id;

  @Option(names = "--host", description = "Host to bind and advertise (quiver.node.host).")
  String host;

  @Option(names = "--zone", description = "Failure domain (quiver.node.zone).")
  String zone;

  @Option(names = "--data", description = "Data directory (quiver.node.data-dir).")
  String data;

  @Option(names = "--raft-port", description = "Raft port (quiver.node.raft-port).")
  Integer raftPort;

  @Option(names = "--http-port", description = "HTTP port (quiver.node.http-port).")
  Integer httpPort;

  @Option(names = "--flight-port", description = "Arrow Flight port (quiver.node.flight-port).")
  Integer flightPort;

  @Option(names = "--cluster-id", description = "Cluster name (quiver.cluster.id).")
  String clusterId;

  @Option(names = "--initial-cluster", description = "Members of a new cluster: id@host:raft:http:flight,...")
  String initialCluster;

  @Option(names = "--seeds", description = "Members of a running cluster to join through, same format.")
  String seeds;

  @Option(names = "--shards", description = "Shards of a new cluster (quiver.cluster.shards).")
  Integer shards;

  @Option(names = "--rf", description = "Replicas per shard of a new cluster (quiver.cluster.rf).")
  Integer rf;

  @Option(names = "--set", description = "Any setting, key=value (repeatable).")
  Map<String, String> settings = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    Map<String, String> flags = new LinkedHashMap<>(settings);
    put(flags, NodeConfigKeys.NODE_ID, id);
    put(flags, NodeConfigKeys.HOST, host);
    put(flags, NodeConfigKeys.ZONE, zone);
    put(flags, NodeConfigKeys.DATA_DIR, data);
    put(flags, NodeConfigKeys.RAFT_PORT, raftPort);
    put(flags, NodeConfigKeys.HTTP_PORT, httpPort);
    put(flags, NodeConfigKeys.FLIGHT_PORT, flightPort);
    put(flags, NodeConfigKeys.CLUSTER_ID, clusterId);
    put(flags, NodeConfigKeys.INITIAL_CLUSTER, initialCluster);
    put(flags, NodeConfigKeys.SEEDS, seeds);
    put(flags, NodeConfigKeys.SHARDS, shards);
    put(flags, NodeConfigKeys.RF, rf);
    NodeConfig config;
    try {
      config = NodeConfig.load(configFile, System.getenv(), flags);
    } catch (IllegalArgumentException e) {
      System.err.println("quiver node: " + e.getMessage() + (e.getCause() != null ? ": " + e.getCause().getMessage()
          : ""));
      return 2;
    }
    LOG.info("effective configuration {}", config.raw());
    CountDownLatch stopped = new CountDownLatch(1);
    QuiverNode node = QuiverNode.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      stopped.countDown();
    }, "quiver-node-stop"));
    stopped.await();
    return 0;
  }

  private static void put(Map<String, String> flags, NodeConfigKeys.Key<?> key, Object value) {
    if (value != null) {
      flags.put(key.name(), value.toString());
    }
  }
}
