package io.quiver.node;

import io.quiver.columnar.StoreConfig;
import io.quiver.columnar.StoreConfigKeys;
import io.quiver.flight.FlightConfig;
import io.quiver.flight.FlightConfigKeys;
import io.quiver.raft.NodeAddress;
import io.quiver.web.WebConfig;
import io.quiver.web.WebConfigKeys;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The effective configuration of one node process, validated once at startup and logged in full.
 *
 * @param address the node's id and advertised addresses
 * @param zone failure domain
 * @param dataDir data directory
 * @param clusterId cluster name
 * @param initialCluster members of a new cluster (empty when joining or restarting)
 * @param seeds members to join through (empty when bootstrapping or restarting)
 * @param shards shard count of a new cluster
 * @param rf replicas per shard of a new cluster
 * @param arrowMemoryBytes Arrow root allocator limit
 * @param web web module settings
 * @param store columnar store settings
 * @param flight Arrow Flight server settings
 * @param raw every setting as merged (for the startup log)
 */
record NodeConfig(
    NodeAddress address,
    String zone,
    Path dataDir,
    String clusterId,
    List<NodeAddress> initialCluster,
    List<NodeAddress> seeds,
    int shards,
    int rf,
    long arrowMemoryBytes,
    WebConfig web,
    StoreConfig store,
    FlightConfig flight,
    Map<String, String> raw) {

  /**
   * Merges defaults, the optional properties file, {@code QUIVER_*} environment variables and flags (in that order
   * of precedence, last wins) and validates the result.
   */
  static NodeConfig load(Path file, Map<String, String> env, Map<String, String> flags) throws IOException {
    Map<String, String> merged = new TreeMap<>();
    if (file != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      }
      p.stringPropertyNames().forEach(k -> merged.put(k, p.getProperty(k)));
    }
    for (NodeConfigKeys.Key<?> key : NodeConfigKeys.ALL) {
      String v = env.get(key.envName());
      if (v != null) {
        merged.put(key.name(), v);
      }
    }
    merged.putAll(flags);
    return of(merged);
  }

  /** Validates a merged map of settings. */
  static NodeConfig of(Map<String, String> settings) {
    Map<String, String> merged = new TreeMap<>(settings);
    String id = NodeConfigKeys.NODE_ID.get(merged);
    String host = NodeConfigKeys.HOST.get(merged);
    // The HTTP server binds where the node binds unless told otherwise: a loopback node stays on loopback.
    merged.putIfAbsent(WebConfigKeys.BIND_HOST.name(), host);
    NodeAddress address = new NodeAddress(id, host, NodeConfigKeys.RAFT_PORT.get(merged),
        NodeConfigKeys.HTTP_PORT.get(merged), NodeConfigKeys.FLIGHT_PORT.get(merged));
    String initial = NodeConfigKeys.INITIAL_CLUSTER.get(merged);
    String seeds = NodeConfigKeys.SEEDS.get(merged);
    int shards = NodeConfigKeys.SHARDS.get(merged);
    int rf = NodeConfigKeys.RF.get(merged);
    if (shards < 1 || shards > 1024) {
      throw new IllegalArgumentException("shard count out of range [key=quiver.cluster.shards, value=" + shards + "]");
    }
    if (rf < 1) {
      throw new IllegalArgumentException("replication factor must be positive [key=quiver.cluster.rf, value=" + rf
          + "]");
    }
    return new NodeConfig(address, NodeConfigKeys.ZONE.get(merged), NodeConfigKeys.DATA_DIR.get(merged),
        NodeConfigKeys.CLUSTER_ID.get(merged), initial.isBlank() ? List.of() : MemberSpec.parse(initial),
        seeds.isBlank() ? List.of() : MemberSpec.parse(seeds), shards, rf,
        NodeConfigKeys.ARROW_MEMORY_BYTES.get(merged), WebConfigKeys.read(merged), StoreConfigKeys.read(merged),
        FlightConfigKeys.read(merged), Map.copyOf(merged));
  }
}
