package io.quiver.columnar;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.index.Labels;
import io.quiver.index.Selector;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash points: every file operation of seal, checkpoint and compaction in turn fails (a write leaves a torn temp
 * file), the store is abandoned, and a reopen must yield exactly the state of some durable index with no error.
 */
class CrashRecoveryTest {
  @TempDir Path tmp;
  BufferAllocator allocator;
  final StoreConfig config = StoreConfig.builder().retentionMs(0).segmentWindowMs(600_000).build();

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    allocator.close();
  }

  /** Fails the {@code failAt}-th operation; a failing write writes only a prefix first (a torn file). */
  static final class FaultyIo implements StorageIo {
    final int failAt;
    int ops;

    FaultyIo(int failAt) {
      this.failAt = failAt;
    }

    private void step() throws IOException {
      if (ops++ == failAt) {
        throw new IOException("injected crash at op " + failAt);
      }
    }

    @Override
    public void write(Path file, List<ByteBuffer> data) throws IOException {
      if (ops == failAt) {
        ByteBuffer first = data.get(0).duplicate();
        first.limit(first.position() + first.remaining() / 2);
        StorageIo.super.write(file, List.of(first));
      }
      step();
      StorageIo.super.write(file, data);
    }

    @Override
    public void fsync(Path file) throws IOException {
      step(); // a crash point; the real fsync is skipped to keep the test fast (crashes here are simulated)
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
      step();
      StorageIo.super.rename(from, to);
    }

    @Override
    public void fsyncDirectory(Path dir) throws IOException {
      step();
    }

    @Override
    public void delete(Path file) throws IOException {
      step();
      StorageIo.super.delete(file);
    }
  }

  static WriteBatch batch(Random rnd, int entry) {
    List<SeriesSamples> list = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      long ts = 1_000_000L + rnd.nextInt(300) * 1000L;
      list.add(new SeriesSamples(Labels.of("__name__", "m", "s", "" + rnd.nextInt(5)), new long[] {ts},
          new long[] {entry * 10L + s}));
    }
    return new WriteBatch(list);
  }

  /** State after applying entries 1..upTo: "labels|ts" -> value bits. */
  static Map<String, Long> model(long seed, int upTo) {
    Random rnd = new Random(seed);
    Map<String, Long> m = new TreeMap<>();
    for (int e = 1; e <= upTo; e++) {
      for (SeriesSamples s : batch(rnd, e).series()) {
        m.put(s.labels() + "|" + s.timestampsMs()[0], s.valueBits()[0]);
      }
    }
    return m;
  }

  Map<String, Long> read(ShardStore store) {
    Map<String, Long> m = new TreeMap<>();
    try (SelectResult r = store.select(Selector.parse("m"), Long.MIN_VALUE, Long.MAX_VALUE, allocator)) {
      List<Labels> all = store.series(Selector.parse("m"));
      while (r.next()) {
        TimeStampMilliTZVector ts = (TimeStampMilliTZVector) r.root().getVector(0);
        org.apache.arrow.vector.IntVector s = (org.apache.arrow.vector.IntVector) r.root().getVector(3);
        org.apache.arrow.vector.VarCharVector dict = (org.apache.arrow.vector.VarCharVector) r.dictionaries()
            .lookup(r.schema().getFields().get(3).getDictionary().getId()).getVector();
        for (int i = 0; i < r.root().getRowCount(); i++) {
          Labels l = Labels.of("__name__", "m", "s", dict.getObject(s.get(i)).toString());
          assertThat(all).contains(l);
          m.put(l + "|" + ts.get(i), r.root().getVector(1).getDataBuffer().getLong(8L * i));
        }
      }
    }
    return m;
  }

  @Test
  void shouldRecoverADurableStateAfterACrashAtEveryFileOperation() throws IOException {
    long seed = System.nanoTime();
    System.out.println("CrashRecoveryTest seed=" + seed);
    for (int failAt = 0; ; failAt++) {
      Path dir = tmp.resolve("run-" + failAt);
      Random rnd = new Random(seed);
      int entry = 0;
      try (ShardStore store = ShardStore.open(dir, allocator, config, new FaultyIo(-1))) {
        for (; entry < 10; ) {
          store.write(batch(rnd, ++entry), entry);
        }
        store.seal();
      }
      boolean crashed = false;
      FaultyIo io = new FaultyIo(failAt);
      try (ShardStore store = ShardStore.open(dir, allocator, config, io)) {
        try {
          for (; entry < 20; ) {
            store.write(batch(rnd, ++entry), entry);
          }
          store.seal();
          for (; entry < 30; ) {
            store.write(batch(rnd, ++entry), entry);
          }
          store.checkpoint();
          while (store.maintenanceAgent(() -> Long.MAX_VALUE).doWork(0) > 0) {
            // compact every window (all closed at this clock; retention is off)
          }
          for (; entry < 35; ) {
            store.write(batch(rnd, ++entry), entry);
          }
          store.checkpoint();
        } catch (StoreException e) {
          assertThat(e.code()).isEqualTo(ErrorCode.IO);
          crashed = true;
        }
      }
      try (ShardStore store = ShardStore.open(dir, allocator, config, new FaultyIo(-1))) {
        long durable = store.lastDurableIndex();
        assertThat(durable).as("failAt=%d seed=%d", failAt, seed).isIn(10L, 20L, 30L, 35L);
        assertThat(read(store)).as("failAt=%d seed=%d durable=%d", failAt, seed, durable)
            .isEqualTo(model(seed, (int) durable));
        if (!crashed) {
          assertThat(durable).isEqualTo(35);
          assertThat(failAt).isGreaterThan(5);
          return;
        }
      }
      try (var files = Files.list(dir)) {
        assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
      }
    }
  }

  /**
   * A crash inside a catalog commit can leave the catalog's MapDB file unreadable: the store then reopens from its
   * newest checkpoint (or empty), and replaying the log from there (as Raft does) restores exactly the lost state.
   */
  @Test
  void shouldFallBackToTheNewestCheckpointWhenTheCatalogIsUnreadable() throws IOException {
    for (boolean withCheckpoint : new boolean[] {true, false}) {
      long seed = System.nanoTime();
      Path dir = tmp.resolve("catalog-" + withCheckpoint);
      Random rnd = new Random(seed);
      List<WriteBatch> log = new ArrayList<>();
      for (int entry = 1; entry <= 20; entry++) {
        log.add(batch(rnd, entry));
      }
      try (ShardStore store = ShardStore.open(dir, allocator, config)) {
        for (int entry = 1; entry <= 20; entry++) {
          store.write(log.get(entry - 1), entry);
          if (entry == 10 && withCheckpoint) {
            store.checkpoint();
          }
        }
        store.seal();
        assertThat(store.lastDurableIndex()).isEqualTo(20);
      }
      Files.write(dir.resolve(ShardStore.INDEX_DIR).resolve("catalog.mapdb"), new byte[4096]);
      long restart = withCheckpoint ? 10 : 0;
      try (ShardStore store = ShardStore.open(dir, allocator, config)) {
        assertThat(store.lastDurableIndex()).as("seed=%d checkpoint=%s", seed, withCheckpoint).isEqualTo(restart);
        assertThat(read(store)).as("seed=%d checkpoint=%s", seed, withCheckpoint).isEqualTo(model(seed, (int) restart));
        for (int entry = (int) restart + 1; entry <= 20; entry++) {
          store.write(log.get(entry - 1), entry); // the Raft log replay
        }
        store.seal();
      }
      try (ShardStore store = ShardStore.open(dir, allocator, config)) {
        assertThat(store.lastDurableIndex()).isEqualTo(20);
        assertThat(read(store)).as("seed=%d checkpoint=%s", seed, withCheckpoint).isEqualTo(model(seed, 20));
      }
    }
  }
}
