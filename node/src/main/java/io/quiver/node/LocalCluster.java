package io.quiver.node;

import io.quiver.raft.NodeAddress;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Node processes on loopback started from this JVM's own class path: the engine behind {@code quiver local} and
 * {@code quiver bench raft}. Node i (1-based) listens on HTTP {@code P+10*(i-1)}, Flight {@code +1}, Raft {@code +2}
 * when a base port P is given, else on free ports. {@link #close()} stops every process it started.
 */
final class LocalCluster implements AutoCloseable {
  static final String HOST = "127.0.0.1";

  /**
   * What to start.
   *
   * @param nodes node processes
   * @param shards shard count of the new cluster
   * @param rf replicas per shard
   * @param data data directory, one sub-directory per node
   * @param basePort first port, or 0 for free ports
   * @param nodeHeap {@code -Xmx} of each node, or {@code auto} ({@link NodeHeap}), resolved for this machine
   * @param jit JIT compilers of the node processes, resolved for this machine
   */
  record Spec(int nodes, int shards, int rf, Path data, int basePort, String nodeHeap, NodeJit jit) {
    Spec {
      jit = jit.resolve(nodes, Runtime.getRuntime().availableProcessors());
      nodeHeap = NodeHeap.resolve(nodeHeap, nodes);
    }
  }

  private final Spec spec;
  private final List<NodeAddress> members;
  private final List<Process> processes = new ArrayList<>();

  private LocalCluster(Spec spec, List<NodeAddress> members) {
    this.spec = spec;
    this.members = members;
  }

  /** Launches every node; the caller awaits readiness with {@link #awaitReady}. */
  static LocalCluster start(Spec spec) throws IOException {
    if (spec.nodes() < 1 || spec.rf() < 1 || spec.rf() > spec.nodes()) {
      throw new IllegalArgumentException("need 1 <= rf <= nodes [nodes=" + spec.nodes() + ", rf=" + spec.rf() + "]");
    }
    Files.createDirectories(spec.data());
    LocalCluster c = new LocalCluster(spec, members(spec));
    try {
      for (NodeAddress m : c.members) {
        Process p = c.launch(m);
        synchronized (c.processes) {
          c.processes.add(p);
        }
      }
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** One line saying which JIT and heap the nodes run and why, for the commands' banners. */
  String jitLine() {
    int cores = Runtime.getRuntime().availableProcessors();
    return "jit=" + spec.jit().cliName() + " heap=" + spec.nodeHeap() + " (node JVMs; " + cores + " cores for "
        + spec.nodes() + " node processes; --jit c1|tiered and --node-heap override)";
  }

  /** The nodes, in order n1..nN. */
  List<NodeAddress> members() {
    return members;
  }

  /** The node log of {@code m}. */
  Path logFile(NodeAddress m) {
    return spec.data().resolve(m.nodeId()).resolve("node.log");
  }

  /**
   * Polls n1's admin API until every shard has a leader.
   *
   * @return empty when ready, else why not (a node exited, or the timeout passed)
   */
  String awaitReady(Duration timeout) throws InterruptedException {
    StatusClient client = new StatusClient(members.get(0).httpUrl(), Duration.ofSeconds(5));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!client.allShardsLed()) {
      for (int i = 0; i < processes.size(); i++) {
        if (!processes.get(i).isAlive()) {
          return "node " + members.get(i).nodeId() + " exited with code " + processes.get(i).exitValue() + "; see "
              + logFile(members.get(i));
        }
      }
      if (System.nanoTime() > deadline) {
        return "shards without leader after " + timeout.toSeconds() + " s; logs under " + spec.data();
      }
      TimeUnit.MILLISECONDS.sleep(250); // polling an external process: there is no event to await
    }
    return "";
  }

  /** CPU time (user + system) the node processes used so far; exited nodes count as zero. */
  Duration nodesCpu() {
    Duration total = Duration.ZERO;
    synchronized (processes) {
      for (Process p : processes) {
        total = total.plus(p.info().totalCpuDuration().orElse(Duration.ZERO));
      }
    }
    return total;
  }

  /** Sends SIGKILL to node {@code nodeId} (no shutdown hooks, no flush: a crash). */
  void kill(String nodeId) throws InterruptedException {
    Process p = processes.get(indexOf(nodeId));
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
  }

  /** Waits for every node process to exit. */
  void waitFor() throws InterruptedException {
    for (Process p : processes) {
      p.waitFor();
    }
  }

  private int indexOf(String nodeId) {
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).nodeId().equals(nodeId)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no such node [node=" + nodeId + "]");
  }

  /** Stops every node: SIGTERM, up to 20 s of grace, then SIGKILL. Safe to call twice and from a shutdown hook. */
  @Override
  public void close() {
    List<Process> all;
    synchronized (processes) {
      all = List.copyOf(processes);
    }
    for (Process p : all) {
      p.destroy();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (Process p : all) {
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

  private static List<NodeAddress> members(Spec spec) throws IOException {
    List<NodeAddress> members = new ArrayList<>();
    int[] free = spec.basePort() > 0 ? new int[0] : freePorts(3 * spec.nodes());
    for (int i = 1; i <= spec.nodes(); i++) {
      if (spec.basePort() > 0) {
        int p = spec.basePort() + 10 * (i - 1);
        members.add(new NodeAddress("n" + i, HOST, p + 2, p, p + 1));
      } else {
        int k = 3 * (i - 1);
        members.add(new NodeAddress("n" + i, HOST, free[k + 2], free[k], free[k + 1]));
      }
    }
    return members;
  }

  private Process launch(NodeAddress self) throws IOException {
    Path dir = spec.data().resolve(self.nodeId());
    Files.createDirectories(dir);
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    cmd.add("-Xmx" + spec.nodeHeap());
    cmd.addAll(spec.jit().jvmOptions());
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
    cmd.add("--shards=" + spec.shards());
    cmd.add("--rf=" + spec.rf());
    cmd.add("--initial-cluster=" + MemberSpec.format(members));
    File log = logFile(self).toFile();
    Process p = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
    return p;
  }

  /** Distinct free ports: all sockets are held open together so the kernel cannot hand out one twice. */
  static int[] freePorts(int count) throws IOException {
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
