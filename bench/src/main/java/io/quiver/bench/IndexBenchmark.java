package io.quiver.bench;

import io.quiver.index.Labels;
import io.quiver.index.Selector;
import io.quiver.index.SeriesIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.roaringbitmap.RoaringBitmap;

/**
 * Selector evaluation over one shard index of {@code series} series ({@link IndexBenchData}: 10 labels each, a
 * unique {@code pod} per series). Target (issue 2): a regex selector over 1,000,000 series in at most 20 ms.
 *
 * <p>Run: {@code java -cp "bench/target/quiver-bench-0.1.0-SNAPSHOT.jar:node/target/lib/*"
 * org.openjdk.jmh.Main IndexBenchmark -f 1 -wi 2 -i 3}. The {@code *Fresh} benchmarks use a different pattern on
 * every call, so the per-index regex result cache never helps them: they are the cold-query figures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx3g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class IndexBenchmark {
  @Param("1000000")
  public int series;

  private Path dir;
  private SeriesIndex index;
  private int counter;

  private final Selector namePlusInstancePrefix =
      Selector.parse("{__name__=\"http_requests_total\", instance=~\"web-1.*\"}");
  private final Selector namePlusPodRegex =
      Selector.parse("{__name__=\"http_requests_total\", pod=~\"pod-[0-9a-f]*7[0-9]\"}");
  private final Selector podContains = Selector.parse("{pod=~\".*7f3.*\"}");
  private final Selector podRegex = Selector.parse("{pod=~\"pod-[0-9]+a[0-9a-f]*\"}");
  private final Selector jobNotCode = Selector.parse("{job=\"api\", code!~\"5..\", instance=~\"web-(1|2)[0-9]\"}");

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("quiver-index-bench");
    long start = System.nanoTime();
    index = IndexBenchData.build(dir, series);
    long buildNanos = System.nanoTime() - start;
    start = System.nanoTime();
    index.commit();
    long commitNanos = System.nanoTime() - start;
    System.out.printf("%nindex built [series=%d, createNsPerSeries=%.0f, commitMs=%.0f, catalogBytes=%d,"
            + " catalogBytesPerSeries=%.1f]%n", series, (double) buildNanos / series, commitNanos / 1e6,
        index.diskBytes(), (double) index.diskBytes() / series);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    index.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** {@code __name__} (n/100 series) and a prefix regex over a 1,000-value label: prefix range, then filter. */
  @Benchmark
  public RoaringBitmap namePlusInstancePrefix() {
    return index.select(namePlusInstancePrefix);
  }

  /** {@code __name__} and a non-prefix regex over the unique-per-series label: checked per candidate. */
  @Benchmark
  public RoaringBitmap namePlusPodRegex() {
    return index.select(namePlusPodRegex);
  }

  /** A contains-regex over the unique label alone: a scan of its whole dictionary (1 value per series). */
  @Benchmark
  public RoaringBitmap podContains() {
    return index.select(podContains);
  }

  /** A general regex over the unique label alone, repeated: served by the regex result cache after the first. */
  @Benchmark
  public RoaringBitmap podRegexRepeated() {
    return index.select(podRegex);
  }

  /**
   * A general regex over the unique label alone, a new pattern of the same shape each call (the repetition bound
   * varies; values are 12 chars, so the matches do not): the full cold dictionary scan.
   */
  @Benchmark
  public RoaringBitmap podRegexFresh() {
    String pattern = "pod-[0-9]+a[0-9a-f]{0," + (100 + (counter++ & 0xFFFFF)) + "}";
    return index.select(Selector.parse("{pod=~\"" + pattern + "\"}"));
  }

  /** A contains-regex over the unique label alone, a new 3-hex-digit literal each call: cold packed scan. */
  @Benchmark
  public RoaringBitmap podContainsFresh() {
    String pattern = String.format(".*%03x.*", counter++ & 0xFFF);
    return index.select(Selector.parse("{pod=~\"" + pattern + "\"}"));
  }

  /** The same as {@link #namePlusPodRegex()} with a new pattern of the same shape each call. */
  @Benchmark
  public RoaringBitmap namePlusPodRegexFresh() {
    String pattern = "pod-[0-9a-f]{0," + (100 + (counter++ & 0xFFFFF)) + "}7[0-9]";
    return index.select(Selector.parse("{__name__=\"http_requests_total\", pod=~\"" + pattern + "\"}"));
  }

  /** Equality, a negative regex and a small alternation-with-class regex. */
  @Benchmark
  public RoaringBitmap jobNotCode() {
    return index.select(jobNotCode);
  }

  /** Lookup of an existing series (the ingest path for a known series). */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public int lookupExisting() {
    Labels labels = IndexBenchData.series((counter++ & 0x7FFFFFFF) % series);
    return index.lookup(labels);
  }
}
