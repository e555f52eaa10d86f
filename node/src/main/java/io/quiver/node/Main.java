package io.quiver.node;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/quiver}: one command line, many subcommands. */
@Command(
    name = "quiver",
    mixinStandardHelpOptions = true,
    version = "quiver 0.1.0",
    description = "Quiver: a Raft-replicated, strongly consistent time-series store.",
    subcommands = {NodeCommand.class, LocalCommand.class, AdminCommands.Status.class,
        AdminCommands.MoveShard.class, AdminCommands.AddNode.class, AdminCommands.Decommission.class,
        BenchCommand.class, PlacementCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the CLI and exits with the subcommand's exit code. */
  /**
   * Common-pool parallelism this process asks for when the operator did not choose one. On a 2-core machine the JDK
   * default is 1, and then every {@code CompletableFuture.*Async} call without an executor (Ratis' follower log
   * append path makes one per AppendEntries) starts a new thread: measured as the largest CPU consumer of a 3-node
   * in-process cluster under write load. Must be set before anything touches {@code ForkJoinPool}.
   */
  static final String COMMON_POOL_PARALLELISM = "4";

  /**
   * Lets Netty allocate its pooled direct chunks without the JDK's zero-fill (it needs the {@code java.nio} opening
   * {@code bin/quiver} already passes; Arrow's Netty allocator documents the same flag). Without it every new pool
   * chunk goes through {@code ByteBuffer.allocateDirect}, which zeroes it: gRPC's 2 MiB chunks are freed and
   * re-created as Flight streams send 2 MB record batches, and that zeroing was ~6 % of a DoGet stream thread's CPU
   * (async-profiler, docs/benchmarks.md). Must be set before any Netty class loads.
   */
  static final String NETTY_REFLECTION = "io.netty.tryReflectionSetAccessible";

  public static void main(String[] args) {
    if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
      System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism", COMMON_POOL_PARALLELISM);
    }
    if (System.getProperty(NETTY_REFLECTION) == null) {
      System.setProperty(NETTY_REFLECTION, "true");
    }
    System.exit(run(args));
  }

  /** Runs the CLI without exiting, for tests. */
  public static int run(String... args) {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
