package io.quiver.bench;

import io.quiver.index.Selector;
import io.quiver.index.SeriesIndex;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A quick, contention-tolerant companion to {@link IndexBenchmark}: builds the same index and reports the CPU time
 * of the calling thread (not wall time) for create, commit, snapshot, reopen and each selector, so figures stay
 * meaningful on a shared, overloaded machine. Usage: {@code java -cp ... io.quiver.bench.IndexBenchMain [series]}.
 */
public final class IndexBenchMain {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private IndexBenchMain() {}

  public static void main(String[] args) throws IOException {
    int series = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path dir = Files.createTempDirectory("quiver-index-main");
    try {
      run(dir, series);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void run(Path dir, int series) {
    long t = cpu();
    SeriesIndex index = IndexBenchData.build(dir.resolve("a"), series);
    report("create", cpu() - t, series, "ns/series");
    t = cpu();
    index.commit();
    report("commit", cpu() - t, 1, "ns");
    System.out.printf("catalog bytes=%d bytesPerSeries=%.2f%n", index.diskBytes(),
        (double) index.diskBytes() / series);
    String[] selectors = {
      "{__name__=\"http_requests_total\", instance=~\"web-1.*\"}",
      "{__name__=\"http_requests_total\", pod=~\"pod-[0-9a-f]*7[0-9]\"}",
      "{pod=~\".*7f3.*\"}",
      "{pod=~\"pod-[0-9]+a[0-9a-f]*\"}",
      "{job=\"api\", code!~\"5..\", instance=~\"web-(1|2)[0-9]\"}",
    };
    for (String s : selectors) {
      Selector sel = Selector.parse(s);
      long[] runs = new long[7];
      int hits = 0;
      for (int i = 0; i < runs.length; i++) {
        t = cpu();
        hits = index.select(sel).getCardinality();
        runs[i] = cpu() - t;
      }
      long first = runs[0];
      Arrays.sort(runs);
      System.out.printf("select firstMs=%.2f medianMs=%.2f hits=%d %s%n", first / 1e6, runs[runs.length / 2] / 1e6,
          hits, s);
    }
    Path snap = dir.resolve("snap");
    t = cpu();
    index.snapshotTo(snap);
    report("snapshot", cpu() - t, 1, "ns");
    index.close();
    t = cpu();
    SeriesIndex reopened = SeriesIndex.open(dir.resolve("a"));
    report("reopen", cpu() - t, series, "ns/series");
    reopened.close();
    Runtime rt = Runtime.getRuntime();
    System.gc();
    System.out.printf("heapUsedMb=%d (after close, index unreachable)%n", (rt.totalMemory() - rt.freeMemory()) >> 20);
  }

  private static void report(String what, long nanos, int n, String unit) {
    System.out.printf("%s cpuMs=%.1f %s=%.1f%n", what, nanos / 1e6, unit, (double) nanos / n);
  }

  private static long cpu() {
    return THREADS.getCurrentThreadCpuTime();
  }
}
