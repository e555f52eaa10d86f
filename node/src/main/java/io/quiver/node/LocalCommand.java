package io.quiver.node;

import io.quiver.raft.NodeAddress;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quiver local}: a local cluster of separate node processes on loopback, for trying Quiver out and for
 * scripts. Node i (1-based) listens on HTTP {@code P+10*(i-1)}, Flight {@code +1}, Raft {@code +2} when
 * {@code --base-port P} is given. Once every shard has a leader it prints one line per node and then {@code ready};
 * Ctrl-C or SIGTERM stops every node it started.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
    description = "Start a local cluster of separate node processes on 127.0.0.1.")
final class LocalCommand implements Callable<Integer> {
  @Option(names = "--nodes", description = "Number of nodes (default: ${DEFAULT-VALUE}).", defaultValue = "3")
  int nodes;

  @Option(names = "--shards", description = "Number of shards (default: ${DEFAULT-VALUE}).", defaultValue = "16")
  int shards;

  @Option(names = "--rf", description = "Replicas per shard (default: ${DEFAULT-VALUE}).", defaultValue = "3")
  int rf;

  @Option(names = "--data", description = "Data directory, one sub-directory per node (default: ${DEFAULT-VALUE}).",
      defaultValue = "data")
  Path data;

  @Option(names = "--base-port", description = "Node i uses P+10*(i-1) for HTTP, +1 Flight, +2 Raft "
      + "(default: free ports).", defaultValue = "0")
  int basePort;

  @Option(names = "--no-demo", description = "Do not load the demo data set.")
  boolean noDemo;

  @Option(names = "--ready-timeout-s", description = "Seconds to wait for every shard to elect a leader "
      + "(default: ${DEFAULT-VALUE}).", defaultValue = "150")
  int readyTimeoutS;

  @Option(names = "--node-heap", description = "Max heap of each node process, or auto: a quarter of the machine's "
      + "memory shared by the nodes, 512 MiB to 2 GiB each (default: ${DEFAULT-VALUE}).", defaultValue = "auto")
  String nodeHeap;

  @Option(names = "--jit", defaultValue = "auto", description = "JIT compilers of the node processes: auto (C1 only "
      + "when the machine has fewer than 2 cores per node, else tiered), c1 or tiered (default: ${DEFAULT-VALUE}).")
  NodeJit jit;

  @Override
  public Integer call() throws Exception {
    if (nodes < 1 || rf < 1 || rf > nodes) {
      System.err.println("quiver local: need 1 <= rf <= nodes [nodes=" + nodes + ", rf=" + rf + "]");
      return 2;
    }
    LocalCluster cluster = LocalCluster.start(new LocalCluster.Spec(nodes, shards, rf, data, basePort, nodeHeap, jit));
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "quiver-local-stop"));
    String notReady = cluster.awaitReady(Duration.ofSeconds(readyTimeoutS));
    if (!notReady.isEmpty()) {
      System.err.println("quiver local: " + notReady);
      return 1;
    }
    List<NodeAddress> members = cluster.members();
    PrintStream out = System.out;
    if (!noDemo) {
      DemoData.load(members.get(0).httpUrl(), out);
    }
    out.println(cluster.jitLine());
    for (NodeAddress m : members) {
      out.println("node " + m.nodeId() + " http=" + m.httpUrl() + " flight=" + m.flightUri());
    }
    out.println("ui=" + members.get(0).httpUrl() + "/ logs=" + data.toAbsolutePath());
    if (!noDemo) {
      DemoData.printReadSnippets(members.get(0), out);
    }
    out.println("ready");
    out.flush();
    cluster.waitFor();
    return 0;
  }
}
