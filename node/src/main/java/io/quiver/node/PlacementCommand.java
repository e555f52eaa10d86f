package io.quiver.node;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code quiver placement ...}: offline placement tools. */
@Command(
    name = "placement",
    mixinStandardHelpOptions = true,
    description = "Placement tools (simulate rebalancing).",
    subcommands = {PlacementSimulateCommand.class})
final class PlacementCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
