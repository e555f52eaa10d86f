package io.quiver.node;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code quiver bench ...}: load generators whose final lines docs/benchmarks.md quotes. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Run a benchmark and print one final summary line.",
    subcommands = {BenchIngestCommand.class, BenchReadCommand.class, BenchStorageCommand.class,
        BenchRaftCommand.class})
final class BenchCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
