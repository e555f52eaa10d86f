package io.quiver.node;

import java.lang.management.ManagementFactory;

/**
 * The {@code -Xmx} of the node processes a local cluster starts ({@code --node-heap}). {@code auto} gives the nodes
 * together a quarter of the machine's memory, as the JVM's own default gives one process, between 512 MiB and 2 GiB
 * each. A node's heads budget is a quarter of its heap ({@code quiver.store.heads.max.bytes}), so a larger heap
 * seals fewer, larger segments; 1 GiB nodes sealed during a 30 s {@code bench raft} and their seals, which run on
 * the apply threads, showed in its tail latency (docs/benchmarks.md, Raft, session 9).
 */
final class NodeHeap {
  static final String AUTO = "auto";
  static final long MIN_MIB = 512;
  static final long MAX_MIB = 2048;

  private NodeHeap() {}

  /** {@code spec} itself, or for {@code auto} the heap of each of {@code nodes} nodes on this machine. */
  static String resolve(String spec, int nodes) {
    return resolve(spec, nodes, totalMemoryBytes());
  }

  /** As {@link #resolve(String, int)} for a machine of {@code totalBytes} (0 if unknown: 1 GiB each). */
  static String resolve(String spec, int nodes, long totalBytes) {
    if (!AUTO.equals(spec)) {
      return spec;
    }
    if (totalBytes <= 0) {
      return "1024m";
    }
    long mib = totalBytes / 4 / Math.max(1, nodes) >> 20;
    return Math.max(MIN_MIB, Math.min(MAX_MIB, mib)) + "m";
  }

  private static long totalMemoryBytes() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return 0;
  }
}
