package io.quiver.columnar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quiver.index.Labels;
import io.quiver.index.Selector;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardStoreTest {
  static final long T0 = 1_763_900_000_000L;
  static final long STALE_NAN = 0x7ff0000000000002L;
  /** A wall clock a day after T0: T0's window is closed then. */
  static final long DAY = 86_400_000L;

  @TempDir Path tmp;
  BufferAllocator allocator;
  StoreConfig config = StoreConfig.builder().fsync(false).retentionMs(0).build();

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    allocator.close();
  }

  static Labels labels(String... kv) {
    return Labels.of(kv);
  }

  static WriteBatch batch(Labels l, long ts, long bits) {
    return new WriteBatch(List.of(new SeriesSamples(l, new long[] {ts}, new long[] {bits})));
  }

  /** Reads a select fully: rows as "label=value,...|ts|bits" strings, decoding dictionaries. */
  static List<String> readAll(SelectResult r) {
    List<String> rows = new ArrayList<>();
    List<Field> fields = r.schema().getFields();
    while (r.next()) {
      VectorSchemaRoot root = r.root();
      TimeStampMilliTZVector ts = (TimeStampMilliTZVector) root.getVector(0);
      for (int i = 0; i < root.getRowCount(); i++) {
        StringBuilder sb = new StringBuilder();
        for (int c = 2; c < fields.size(); c++) {
          IntVector idx = (IntVector) root.getVector(c);
          if (idx.isNull(i)) {
            continue;
          }
          Dictionary d = r.dictionaries().lookup(fields.get(c).getDictionary().getId());
          sb.append(fields.get(c).getName()).append('=')
              .append(((VarCharVector) d.getVector()).getObject(idx.get(i))).append(',');
        }
        sb.append('|').append(ts.get(i)).append('|')
            .append(Long.toHexString(root.getVector(1).getDataBuffer().getLong(8L * i)));
        rows.add(sb.toString());
      }
    }
    return rows;
  }

  @Test
  void shouldSelectWithSortedDictionaryLabelColumnsAndNullsForMissingLabels() {
    try (ShardStore store = ShardStore.open(tmp, allocator, config)) {
      Labels a = labels("__name__", "up", "job", "api", "zone", "z1");
      Labels b = labels("__name__", "up", "job", "db");
      store.write(batch(a, T0 + 10, Double.doubleToRawLongBits(1.0)), 1);
      store.write(batch(b, T0 + 5, Double.doubleToRawLongBits(0.5)), 2);
      store.write(batch(a, T0 + 1, STALE_NAN), 3);
      try (SelectResult r = store.select(Selector.parse("up"), T0, T0 + 100, allocator)) {
        assertThat(r.schema().getFields()).extracting(Field::getName)
            .containsExactly("timestamp", "value", "__name__", "job", "zone");
        assertThat(r.schema().getFields().get(3).getDictionary()).isNotNull();
        assertThat(r.seriesCount()).isEqualTo(2);
        assertThat(readAll(r)).containsExactly(
            "__name__=up,job=api,zone=z1,|" + (T0 + 1) + "|" + Long.toHexString(STALE_NAN),
            "__name__=up,job=api,zone=z1,|" + (T0 + 10) + "|" + Long.toHexString(Double.doubleToRawLongBits(1.0)),
            "__name__=up,job=db,|" + (T0 + 5) + "|" + Long.toHexString(Double.doubleToRawLongBits(0.5)));
      }
      store.seal();
      try (SelectResult r = store.select(Selector.parse("up{job=\"db\"}"), T0, T0 + 100, allocator)) {
        assertThat(r.schema().getFields()).extracting(Field::getName).containsExactly("timestamp", "value",
            "__name__", "job");
        assertThat(readAll(r)).hasSize(1);
      }
    }
  }

  @Test
  void shouldKeepTheFilesOfASealInProgressWhenACompactionCleansUp() throws Exception {
    BlockingSegmentIo io = new BlockingSegmentIo(false);
    Labels a = labels("__name__", "m");
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try (ShardStore store = ShardStore.open(tmp, allocator, config, io)) {
      store.write(batch(a, T0, 1), 1);
      store.seal();
      store.write(batch(a, T0 + 1, 2), 2);
      store.seal();
      store.write(batch(a, T0 + 2, 3), 3);
      io.arm();
      // The seal stops with its segment written under its temporary name, not yet renamed nor published.
      Future<?> seal = writer.submit(store::seal);
      assertThat(io.awaitBlocked()).isTrue();
      // Meanwhile the maintenance thread compacts the window and deletes what the view does not reference.
      assertThat(store.maintenanceAgent(() -> T0 + DAY).doWork(0)).isEqualTo(1);
      io.release();
      seal.get(30, TimeUnit.SECONDS);
      assertThat(store.stats().segmentCount()).isEqualTo(2);
      try (SelectResult r = store.select(Selector.parse("m"), T0, T0 + 3, allocator)) {
        assertThat(readAll(r)).hasSize(3);
      }
    } finally {
      io.release();
      writer.shutdownNow();
    }
    try (ShardStore reopened = ShardStore.open(tmp, allocator, config);
        SelectResult r = reopened.select(Selector.parse("m"), T0, T0 + 3, allocator)) {
      assertThat(readAll(r)).hasSize(3);
    }
  }

  @Test
  void shouldMergeTheOpenWindowInTiersAndAClosedWindowWhole() {
    Labels a = labels("__name__", "m");
    try (ShardStore store = ShardStore.open(tmp, allocator, config)) {
      StoreMaintenanceAgent open = store.maintenanceAgent(() -> T0);
      for (int k = 1; k <= 7; k++) {
        // Each seal overwrites T0 (the last write must win through every merge) and adds T0 + k.
        store.write(new WriteBatch(List.of(new SeriesSamples(a, new long[] {T0, T0 + k}, new long[] {k, k}))), k);
        store.seal();
        int expected = k == 4 ? 1 : 0;
        assertThat(open.doWork(0)).as("compactions after seal %d", k).isEqualTo(expected);
      }
      // Four equal segments merged into one; the three after it are less than half its size each.
      assertThat(store.stats().segmentCount()).isEqualTo(4);
      assertThat(store.maintenanceAgent(() -> T0 + DAY).doWork(0)).isEqualTo(1);
      assertThat(store.stats().segmentCount()).isEqualTo(1);
      try (SelectResult r = store.select(Selector.parse("m"), T0, T0 + 8, allocator)) {
        List<String> rows = readAll(r);
        assertThat(rows).hasSize(8);
        assertThat(rows.get(0)).endsWith("|" + T0 + "|7");
      }
    }
  }

  @Test
  void shouldKeepLastWriteInLogOrderAcrossHeadAndSegments() {
    Labels a = labels("__name__", "m");
    try (ShardStore store = ShardStore.open(tmp, allocator, config)) {
      store.write(batch(a, T0, Double.doubleToRawLongBits(1)), 1);
      store.seal();
      store.write(batch(a, T0, Double.doubleToRawLongBits(2)), 2);
      try (SelectResult r = store.select(Selector.parse("m"), T0, T0 + 1, allocator)) {
        assertThat(readAll(r)).containsExactly("__name__=m,|" + T0 + "|"
            + Long.toHexString(Double.doubleToRawLongBits(2)));
      }
      store.seal();
      store.write(batch(a, T0, Double.doubleToRawLongBits(3)), 3);
      store.write(batch(a, T0, Double.doubleToRawLongBits(4)), 4);
      try (SelectResult r = store.select(Selector.parse("m"), T0, T0 + 1, allocator)) {
        assertThat(readAll(r)).containsExactly("__name__=m,|" + T0 + "|"
            + Long.toHexString(Double.doubleToRawLongBits(4)));
      }
      store.seal();
      assertThat(store.maintenanceAgent(() -> T0 + DAY).doWork(0)).isEqualTo(1);
      assertThat(store.stats().segmentCount()).isEqualTo(1);
      try (SelectResult r = store.select(Selector.parse("m"), T0, T0 + 1, allocator)) {
        assertThat(readAll(r)).containsExactly("__name__=m,|" + T0 + "|"
            + Long.toHexString(Double.doubleToRawLongBits(4)));
      }
    }
  }

  @Test
  void shouldReopenWithSealedStateAndReportDurableIndexAfterCrash() {
    Labels a = labels("__name__", "m", "i", "1");
    try (ShardStore store = ShardStore.open(tmp, allocator, config)) {
      store.write(batch(a, T0, 1), 7);
      store.seal();
      store.write(batch(a, T0 + 1, 2), 8);
      assertThat(store.lastAppliedIndex()).isEqualTo(8);
      assertThat(store.lastDurableIndex()).isEqualTo(7);
    } // close without sealing = crash for the head
    try (ShardStore store = ShardStore.open(tmp, allocator, config)) {
      assertThat(store.lastDurableIndex()).isEqualTo(7);
      assertThat(store.lastAppliedIndex()).isEqualTo(7);
      try (SelectResult r = store.select(Selector.parse("m"), 0, Long.MAX_VALUE, allocator)) {
        assertThat(readAll(r)).hasSize(1);
      }
      // log replay of entry 8
      store.write(batch(a, T0 + 1, 2), 8);
      try (SelectResult r = store.select(Selector.parse("m"), 0, Long.MAX_VALUE, allocator)) {
        assertThat(readAll(r)).hasSize(2);
      }
    }
  }

  @Test
  void shouldOpenADirectoryHoldingOnlyCheckpointFiles() throws IOException {
    Path src = tmp.resolve("src");
    Path dst = tmp.resolve("dst");
    List<String> expected;
    Checkpoint cp;
    try (ShardStore store = ShardStore.open(src, allocator, config)) {
      for (int i = 0; i < 50; i++) {
        store.write(batch(labels("__name__", "m", "s", "" + (i % 7)), T0 + i * 1000L, i), i + 1);
        if (i == 20) {
          store.seal();
        }
      }
      cp = store.checkpoint();
      assertThat(cp.index()).isEqualTo(50);
      store.write(batch(labels("__name__", "m", "s", "late"), T0, 1), 51);
      store.checkpoint(); // a newer checkpoint must not touch the files of the older one we copy below
      try (SelectResult r = store.select(Selector.parse("m{s!=\"late\"}"), 0, Long.MAX_VALUE, allocator)) {
        expected = readAll(r);
      }
    }
    Files.createDirectories(dst);
    for (Path f : cp.files()) {
      assertThat(f).startsWith(src);
      Files.copy(f, dst.resolve(f.getFileName()));
    }
    try (ShardStore store = ShardStore.open(dst, allocator, config)) {
      assertThat(store.lastAppliedIndex()).isEqualTo(50);
      assertThat(store.lastDurableIndex()).isEqualTo(50);
      try (SelectResult r = store.select(Selector.parse("m"), 0, Long.MAX_VALUE, allocator)) {
        assertThat(readAll(r)).isEqualTo(expected).hasSize(50);
      }
    }
    try (ShardStore store = ShardStore.open(dst, allocator, config)) {
      assertThat(store.lastDurableIndex()).isEqualTo(50);
    }
  }

  @Test
  void shouldRefuseToOpenACorruptedOrTruncatedSegmentNamingTheFile() throws IOException {
    long seed = System.nanoTime();
    System.out.println("shouldRefuseToOpenACorruptedOrTruncatedSegmentNamingTheFile seed=" + seed);
    Random rnd = new Random(seed);
    try (ShardStore store = ShardStore.open(tmp, allocator, config)) {
      for (int i = 0; i < 200; i++) {
        store.write(batch(labels("__name__", "m", "s", "" + (i % 13)), T0 + i * 10_000L, i), i + 1);
      }
      store.seal();
    }
    Path seg;
    try (var files = Files.list(tmp)) {
      seg = files.filter(p -> p.getFileName().toString().endsWith(".qseg")).findFirst().orElseThrow();
    }
    byte[] original = Files.readAllBytes(seg);
    for (int trial = 0; trial < 20; trial++) {
      byte[] bad = original.clone();
      int pos = rnd.nextInt(bad.length);
      bad[pos] ^= (byte) (1 << rnd.nextInt(8));
      Files.write(seg, bad);
      assertThatThrownBy(() -> ShardStore.open(tmp, allocator, config)).as("flip at %d", pos)
          .isInstanceOf(StoreException.class)
          .satisfies(e -> assertThat(((StoreException) e).code()).isEqualTo(ErrorCode.CORRUPT_SEGMENT))
          .hasMessageContaining(seg.getFileName().toString());
    }
    Files.write(seg, java.util.Arrays.copyOf(original, rnd.nextInt(original.length)));
    assertThatThrownBy(() -> ShardStore.open(tmp, allocator, config))
        .isInstanceOf(StoreException.class).hasMessageContaining(seg.getFileName().toString());
    Files.write(seg, original);
    try (ShardStore store = ShardStore.open(tmp, allocator, config)) {
      assertThat(store.stats().segmentSamples()).isEqualTo(200);
    }
  }

  @Test
  void shouldDetectABlockCorruptedAfterOpenWhenReading() throws IOException {
    try (ShardStore store = ShardStore.open(tmp, allocator, config)) {
      for (int i = 0; i < 100; i++) {
        store.write(batch(labels("__name__", "m", "s", "" + i), T0, i), i + 1);
      }
      store.seal();
      Path seg = tmp.resolve(store.segmentFiles().get(0));
      try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
        // the single record batch makes up most of the file
        ch.write(ByteBuffer.wrap(new byte[] {0x55, 0x55, 0x55, 0x55}), ch.size() / 3);
      }
      assertThatThrownBy(() -> {
        try (SelectResult r = store.select(Selector.parse("m"), 0, Long.MAX_VALUE, allocator)) {
          readAll(r);
        }
      })
          .isInstanceOf(StoreException.class).hasMessageContaining(seg.getFileName().toString())
          .satisfies(e -> assertThat(((StoreException) e).code()).isEqualTo(ErrorCode.CORRUPT_SEGMENT));
    }
  }

  @Test
  void shouldDropSegmentsPastRetention() {
    StoreConfig c = config.toBuilder().retentionMs(3_600_000).segmentWindowMs(3_600_000).build();
    try (ShardStore store = ShardStore.open(tmp, allocator, c)) {
      store.write(batch(labels("__name__", "m"), T0, 1), 1);
      store.write(batch(labels("__name__", "m"), T0 + 4 * 3_600_000L, 2), 2);
      store.seal();
      assertThat(store.stats().segmentCount()).isEqualTo(2);
      assertThat(store.maintenanceAgent(() -> T0 + 4 * 3_600_000L).doWork(0)).isEqualTo(1);
      assertThat(store.stats().segmentCount()).isEqualTo(1);
      try (SelectResult r = store.select(Selector.parse("m"), 0, Long.MAX_VALUE, allocator)) {
        assertThat(readAll(r)).hasSize(1);
      }
    }
  }

  @Test
  void shouldSplitResultsIntoBatchesOfTheConfiguredRowCount() {
    StoreConfig c = config.toBuilder().batchRows(7).build();
    Map<Long, Long> expected = new TreeMap<>();
    try (ShardStore store = ShardStore.open(tmp, allocator, c)) {
      for (int i = 0; i < 100; i++) {
        store.write(batch(labels("__name__", "m", "s", "" + (i % 3)), T0 + i, i), i + 1);
        expected.put(T0 + i, (long) i);
        if (i == 50) {
          store.seal();
        }
      }
      int batches = 0;
      int rows = 0;
      try (SelectResult r = store.select(Selector.parse("m"), 0, Long.MAX_VALUE, allocator)) {
        while (r.next()) {
          batches++;
          assertThat(r.root().getRowCount()).isLessThanOrEqualTo(7);
          rows += r.root().getRowCount();
          for (FieldVector v : r.root().getFieldVectors()) {
            assertThat(v.getValueCount()).isEqualTo(r.root().getRowCount());
          }
        }
      }
      assertThat(rows).isEqualTo(100);
      assertThat(batches).isGreaterThanOrEqualTo(15);
    }
  }
}
