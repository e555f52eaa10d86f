package io.quiver.node;

import io.quiver.raft.NodeAddress;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
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
  private static final String HOST = "127.0.0.1";

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

  @Option(names = "--node-heap", description = "Max heap of each node process (default: ${DEFAULT-VALUE}).",
      defaultValue = "1g")
  String nodeHeap;

  @Override
  public Integer call() throws Exception {
    if (nodes < 1 || rf < 1 || rf > nodes) {
      System.err.println("quiver local: need 1 <= rf <= nodes [nodes=" + nodes + ", rf=" + rf + "]");
      return 2;
    }
    List<NodeAddress> members = members();
    Files.createDirectories(data);
    List<Process> processes = new ArrayList<>();
    Thread stopper = new Thread(() -> stopAll(processes), "quiver-local-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    for (NodeAddress m : members) {
      processes.add(launch(m, members));
    }
    PrintStream out = System.out;
    StatusClient client = new StatusClient(members.get(0).httpUrl(), Duration.ofSeconds(5));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(readyTimeoutS);
    while (!client.allShardsLed()) {
      for (int i = 0; i < processes.size(); i++) {
        if (!processes.get(i).isAlive()) {
          System.err.println("quiver local: node " + members.get(i).nodeId() + " exited with code "
              + processes.get(i).exitValue() + "; see " + logFile(members.get(i)));
          return 1;
        }
      }
      if (System.nanoTime() > deadline) {
        System.err.println("quiver local: shards without leader after " + readyTimeoutS + " s; logs under " + data);
        return 1;
      }
      TimeUnit.MILLISECONDS.sleep(250); // polling an external process: there is no event to await
    }
    if (!noDemo) {
      DemoData.load(members.get(0).httpUrl(), out);
    }
    for (NodeAddress m : members) {
      out.println("node " + m.nodeId() + " http=" + m.httpUrl() + " flight=" + m.flightUri());
    }
    out.println("ui=" + members.get(0).httpUrl() + "/ logs=" + data.toAbsolutePath());
    if (!noDemo) {
      DemoData.printReadSnippets(members.get(0), out);
    }
    out.println("ready");
    out.flush();
    for (Process p : processes) {
      p.waitFor();
    }
    return 0;
  }

  private List<NodeAddress> members() throws IOException {
    List<NodeAddress> members = new ArrayList<>();
    int[] free = basePort > 0 ? new int[0] : freePorts(3 * nodes);
    for (int i = 1; i <= nodes; i++) {
      if (basePort > 0) {
        int p = basePort + 10 * (i - 1);
        members.add(new NodeAddress("n" + i, HOST, p + 2, p, p + 1));
      } else {
        int k = 3 * (i - 1);
        members.add(new NodeAddress("n" + i, HOST, free[k + 2], free[k], free[k + 1]));
      }
    }
    return members;
  }

  private Process launch(NodeAddress self, List<NodeAddress> members) throws IOException {
    Path dir = data.resolve(self.nodeId());
    Files.createDirectories(dir);
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    cmd.add("-Xmx" + nodeHeap);
    String extra = System.getenv("QUIVER_NODE_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) {
      cmd.addAll(List.of(extra.trim().split("\\s+")));
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.add("node");
    cmd.add("--id=" + self.nodeId());
    cmd.add("--host=" + self.host());
    cmd.add("--raft-port=" + self.raftPort());
    cmd.add("--http-port=" + self.httpPort());
    cmd.add("--flight-port=" + self.flightPort());
    cmd.add("--data=" + dir.toAbsolutePath());
    cmd.add("--zone=zone-" + ((members.indexOf(self) % 3) + 1));
    cmd.add("--shards=" + shards);
    cmd.add("--rf=" + rf);
    cmd.add("--initial-cluster=" + MemberSpec.format(members));
    File log = logFile(self).toFile();
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
  }

  private Path logFile(NodeAddress m) {
    return data.resolve(m.nodeId()).resolve("node.log");
  }

  /** Stops every node: SIGTERM, up to 20 s of grace, then SIGKILL. Safe to call twice. */
  private static void stopAll(List<Process> processes) {
    for (Process p : processes) {
      p.destroy();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (Process p : processes) {
      try {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Distinct free ports: all sockets are held open together so the kernel cannot hand out one twice. */
  private static int[] freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST));
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }
}
