package io.quiver.columnar;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.columnar.internal.SampleBatchBuilder;
import io.quiver.index.Labels;
import io.quiver.index.Selector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelDictionariesTest {
  @TempDir Path tmp;
  BufferAllocator allocator;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    allocator.close();
  }

  @Test
  void shouldSortNamesAndValuesAndMarkMissingLabelsWhenSeriesDiffer() {
    List<Labels> series = List.of(
        Labels.of("__name__", "up", "job", "db", "zone", "z2"),
        Labels.of("__name__", "up", "job", "api"),
        Labels.of("__name__", "cpu", "zone", "z1"));
    int[] ids = {10, 20, 30};
    LabelDictionaries d = LabelDictionaries.build(ids, id -> series.get(id / 10 - 1));

    assertThat(d.names()).containsExactly("__name__", "job", "zone");
    assertThat(d.codes()[0]).containsExactly(1, 1, 0); // cpu < up
    assertThat(d.codes()[1]).containsExactly(1, 0, -1); // api < db
    assertThat(d.codes()[2]).containsExactly(1, -1, 0); // z1 < z2
    try (VarCharVector v = new VarCharVector("zone", allocator)) {
      d.fill(2, v);
      assertThat(v.getValueCount()).isEqualTo(2);
      assertThat(v.getObject(0).toString()).isEqualTo("z1");
      assertThat(v.getObject(1).toString()).isEqualTo("z2");
    }
  }

  @Test
  void shouldBuildEmptyDictionariesWhenNoSeries() {
    LabelDictionaries d = LabelDictionaries.build(new int[0], id -> Labels.EMPTY);
    assertThat(d.names()).isEmpty();
  }

  @Test
  void shouldSetExactlyTheRequestedBitsAndIntsWhenRangesAreUnaligned() {
    Random random = new Random(42);
    try (ArrowBuf buf = allocator.buffer(64); ArrowBuf ints = allocator.buffer(4 * 300)) {
      for (int round = 0; round < 500; round++) {
        buf.setZero(0, 64);
        boolean[] expected = new boolean[512];
        for (int k = 0; k < 3; k++) {
          int from = random.nextInt(512);
          int to = from + random.nextInt(512 - from + 1);
          SelectResult.setBits(buf.memoryAddress(), from, to);
          for (int i = from; i < to; i++) {
            expected[i] = true;
          }
        }
        for (int i = 0; i < 512; i++) {
          assertThat((buf.getByte(i >>> 3) >>> (i & 7) & 1) == 1).as("bit %d round %d", i, round)
              .isEqualTo(expected[i]);
        }
        ints.setZero(0, 4 * 300);
        int start = random.nextInt(300);
        int n = random.nextInt(300 - start + 1);
        int value = random.nextInt();
        SampleBatchBuilder.fillInts(ints.memoryAddress() + 4L * start, n, value);
        for (int i = 0; i < 300; i++) {
          assertThat(ints.getInt(4L * i)).isEqualTo(i >= start && i < start + n ? value : 0);
        }
      }
    }
  }

  @Test
  void shouldMatchPerSeriesLabelsWhenBatchesSplitSeriesAndLabelsAreSparse() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    StoreConfig config = StoreConfig.builder().fsync(false).retentionMs(0).batchRows(7).build();
    TreeMap<String, Integer> expectedRows = new TreeMap<>();
    try (ShardStore store = ShardStore.open(tmp, allocator, config)) {
      List<SeriesSamples> batch = new ArrayList<>();
      for (int s = 0; s < 60; s++) {
        Labels.Builder b = Labels.builder().add("__name__", "m" + random.nextInt(3));
        if (random.nextBoolean()) {
          b.add("job", "j" + random.nextInt(4));
        }
        if (random.nextInt(3) == 0) {
          b.add("zone", "z" + s);
        }
        b.add("series", Integer.toString(s));
        Labels l = b.build();
        int n = 1 + random.nextInt(10);
        long[] ts = new long[n];
        long[] bits = new long[n];
        for (int i = 0; i < n; i++) {
          ts[i] = 1_000 + i;
          bits[i] = Double.doubleToRawLongBits(s);
        }
        batch.add(new SeriesSamples(l, ts, bits));
        expectedRows.put(canonical(l), n);
      }
      store.write(new WriteBatch(batch), 1);
      if (random.nextBoolean()) {
        store.seal();
      }
      try (SelectResult r = store.select(Selector.parse("{__name__=~\".+\"}"), 0, Long.MAX_VALUE, allocator)) {
        TreeMap<String, Integer> got = new TreeMap<>();
        for (String row : ShardStoreTest.readAll(r)) {
          String key = row.substring(0, row.indexOf('|'));
          got.merge(key, 1, Integer::sum);
        }
        assertThat(got).as("seed %d", seed).isEqualTo(expectedRows);
      }
    }
  }

  private static String canonical(Labels l) {
    TreeSet<String> parts = new TreeSet<>();
    for (int i = 0; i < l.size(); i++) {
      parts.add(l.name(i) + "=" + l.value(i) + ",");
    }
    return String.join("", parts);
  }
}
