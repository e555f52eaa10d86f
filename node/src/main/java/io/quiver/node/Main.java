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
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI without exiting, for tests. */
  public static int run(String... args) {
    return new CommandLine(new Main()).execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
