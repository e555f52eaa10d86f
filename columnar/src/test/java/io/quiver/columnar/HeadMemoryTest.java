package io.quiver.columnar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quiver.index.Labels;
import io.quiver.index.Selector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.util.AutoCloseables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadMemoryTest {
  static final long T0 = 1_763_900_000_000L;
  static final int SERIES = 2_000;

  @TempDir Path tmp;
  BufferAllocator allocator;
  // Each store's own cap is far above anything written here: only the shared budget can seal.
  StoreConfig config = StoreConfig.builder().fsync(false).retentionMs(0).build();

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    allocator.close();
  }

  /** {@code SERIES} series of store {@code store}, {@code n} samples each from round {@code round} on. */
  static WriteBatch batch(int store, int round, int n) {
    List<SeriesSamples> series = new ArrayList<>(SERIES);
    for (int s = 0; s < SERIES; s++) {
      long[] ts = new long[n];
      long[] values = new long[n];
      for (int i = 0; i < n; i++) {
        ts[i] = T0 + 1000L * (round * n + i);
        values[i] = Double.doubleToRawLongBits(s + i);
      }
      series.add(new SeriesSamples(Labels.of("__name__", "m", "store", Integer.toString(store), "series",
          Integer.toString(s)), ts, values));
    }
    return new WriteBatch(series);
  }

  /** One sample of a new series. */
  static WriteBatch oneSample(String name) {
    return new WriteBatch(List.of(new SeriesSamples(Labels.of("__name__", "m", name, "1"), new long[] {T0},
        new long[] {0})));
  }

  long count(ShardStore store) {
    long rows = 0;
    try (SelectResult r = store.select(Selector.parse("m"), Long.MIN_VALUE, Long.MAX_VALUE, allocator)) {
      while (r.next()) {
        rows += r.root().getRowCount();
      }
    }
    return rows;
  }

  @Test
  void shouldKeepTheHeadsOfStoresSharingABudgetNearItsLimit() throws Exception {
    HeadMemory heads = new HeadMemory(4L << 20);
    List<ShardStore> stores = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        stores.add(ShardStore.open(tmp.resolve("s" + i), allocator, config, heads));
      }
      long peak = 0;
      for (int round = 0; round < 40; round++) {
        for (int i = 0; i < stores.size(); i++) {
          stores.get(i).write(batch(i, round, 4), round + 1);
          peak = Math.max(peak, heads.totalBytes());
        }
      }
      // Unbounded, the four heads would grow to 4 x 2,000 series x 256 slots x 16 bytes, 32 MiB.
      assertThat(peak).isLessThan(2 * heads.limitBytes());
      for (ShardStore s : stores) {
        assertThat(s.stats().segmentCount()).as("segments of %s", s.dir()).isPositive();
        assertThat(count(s)).isEqualTo(SERIES * 40L * 4);
      }
    } finally {
      AutoCloseables.close(stores);
    }
    assertThat(heads.stores()).isZero();
    assertThat(heads.totalBytes()).isZero();
  }

  @Test
  void shouldSealALargeHeadButNeverASmallOne() throws Exception {
    HeadMemory heads = new HeadMemory(HeadMemory.MIN_SEAL_BYTES);
    List<ShardStore> small = new ArrayList<>();
    try (ShardStore big = ShardStore.open(tmp.resolve("big"), allocator, config, heads)) {
      // 2,000 series x 40 samples: over the budget on its first write, so it seals at once.
      big.write(batch(0, 0, 40), 1);
      assertThat(big.stats().segmentCount()).isEqualTo(1);
      assertThat(big.headBytes()).isZero();
      // Three heads of 2,000 series x 16 samples (about 640 KiB each) exceed the budget together, but each is below
      // MIN_SEAL_BYTES: sealing them would only write small segments.
      for (int i = 1; i <= 3; i++) {
        ShardStore s = ShardStore.open(tmp.resolve("small" + i), allocator, config, heads);
        small.add(s);
        s.write(batch(i, 0, 16), 1);
      }
      assertThat(heads.totalBytes()).isGreaterThan(heads.limitBytes());
      for (ShardStore s : small) {
        s.write(oneSample("extra"), 2);
        assertThat(s.stats().segmentCount()).isZero();
        assertThat(s.headBytes()).isLessThan(HeadMemory.MIN_SEAL_BYTES);
      }
    } finally {
      AutoCloseables.close(small);
    }
  }

  @Test
  void shouldSealOnlyTheLargestHeadWhileUnderTwiceTheLimit() throws Exception {
    HeadMemory heads = new HeadMemory(4L << 20);
    List<ShardStore> stores = new ArrayList<>();
    try {
      int[] samples = {48, 40, 8, 40};
      for (int i = 0; i < samples.length; i++) {
        ShardStore s = ShardStore.open(tmp.resolve("s" + i), allocator, config, heads);
        stores.add(s);
        s.write(batch(i, 0, samples[i]), 1);
      }
      // The last write took the heads over the limit; its head is above the average but not the largest.
      assertThat(heads.totalBytes()).isBetween(heads.limitBytes(), 2 * heads.limitBytes());
      assertThat(stores).allSatisfy(s -> assertThat(s.stats().segmentCount()).isZero());
      stores.get(1).write(oneSample("late"), 2);
      assertThat(stores.get(1).stats().segmentCount()).isZero();
      // The largest head seals at its next write, and only it.
      stores.get(0).write(batch(0, 1, 1), 2);
      assertThat(stores.stream().map(s -> s.stats().segmentCount())).containsExactly(1, 0, 0, 0);
      assertThat(heads.totalBytes()).isLessThan(heads.limitBytes());
    } finally {
      AutoCloseables.close(stores);
    }
  }

  @Test
  void shouldSealASmallerHeadOverTwiceTheLimitWhenTheLargestIsIdle() throws Exception {
    HeadMemory heads = new HeadMemory(2L << 20);
    try (ShardStore idle = ShardStore.open(tmp.resolve("idle"), allocator, config, heads);
        ShardStore a = ShardStore.open(tmp.resolve("a"), allocator, config, heads);
        ShardStore b = ShardStore.open(tmp.resolve("b"), allocator, config, heads)) {
      idle.write(batch(0, 0, 48), 1);
      a.write(batch(1, 0, 40), 1);
      assertThat(heads.totalBytes()).isBetween(heads.limitBytes(), 2 * heads.limitBytes());
      assertThat(a.stats().segmentCount()).isZero();
      b.write(batch(2, 0, 40), 1);
      assertThat(b.stats().segmentCount()).isEqualTo(1);
      assertThat(idle.stats().segmentCount()).isZero();
    }
  }

  @Test
  void shouldSealOneStoreAtATimeWhileUnderTwiceTheLimit() throws Exception {
    HeadMemory heads = new HeadMemory(2L << 20);
    BlockingSegmentIo blocking = new BlockingSegmentIo(true);
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try (ShardStore a = ShardStore.open(tmp.resolve("a"), allocator, config, heads);
        ShardStore b = ShardStore.open(tmp.resolve("b"), allocator, config, blocking, heads)) {
      a.write(batch(0, 0, 20), 1);
      // b's write takes the heads over the limit and b is the largest: b seals, blocked inside its segment write.
      Future<?> sealingB = writer.submit(() -> b.write(batch(1, 0, 48), 1));
      assertThat(blocking.awaitBlocked()).isTrue();
      // a becomes the largest head while b's seal runs (still under twice the limit): it waits for its turn.
      a.write(batch(0, 1, 36), 2);
      assertThat(a.headBytes()).isGreaterThan(b.headBytes());
      assertThat(heads.totalBytes()).isBetween(heads.limitBytes(), 2 * heads.limitBytes());
      assertThat(a.stats().segmentCount()).isZero();
      blocking.release();
      sealingB.get(30, TimeUnit.SECONDS);
      assertThat(b.stats().segmentCount()).isEqualTo(1);
      // Its turn: the next write that leaves the heads over the limit seals it.
      a.write(batch(0, 2, 20), 3);
      assertThat(a.stats().segmentCount()).isEqualTo(1);
    } finally {
      blocking.release();
      writer.shutdownNow();
    }
  }

  @Test
  void shouldRejectABudgetSmallerThanOneSeal() {
    assertThatThrownBy(() -> new HeadMemory(HeadMemory.MIN_SEAL_BYTES - 1))
        .isInstanceOf(StoreException.class).hasMessageContaining("limitBytes=");
  }
}
