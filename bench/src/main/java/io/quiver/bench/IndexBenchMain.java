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
    // %d is replaced by a counter for the "fresh" runs: a new pattern of the same shape, so no cache helps.
    String[] selectors = {
      "{__name__=\"http_requests_total\", instance=~\"web-1.*\"}",
      "{__name__=\"http_requests_total\", pod=~\"pod-[0-9a-f]{0,%d}7[0-9]\"}",
      "{pod=~\".*%03x.*\"}",
      "{pod=~\"pod-[0-9]+a[0-9a-f]{0,%d}\"}",
      "{job=\"api\", code!~\"5..\", instance=~\"web-(1|2)[0-9]\"}",
    };
    int fresh = 100;
    for (String s : selectors) {
      long[] repeated = new long[15];
      long[] cold = new long[15];
      int hits = 0;
      Selector same = Selector.parse(String.format(s, 99));
      for (int i = 0; i < repeated.length; i++) {
        t = cpu();
        hits = index.select(same).getCardinality();
        repeated[i] = cpu() - t;
        Selector other = Selector.parse(String.format(s, fresh++));
        t = cpu();
        index.select(other);
        cold[i] = cpu() - t;
      }
      System.out.printf("select repeatedMedianMs=%.2f freshMedianMs=%.2f hits=%d %s%n", median(repeated) / 1e6,
          median(cold) / 1e6, hits, String.format(s, 99));
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

  private static long median(long[] runs) {
    long[] sorted = runs.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static long cpu() {
    return THREADS.getCurrentThreadCpuTime();
  }
}
