package io.quiver.node;

import io.quiver.bench.StorageBench;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quiver bench storage}: the single-shard storage engine benchmark (append, seal + compaction, disk bytes per
 * sample, full scan, regex selector over a 1,000,000-series index). The last line printed is
 * {@code storage append_samples_per_s=<n> scan_samples_per_s=<n> bytes_per_sample=<x> select_regex_ms=<x>}; the
 * lines before it say what each figure measures.
 */
@Command(
    name = "storage",
    mixinStandardHelpOptions = true,
    description = "Benchmark one shard store (append, scan, bytes/sample, regex select) and print one final line.")
final class BenchStorageCommand implements Callable<Integer> {

  @Option(names = "--series", defaultValue = "100000", description = "Distinct series (default: ${DEFAULT-VALUE}).")
  int series;

  @Option(names = "--samples", defaultValue = "20000000", description = "Total samples (default: ${DEFAULT-VALUE}).")
  long samples;

  @Option(names = "--dir", description = "Store directory (default: a temp directory, deleted afterwards).")
  Path dir;

  @Option(names = "--seed", defaultValue = "1", description = "Workload seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--regex-series", defaultValue = "1000000",
      description = "Series in the index the regex selector is timed on; 0 skips it (default: ${DEFAULT-VALUE}).")
  int regexSeries;

  @Override
  public Integer call() throws Exception {
    StorageBench.Result r = StorageBench.run(
        new StorageBench.Options(series, samples, dir, seed, regexSeries), System.out);
    System.out.println(r.line());
    return 0;
  }
}
