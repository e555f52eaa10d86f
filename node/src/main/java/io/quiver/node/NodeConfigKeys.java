package io.quiver.node;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every setting of a node process itself: key, default, one-line doc and a typed reader. The other modules own
 * their keys ({@code quiver.web.*} in {@code WebConfigKeys}, {@code quiver.store.*} in {@code StoreConfigKeys});
 * {@link NodeConfig} reads them all from one merged map: defaults, then the {@code --config} file, then
 * {@code QUIVER_*} environment variables, then command-line flags.
 */
final class NodeConfigKeys {
  private NodeConfigKeys() {}

  /** One setting. */
  record Key<T>(String name, String defaultValue, String doc, Function<String, T> parser) {
    /** The typed value in {@code props}, or the default; names the key in the error. */
    T get(Map<String, String> props) {
      String raw = props.getOrDefault(name, defaultValue);
      if (raw == null) {
        throw new IllegalArgumentException("missing setting [key=" + name + "]");
      }
      try {
        return parser.apply(raw.trim());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("invalid setting [key=" + name + ", value=" + raw + "]", e);
      }
    }

    /** The environment variable that sets this key: {@code quiver.node.http-port} is {@code QUIVER_NODE_HTTP_PORT}. */
    String envName() {
      return name.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
  }

  static final Key<String> NODE_ID = new Key<>("quiver.node.id", null,
      "Stable node identity, also its Raft peer id (required).", s -> s);
  static final Key<String> HOST = new Key<>("quiver.node.host", "127.0.0.1",
      "Host the node binds and advertises for Raft, HTTP and Flight.", s -> s);
  static final Key<String> ZONE = new Key<>("quiver.node.zone", "default",
      "Failure domain (rack, availability zone) used to spread replicas.", s -> s);
  static final Key<Path> DATA_DIR = new Key<>("quiver.node.data-dir", "data",
      "Data directory: Raft logs, snapshots, shard stores, node identity.", Path::of);
  static final Key<Integer> RAFT_PORT = new Key<>("quiver.node.raft-port", "8482",
      "Port of the node's single Raft server (all groups).", Integer::parseInt);
  static final Key<Integer> HTTP_PORT = new Key<>("quiver.node.http-port", "8480",
      "Port of the HTTP API: ingestion, read-back, admin, /metrics.", Integer::parseInt);
  static final Key<Integer> FLIGHT_PORT = new Key<>("quiver.node.flight-port", "8481",
      "Port of the Arrow Flight server.", Integer::parseInt);
  static final Key<String> CLUSTER_ID = new Key<>("quiver.cluster.id", "quiver",
      "Cluster name; part of every Raft group id, so all nodes of a cluster must agree.", s -> s);
  static final Key<String> INITIAL_CLUSTER = new Key<>("quiver.cluster.initial", "",
      "Members of a new cluster, id@host:raftPort:httpPort:flightPort comma separated; the first bootstraps it. "
          + "Ignored once the cluster exists.", s -> s);
  static final Key<String> SEEDS = new Key<>("quiver.cluster.seeds", "",
      "Members of a running cluster to join through, same format as quiver.cluster.initial.", s -> s);
  static final Key<Integer> SHARDS = new Key<>("quiver.cluster.shards", "16",
      "Number of shards of a new cluster (1..1024), fixed at creation.", Integer::parseInt);
  static final Key<Integer> RF = new Key<>("quiver.cluster.rf", "3",
      "Replicas per shard of a new cluster.", Integer::parseInt);
  static final Key<Long> ARROW_MEMORY_BYTES = new Key<>("quiver.node.arrow-memory-bytes",
      Long.toString(2L << 30), "Limit of the node's Arrow root allocator (off-heap buffers of reads and heads).",
      Long::parseLong);

  /** Every key of this class, for docs/configuration.md and validation. */
  static final List<Key<?>> ALL = List.of(NODE_ID, HOST, ZONE, DATA_DIR, RAFT_PORT, HTTP_PORT, FLIGHT_PORT,
      CLUSTER_ID, INITIAL_CLUSTER, SEEDS, SHARDS, RF, ARROW_MEMORY_BYTES);
}
