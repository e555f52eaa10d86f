package io.quiver.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The CLI commands that drive a running cluster through any node's admin API. */
final class AdminCommands {
  private AdminCommands() {}

  /** Options every admin command shares. */
  static class Target {
    @Option(names = "--url", description = "HTTP URL of any node (default: ${DEFAULT-VALUE}).",
        defaultValue = "http://127.0.0.1:8480")
    String url;

    @Option(names = "--timeout-s", description = "Request timeout in seconds (default: ${DEFAULT-VALUE}).",
        defaultValue = "30")
    int timeoutS;

    StatusClient client() {
      return new StatusClient(url, Duration.ofSeconds(timeoutS));
    }
  }

  /** Prints an admin answer; 2xx exits 0, anything else prints the error JSON and exits 1. */
  static int report(HttpResponse<String> r, PrintStream out) {
    if (r.statusCode() / 100 == 2) {
      out.println(r.body().isEmpty() ? "ok" : r.body());
      return 0;
    }
    System.err.println("HTTP " + r.statusCode() + ": " + r.body());
    return 1;
  }

  /** {@code quiver status}. */
  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Print nodes and shards; exit 1 if any shard lacks quorum, 2 if the node cannot be reached.")
  static final class Status extends Target implements Callable<Integer> {
    @Option(names = "--json", description = "Print the raw JSON document.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
      JsonObject s;
      try {
        s = client().status();
      } catch (IOException e) {
        System.err.println("quiver status: " + url + " unreachable or failing: " + e.getMessage());
        return 2;
      }
      if (json) {
        System.out.println(s.encodePrettily());
      } else {
        print(s, System.out);
      }
      return quorumEverywhere(s) ? 0 : 1;
    }

    static boolean quorumEverywhere(JsonObject s) {
      JsonArray shards = s.getJsonArray("shards", new JsonArray());
      for (int i = 0; i < shards.size(); i++) {
        if (!shards.getJsonObject(i).getBoolean("hasQuorum", false)) {
          return false;
        }
      }
      return !shards.isEmpty();
    }

    static void print(JsonObject s, PrintStream out) {
      JsonObject meta = s.getJsonObject("metadata", new JsonObject());
      out.printf("cluster %s  metadata leader %s  voters %s%n", s.getString("clusterId"),
          meta.getString("leader"), meta.getJsonArray("voters"));
      out.printf("%-8s %-8s %-10s %-8s %-8s %s%n", "NODE", "ORDINAL", "STATE", "ZONE", "REPLICAS", "HTTP");
      JsonArray nodes = s.getJsonArray("nodes", new JsonArray());
      for (int i = 0; i < nodes.size(); i++) {
        JsonObject n = nodes.getJsonObject(i);
        out.printf("%-8s %-8d %-10s %-8s %-8d %s%n", n.getString("id"), n.getLong("ordinal"), n.getString("state"),
            n.getString("zone"), n.getInteger("replicas"), n.getString("http"));
      }
      out.printf("%-6s %-6s %-8s %-7s %-12s %s%n", "SHARD", "EPOCH", "LEADER", "QUORUM", "COMMIT", "REPLICAS "
          + "(node:role applied lag)");
      JsonArray shards = s.getJsonArray("shards", new JsonArray());
      for (int i = 0; i < shards.size(); i++) {
        JsonObject sh = shards.getJsonObject(i);
        StringBuilder members = new StringBuilder();
        JsonArray ms = sh.getJsonArray("members", new JsonArray());
        for (int k = 0; k < ms.size(); k++) {
          JsonObject m = ms.getJsonObject(k);
          members.append(m.getString("node")).append(':').append(m.getString("role").toLowerCase(java.util.Locale.ROOT))
              .append(' ').append(m.getLong("appliedIndex")).append(' ').append(m.getLong("lag")).append("  ");
        }
        out.printf("%-6d %-6d %-8s %-7s %-12d %s%n", sh.getInteger("shard"), sh.getLong("epoch"),
            sh.getString("leader") == null ? "-" : sh.getString("leader"), sh.getBoolean("hasQuorum") ? "yes" : "NO",
            sh.getLong("commitIndex"), members.toString().trim());
      }
      JsonArray moves = s.getJsonArray("moves", new JsonArray());
      for (int i = 0; i < moves.size(); i++) {
        JsonObject m = moves.getJsonObject(i);
        out.printf("move %d shard %d %s -> %s %s %s%n", m.getLong("id"), m.getInteger("shard"), m.getString("from"),
            m.getString("to"), m.getString("kind"), m.getString("state"));
      }
    }
  }

  /** {@code quiver move-shard}. */
  @Command(name = "move-shard", mixinStandardHelpOptions = true,
      description = "Move one replica of a shard to another node (writes continue).")
  static final class MoveShard extends Target implements Callable<Integer> {
    @Option(names = "--shard", required = true, description = "Shard number.")
    int shard;

    @Option(names = "--to", required = true, description = "Target node id.")
    String to;

    @Option(names = "--from", description = "Source node id (default: chosen by the cluster).")
    String from;

    @Override
    public Integer call() throws IOException, InterruptedException {
      JsonObject body = new JsonObject().put("to", to);
      if (from != null) {
        body.put("from", from);
      }
      return report(client().send("POST", "/api/admin/shards/" + shard + "/move", body.encode()), System.out);
    }
  }

  /** {@code quiver add-node}. */
  @Command(name = "add-node", mixinStandardHelpOptions = true,
      description = "Register a new node (started with --seeds) so replicas rebalance onto it.")
  static final class AddNode extends Target implements Callable<Integer> {
    @Option(names = "--id", required = true, description = "Node id.")
    String id;

    @Option(names = "--raft", required = true, description = "Raft address host:port.")
    String raft;

    @Option(names = "--http", required = true, description = "HTTP address host:port.")
    String http;

    @Option(names = "--flight", required = true, description = "Flight address host:port.")
    String flight;

    @Option(names = "--zone", description = "Zone (default: ${DEFAULT-VALUE}).", defaultValue = "default")
    String zone;

    @Override
    public Integer call() throws IOException, InterruptedException {
      JsonObject body = new JsonObject().put("id", id).put("raft", raft).put("http", http).put("flight", flight)
          .put("zone", zone);
      return report(client().send("POST", "/api/admin/nodes", body.encode()), System.out);
    }
  }

  /** {@code quiver decommission}. */
  @Command(name = "decommission", mixinStandardHelpOptions = true,
      description = "Drain a node: move its replicas away, then mark it removed.")
  static final class Decommission extends Target implements Callable<Integer> {
    @Parameters(index = "0", description = "Node id.")
    String node;

    @Override
    public Integer call() throws IOException, InterruptedException {
      return report(client().send("POST", "/api/admin/nodes/" + node + "/decommission", "{}"), System.out);
    }
  }
}
