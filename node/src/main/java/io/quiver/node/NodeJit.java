package io.quiver.node;

import java.util.List;
import java.util.Locale;

/**
 * Which JIT compilers the node processes of a local cluster ({@code quiver local}, {@code quiver bench raft}) run
 * with. A production node started by {@code quiver node} is not affected: it keeps the JVM's default tiered
 * compilation (C1, then C2 for hot code).
 *
 * <p>Why a local cluster may want C1 alone: its N node JVMs share one machine, and each one's C2 compiler works
 * through the same Ratis, gRPC, Netty and Arrow code at the same time. On 2 cores with 3 nodes, C2 compilation was a
 * fifth to a third of the nodes' CPU for the first minutes, and the nodes were faster with C1 only both cold and
 * after 100 s of warm-up (figures in {@code docs/benchmarks.md}, "JIT of local node processes"). {@link #AUTO}
 * therefore picks {@link #C1} when the machine has fewer than two cores per node and {@link #TIERED} otherwise.
 */
enum NodeJit {
  /** {@link #C1} when {@code availableProcessors < 2 * nodes}, else {@link #TIERED}. */
  AUTO,
  /** C1 only ({@code -XX:TieredStopAtLevel=1}): little compile CPU, slower peak code. */
  C1,
  /** The JVM default: C1, then C2 for hot methods. */
  TIERED;

  /** Resolves {@link #AUTO} for {@code nodes} node processes on a machine with {@code cores} processors. */
  NodeJit resolve(int nodes, int cores) {
    if (this != AUTO) {
      return this;
    }
    return cores < 2 * nodes ? C1 : TIERED;
  }

  /** JVM options for a resolved mode. */
  List<String> jvmOptions() {
    return switch (this) {
      case C1 -> List.of("-XX:TieredStopAtLevel=1");
      case TIERED -> List.of();
      case AUTO -> throw new IllegalStateException("resolve AUTO first");
    };
  }

  /** The lower-case name used on the command line. */
  String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
