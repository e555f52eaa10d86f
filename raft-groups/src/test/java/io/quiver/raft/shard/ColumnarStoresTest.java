package io.quiver.raft.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.columnar.SelectResult;
import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.ShardStore;
import io.quiver.columnar.StoreConfig;
import io.quiver.columnar.WriteBatch;
import io.quiver.index.Labels;
import io.quiver.index.Selector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ColumnarStoresTest {
  static final long HOUR = 3_600_000L;

  @TempDir Path tmp;
  BufferAllocator allocator;
  StoreConfig config = StoreConfig.builder().fsync(false).retentionMs(6 * HOUR).build();

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    allocator.close();
  }

  static WriteBatch sample(long ts) {
    return new WriteBatch(List.of(new SeriesSamples(Labels.of("__name__", "m"), new long[] {ts},
        new long[] {Double.doubleToRawLongBits(ts)})));
  }

  List<Long> timestamps(ShardStore store) {
    List<Long> out = new ArrayList<>();
    try (SelectResult r = store.select(Selector.parse("m"), Long.MIN_VALUE, Long.MAX_VALUE, allocator)) {
      while (r.next()) {
        TimeStampMilliTZVector ts = (TimeStampMilliTZVector) r.root().getVector(0);
        for (int i = 0; i < r.root().getRowCount(); i++) {
          out.add(ts.get(i));
        }
      }
    }
    return out;
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("timed out waiting for " + what).isNegative();
      Thread.sleep(20);
    }
  }

  @Test
  void shouldCompactAndDropExpiredSegmentsInTheBackground() throws Exception {
    try (ColumnarStores stores = ColumnarStores.withMaintenance(allocator, config, Duration.ofMillis(50))) {
      ShardData data = stores.open(tmp.resolve("shard-0"));
      ShardStore store = data.unwrap(ShardStore.class);
      long now = System.currentTimeMillis();
      long current = (now / config.segmentWindowMs()) * config.segmentWindowMs();
      long closed = current - 2 * config.segmentWindowMs(); // ended 2-4 h ago: merged whole, within retention
      long expired = now - 12 * HOUR;
      data.write(sample(expired), 1);
      store.seal();
      data.write(sample(closed + 1), 2);
      store.seal();
      data.write(sample(closed + 2), 3);
      store.seal();
      // Three segments: one past retention, two in a closed window.
      await(() -> store.stats().segmentCount() == 1, "retention and compaction to leave one segment");
      assertThat(timestamps(store)).containsExactly(closed + 1, closed + 2);
      assertThat(stores.maintenanceSteps()).isPositive();
      assertThat(stores.maintenanceFailures()).isZero();
      data.close();
    }
  }

  @Test
  void shouldCloseStoresWhileMaintenanceRuns() throws Exception {
    try (ColumnarStores stores = ColumnarStores.withMaintenance(allocator, config, Duration.ofMillis(1))) {
      long now = System.currentTimeMillis();
      long window = (now / config.segmentWindowMs()) * config.segmentWindowMs();
      for (int round = 0; round < 20; round++) {
        Path dir = tmp.resolve("shard-" + (round % 2));
        ShardData data = stores.open(dir);
        ShardStore store = data.unwrap(ShardStore.class);
        for (int i = 0; i < 3; i++) {
          data.write(sample(window + 10L * round + i), data.lastAppliedIndex() + 1);
          store.seal();
        }
        data.close();
      }
      // Reopened after all those closes, each directory holds every sample written to it.
      for (int shard = 0; shard < 2; shard++) {
        ShardData data = stores.open(tmp.resolve("shard-" + shard));
        assertThat(timestamps(data.unwrap(ShardStore.class))).hasSize(30);
        data.close();
      }
      assertThat(stores.maintenanceFailures()).isZero();
    }
  }
}
