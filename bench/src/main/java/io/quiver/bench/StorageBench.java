package io.quiver.bench;

import io.quiver.columnar.SampleScan;
import io.quiver.columnar.ShardStore;
import io.quiver.columnar.StoreConfig;
import io.quiver.columnar.StoreMaintenanceAgent;
import io.quiver.columnar.WriteBatch;
import io.quiver.index.Labels;
import io.quiver.index.SeriesIndex;
import io.quiver.index.Selector;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.roaringbitmap.RoaringBitmap;

/**
 * The load generator behind {@code quiver bench storage}: writes a {@link StorageWorkload} into a {@link ShardStore}
 * (single thread, as the Raft apply thread would), seals it in four steps, compacts, scans everything back, and
 * times a regex selector over a 1,000,000-series index. Prints detail lines and, last, exactly one line
 * {@code storage append_samples_per_s=<n> scan_samples_per_s=<n> bytes_per_sample=<x> select_regex_ms=<x>}.
 *
 * <ul>
 *   <li>append: {@code ShardStore.write} of remote-write-shaped batches (1,000 series x 1 sample), label lookup
 *       included; workload generation and seals are outside the timed region.
 *   <li>scan: a full scan of the sealed, compacted segments into Arrow batches ({@code series_id, timestamp,
 *       value}), median of 3 after one warm-up pass.
 *   <li>bytes_per_sample: every file under the store directory after seal + compaction (segments, manifest,
 *       index catalog), divided by the samples written.
 *   <li>select_regex_ms: median of 11 evaluations of a regex selector on a separate 1,000,000-series index with the
 *       same label shape.
 * </ul>
 */
public final class StorageBench {
  /**
   * The selector timed over the 1M-series index; {@code %d} makes every evaluation's regexes distinct so the
   * index's regex result cache cannot answer (cold figure).
   */
  public static final String REGEX_SELECTOR = "http_requests_total{path=~\"/api/v[12]/.*|/x%1$d\","
      + "status=~\"5..|x%1$d\",instance=~\"10\\\\.0\\\\.1.*|x%1$d\"}";
  /** Series in the regex-select index. */
  public static final int REGEX_INDEX_SERIES = 1_000_000;
  static final int BATCH_SERIES = 1000;
  static final int SEALS = 4;
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  /**
   * Options.
   *
   * @param series series count
   * @param samples total samples (rounded down to whole scrape rounds)
   * @param dir store directory; null = a temp directory, deleted afterwards
   * @param seed workload seed
   * @param regexSeries series in the regex-select index (0 skips that part)
   */
  public record Options(int series, long samples, Path dir, long seed, int regexSeries) {}

  /** Results. */
  public record Result(double appendPerSec, double scanPerSec, double bytesPerSample, double selectRegexMs) {
    /** The final summary line. */
    public String line() {
      return String.format(Locale.ROOT, "storage append_samples_per_s=%d scan_samples_per_s=%d bytes_per_sample=%.3f"
          + " select_regex_ms=%.3f", Math.round(appendPerSec), Math.round(scanPerSec), bytesPerSample,
          selectRegexMs);
    }
  }

  private StorageBench() {}

  /** Runs the benchmark, printing progress to {@code out}; the caller prints {@link Result#line()} last. */
  public static Result run(Options o, PrintStream out) throws IOException {
    Path dir = o.dir() != null ? o.dir() : Files.createTempDirectory("quiver-bench-storage");
    boolean temp = o.dir() == null;
    try (BufferAllocator allocator = new RootAllocator()) {
      int rounds = (int) Math.max(1, o.samples() / o.series());
      long samples = (long) rounds * o.series();
      StorageWorkload w = new StorageWorkload(o.series(), o.seed());
      // The workload's timestamps start 2026-01-01: retention off so the wall clock does not drop them.
      StoreConfig config = StoreConfig.builder().headMaxBytes(Long.MAX_VALUE / 4).retentionMs(0).build();
      double appendPerSec;
      double scanPerSec;
      double bytesPerSample;
      try (ShardStore store = ShardStore.open(dir, allocator, config)) {
        appendPerSec = append(store, w, rounds, out);
        StoreMaintenanceAgent agent = store.maintenanceAgent(System::currentTimeMillis);
        long t0 = System.nanoTime();
        int work = 0;
        while (agent.doWork(System.nanoTime()) > 0) {
          work++;
        }
        out.printf(Locale.ROOT, "compaction: %d window(s) in %.0f ms, segments=%d%n", work,
            (System.nanoTime() - t0) / 1e6, store.stats().segmentCount());
        bytesPerSample = diskReport(store, dir, samples, out);
        scanPerSec = scan(store, allocator, samples, out);
        storeSelect(store, allocator, out);
      }
      double regexMs = o.regexSeries() > 0 ? regexSelect(o.regexSeries(), out) : Double.NaN;
      return new Result(appendPerSec, scanPerSec, bytesPerSample, regexMs);
    } finally {
      if (temp) {
        deleteTree(dir);
      }
    }
  }

  private static double append(ShardStore store, StorageWorkload w, int rounds, PrintStream out) {
    long appendNanos = 0;
    long appendCpu = 0;
    long sealNanos = 0;
    long written = 0;
    long logIndex = 0;
    int sealEvery = Math.max(1, rounds / SEALS);
    WriteBatch[] batches = new WriteBatch[(w.seriesCount() + BATCH_SERIES - 1) / BATCH_SERIES];
    for (int r = 0; r < rounds; r++) {
      for (int b = 0; b < batches.length; b++) {
        batches[b] = w.round(r, b * BATCH_SERIES, Math.min(w.seriesCount(), (b + 1) * BATCH_SERIES));
      }
      long c0 = CPU.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      for (WriteBatch batch : batches) {
        store.write(batch, ++logIndex);
      }
      appendNanos += System.nanoTime() - t0;
      appendCpu += CPU.getCurrentThreadCpuTime() - c0;
      written += w.seriesCount();
      if ((r + 1) % sealEvery == 0 || r == rounds - 1) {
        long s0 = System.nanoTime();
        store.seal();
        sealNanos += System.nanoTime() - s0;
      }
    }
    double perSec = written / (appendNanos / 1e9);
    out.printf(Locale.ROOT, "append: %d samples (%d series x %d rounds, batches of %d series) in %.0f ms wall ->"
        + " %.0f samples/s (thread CPU %.0f ms -> %.0f samples/s); seal (4 steps, fsync'd): %.0f ms%n", written,
        w.seriesCount(), rounds, BATCH_SERIES, appendNanos / 1e6, perSec, appendCpu / 1e6,
        written / (appendCpu / 1e9), sealNanos / 1e6);
    return perSec;
  }

  private static double diskReport(ShardStore store, Path dir, long samples, PrintStream out) throws IOException {
    long total = store.diskBytes();
    long segments = store.stats().segmentBytes();
    long index = sizeOf(dir.resolve(ShardStore.INDEX_DIR));
    out.printf(Locale.ROOT, "disk: total=%d bytes (segments=%d, index=%d, other=%d) for %d samples ->"
        + " %.3f bytes/sample (segments alone %.3f)%n", total, segments, index, total - segments - index, samples,
        (double) total / samples, (double) segments / samples);
    return (double) total / samples;
  }

  private static double scan(ShardStore store, BufferAllocator allocator, long samples, PrintStream out) {
    double[] rates = new double[3];
    double[] cpuRates = new double[3];
    for (int pass = -1; pass < rates.length; pass++) {
      long c0 = CPU.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      long rows = 0;
      try (SampleScan scan = store.scan(null, Long.MIN_VALUE, Long.MAX_VALUE, allocator)) {
        while (scan.next()) {
          rows += scan.root().getRowCount();
        }
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      if (rows != samples) {
        throw new IllegalStateException("scan returned " + rows + " rows, expected " + samples);
      }
      if (pass >= 0) {
        rates[pass] = rows / secs;
        cpuRates[pass] = rows / ((CPU.getCurrentThreadCpuTime() - c0) / 1e9);
      }
    }
    Arrays.sort(rates);
    Arrays.sort(cpuRates);
    out.printf(Locale.ROOT, "scan: %d samples per pass, passes %.0f / %.0f / %.0f samples/s wall (median reported);"
        + " by thread CPU time median %.0f samples/s%n", samples, rates[0], rates[1], rates[2], cpuRates[1]);
    return rates[1];
  }

  private static void storeSelect(ShardStore store, BufferAllocator allocator, PrintStream out) {
    Selector sel = Selector.parse("http_requests_total{path=~\"/api/.*\",status=~\"5..\"}");
    long t0 = System.nanoTime();
    long rows = 0;
    try (var r = store.select(sel, Long.MIN_VALUE, Long.MAX_VALUE, allocator)) {
      while (r.next()) {
        rows += r.root().getRowCount();
      }
    }
    out.printf(Locale.ROOT, "store select %s: %d rows with label columns in %.1f ms%n", sel, rows,
        (System.nanoTime() - t0) / 1e6);
  }

  private static double regexSelect(int seriesCount, PrintStream out) throws IOException {
    Path dir = Files.createTempDirectory("quiver-bench-regex");
    try {
      StorageWorkload shape = new StorageWorkload(seriesCount, 42);
      long t0 = System.nanoTime();
      try (SeriesIndex index = SeriesIndex.open(dir)) {
        for (int i = 0; i < seriesCount; i++) {
          index.getOrCreate(shape.labels(i));
        }
        long built = System.nanoTime() - t0;
        double[] ms = new double[11];
        int matched = 0;
        for (int warm = 0; warm < 3; warm++) {
          matched = index.select(Selector.parse(String.format(Locale.ROOT, REGEX_SELECTOR, 1000 + warm)))
              .getCardinality();
        }
        for (int k = 0; k < ms.length; k++) {
          Selector sel = Selector.parse(String.format(Locale.ROOT, REGEX_SELECTOR, k));
          long s0 = System.nanoTime();
          RoaringBitmap r = index.select(sel);
          ms[k] = (System.nanoTime() - s0) / 1e6;
          matched = r.getCardinality();
        }
        Arrays.sort(ms);
        out.printf(Locale.ROOT, "regex select over %d series (index built in %.0f ms): %s (k = 0..10, a distinct"
            + " pattern per call, so no cached regex results) matched %d series; median %.3f ms, min %.3f, max %.3f%n",
            seriesCount, built / 1e6, REGEX_SELECTOR, matched,
            ms[ms.length / 2], ms[0], ms[ms.length - 1]);
        return ms[ms.length / 2];
      }
    } finally {
      deleteTree(dir);
    }
  }

  private static long sizeOf(Path p) throws IOException {
    if (!Files.exists(p)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Entry point for running without the CLI: {@code StorageBench [series] [samples]}. */
  public static void main(String[] args) throws IOException {
    int series = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    long samples = args.length > 1 ? Long.parseLong(args[1]) : 20_000_000L;
    Result r = run(new Options(series, samples, null, 1, REGEX_INDEX_SERIES), System.out);
    System.out.println(r.line());
  }
}
