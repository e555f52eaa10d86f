package io.quiver.bench;

import io.quiver.columnar.SampleScan;
import io.quiver.columnar.ShardStore;
import io.quiver.columnar.StoreConfig;
import io.quiver.columnar.WriteBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: {@link ShardStore#write} of remote-write-shaped batches (1,000 series x 1 sample) and a full scan of sealed
 * segments, on the {@link StorageWorkload} shape. Scores are per sample.
 *
 * <p>Run: {@code java --add-opens=java.base/java.nio=ALL-UNNAMED -cp
 * "bench/target/quiver-bench-0.1.0-SNAPSHOT.jar:node/target/lib/*" org.openjdk.jmh.Main StorageBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx4g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class StorageBenchmark {
  static final int SCAN_ROUNDS = 200;

  @Param("100000")
  public int series;

  private Path dir;
  private BufferAllocator allocator;
  private ShardStore store;
  private StorageWorkload workload;
  private WriteBatch[] round;
  private long logIndex;
  private int roundNo;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("quiver-storage-jmh");
    allocator = new RootAllocator();
    store = ShardStore.open(dir, allocator, StoreConfig.builder().retentionMs(0).fsync(false)
        .headMaxBytes(1L << 40).build());
    workload = new StorageWorkload(series, 7);
    for (int r = 0; r < SCAN_ROUNDS; r++) {
      for (int b = 0; b < series; b += StorageBench.BATCH_SERIES) {
        store.write(workload.round(r, b, Math.min(series, b + StorageBench.BATCH_SERIES)), ++logIndex);
      }
    }
    store.seal();
    roundNo = SCAN_ROUNDS;
    round = new WriteBatch[series / StorageBench.BATCH_SERIES];
  }

  /** Fresh batches for every invocation, built outside the measured method. */
  @Setup(Level.Invocation)
  public void nextRound() {
    for (int b = 0; b < round.length; b++) {
      round[b] = workload.round(roundNo, b * StorageBench.BATCH_SERIES, (b + 1) * StorageBench.BATCH_SERIES);
    }
    roundNo++;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
    allocator.close();
    StorageBench.deleteTree(dir);
  }

  /** One scrape round of all series into the head (samples/s = score x series). */
  @Benchmark
  @OperationsPerInvocation(100_000)
  public long appendRound() {
    for (WriteBatch b : round) {
      store.write(b, ++logIndex);
    }
    return logIndex;
  }

  /** Full scan of the sealed segments plus whatever the head holds (rows/s = score x rows). */
  @Benchmark
  public long scanAll() {
    long rows = 0;
    try (SampleScan scan = store.scan(null, Long.MIN_VALUE, Long.MAX_VALUE, allocator)) {
      while (scan.next()) {
        rows += scan.root().getRowCount();
      }
    }
    return rows;
  }
}
