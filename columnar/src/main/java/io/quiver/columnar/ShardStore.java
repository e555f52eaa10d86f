package io.quiver.columnar;

import io.quiver.columnar.internal.ColumnarEngine;
import io.quiver.columnar.internal.Manifest;
import io.quiver.columnar.internal.RecoveryPlan;
import io.quiver.columnar.internal.SegmentMeta;
import io.quiver.index.IndexException;
import io.quiver.index.Labels;
import io.quiver.index.SeriesIndex;
import io.quiver.index.Selector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.util.AutoCloseables;
import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage engine of one shard: the label index ({@link SeriesIndex}) composed with the columnar head and
 * sealed segments. See {@code docs/design/columnar.md}.
 *
 * <p><b>Threads.</b> One writer (the shard's Raft apply thread) calls {@link #write}, {@link #seal} and
 * {@link #checkpoint}; any thread may call the read methods concurrently; one maintenance thread may step
 * {@link #maintenanceAgent}. A read sees whole write batches.
 *
 * <p><b>Durability.</b> {@link #write} only touches memory. When the head exceeds
 * {@link StoreConfig#headMaxBytes()}, when the heads of the node together exceed their {@link HeadMemory}, or on
 * {@link #seal}/{@link #checkpoint}, the head is sealed into segment
 * files (temp file, fsync, rename, fsync directory), the index is committed and the live manifest records
 * {@link #lastDurableIndex()}. After a crash {@link #open} restores exactly that state; the caller replays its log
 * from {@code lastDurableIndex() + 1}.
 *
 * <p><b>Dedup rule.</b> A (series, timestamp) pair is stored once; the last write in log order wins, within the head,
 * between segments (newer seal wins) and between head and segments (head wins).
 */
public final class ShardStore implements AutoCloseable {
  private static final io.quiver.index.ErrorCode CORRUPT_INDEX = io.quiver.index.ErrorCode.CORRUPT_INDEX;
  private static final Logger LOG = LoggerFactory.getLogger(ShardStore.class);
  /** Sub-directory of the store directory holding the live series index. */
  public static final String INDEX_DIR = "index";

  private final Path dir;
  private final BufferAllocator allocator;
  private final StoreConfig config;
  private final SeriesIndex index;
  private final ColumnarEngine engine;
  private final HeadMemory heads;
  private volatile boolean closed;

  private ShardStore(Path dir, BufferAllocator allocator, StoreConfig config, SeriesIndex index,
      ColumnarEngine engine, HeadMemory heads) {
    this.dir = dir;
    this.allocator = allocator;
    this.config = config;
    this.index = index;
    this.engine = engine;
    this.heads = heads;
  }

  /**
   * Opens (or creates) the store in {@code dir}. Works on a directory left by a crash (everything sealed and
   * fsync'd is there), and on a directory holding only the files of a {@link Checkpoint} (a Raft snapshot install):
   * the index is then restored from the checkpoint's index snapshot.
   *
   * @param allocator parent allocator; the store takes a child allocator for its own buffers
   * @throws StoreException {@link ErrorCode#CORRUPT_SEGMENT} / {@link ErrorCode#CORRUPT_MANIFEST} naming the file if
   *     a listed file is damaged or truncated (nothing is served from it), {@link ErrorCode#IO} on I/O errors
   */
  public static ShardStore open(Path dir, BufferAllocator allocator, StoreConfig config) {
    return open(dir, allocator, config, StorageIo.DEFAULT);
  }

  /**
   * As {@link #open(Path, BufferAllocator, StoreConfig)}, counting the head against {@code heads}, a budget shared
   * with the other stores of this process (a node's shard replicas), until {@link #close}.
   */
  public static ShardStore open(Path dir, BufferAllocator allocator, StoreConfig config, HeadMemory heads) {
    return open(dir, allocator, config, StorageIo.DEFAULT, heads);
  }

  /**
   * As {@link #open(Path, BufferAllocator, StoreConfig, StorageIo, HeadMemory)} with a budget of this store's own,
   * of {@link StoreConfig#headsMaxBytes()}.
   */
  public static ShardStore open(Path dir, BufferAllocator allocator, StoreConfig config, StorageIo io) {
    return open(dir, allocator, config, io, new HeadMemory(config.headsMaxBytes()));
  }

  /**
   * As {@link #open(Path, BufferAllocator, StoreConfig)} with an explicit I/O layer (tests inject faults).
   *
   * <p>If the live series catalog is unreadable ({@code CORRUPT_INDEX}: a crash in the middle of a catalog commit
   * can leave its MapDB file so), the live state is abandoned and the store reopens from its newest checkpoint, or
   * empty if it has none, with a lower {@link #lastDurableIndex()}: the Raft log, which is kept from the latest
   * snapshot (that checkpoint) on, replays the rest. Logged as an error. A damaged checkpoint is still fatal.
   */
  public static ShardStore open(Path dir, BufferAllocator allocator, StoreConfig config, StorageIo io,
      HeadMemory heads) {
    RecoveryPlan plan = RecoveryPlan.of(dir);
    try {
      return open(dir, plan, allocator, config, io, heads);
    } catch (StoreException e) {
      if (plan.restoreIndexFrom() != null || !(e.getCause() instanceof IndexException ie)
          || ie.code() != CORRUPT_INDEX) {
        throw e;
      }
      LOG.error("series catalog unreadable: abandoning the live state, reopening from the newest checkpoint"
          + " [dir={}, checkpoint={}, liveDurableIndex={}, error={}]", dir, plan.checkpointName(),
          plan.manifest().durableIndex(), ie.getMessage());
      try {
        // Crash-safe order: without the live manifest, any later open also picks the checkpoint (or empty).
        io.delete(dir.resolve(Manifest.LIVE));
        io.fsyncDirectory(dir);
      } catch (IOException deleteFailed) {
        e.addSuppressed(deleteFailed);
        throw e;
      }
      deleteTree(dir.resolve(INDEX_DIR));
      return open(dir, RecoveryPlan.of(dir), allocator, config, io, heads);
    }
  }

  private static ShardStore open(Path dir, RecoveryPlan plan, BufferAllocator allocator, StoreConfig config,
      StorageIo io, HeadMemory heads) {
    Path indexDir = dir.resolve(INDEX_DIR);
    SeriesIndex index = null;
    BufferAllocator child = allocator.newChildAllocator("shard-store:" + dir.getFileName(), 0, Long.MAX_VALUE);
    try {
      if (plan.restoreIndexFrom() != null) {
        deleteTree(indexDir);
        SeriesIndex.restore(plan.restoreIndexFrom(), indexDir);
      }
      index = SeriesIndex.open(indexDir);
      ColumnarEngine engine = ColumnarEngine.open(dir, plan, child, config, io);
      if (engine.maxSeriesId() >= index.seriesCount()) {
        engine.close();
        throw new StoreException(ErrorCode.CORRUPT_MANIFEST, "series index is behind the segments [dir=" + dir
            + ", indexSeries=" + index.seriesCount() + ", maxSeriesId=" + engine.maxSeriesId() + "]");
      }
      ShardStore store = new ShardStore(dir, child, config, index, engine, heads);
      heads.join(store);
      return store;
    } catch (IndexException e) {
      closeQuietly(index, child);
      throw new StoreException(ErrorCode.CORRUPT_MANIFEST, "cannot open series index [dir=" + indexDir + "]", e);
    } catch (RuntimeException e) {
      closeQuietly(index, child);
      throw e;
    }
  }

  private static void closeQuietly(SeriesIndex index, BufferAllocator child) {
    try {
      AutoCloseables.close(index, child);
    } catch (Exception suppressed) {
      // already failing
    }
  }

  private static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    } catch (IOException e) {
      throw new StoreException(ErrorCode.IO, "cannot replace index directory [dir=" + p + "]", e);
    }
  }

  /**
   * Applies a batch atomically as log entry {@code logIndex} (single writer). Readers see all of it or none of it.
   * Re-applying an entry is harmless (same values, dedup). Seals the head when it exceeds its own cap, or when the
   * heads sharing its {@link HeadMemory} together exceed theirs and the budget picks this one (see
   * {@link HeadMemory}).
   */
  public void write(WriteBatch batch, long logIndex) {
    checkOpen();
    engine.batchLock().writeLock().lock();
    try {
      for (SeriesSamples s : batch.series()) {
        if (s.size() > 0) {
          engine.append(index.getOrCreate(s.labels()), s.timestampsMs(), s.valueBits());
        }
      }
      engine.applied(logIndex);
    } finally {
      engine.batchLock().writeLock().unlock();
    }
    long head = engine.headBytes();
    if (head > config.headMaxBytes()) {
      seal();
    } else {
      heads.sealIfOver(this, head);
    }
  }

  /** Bytes the head holds now (what {@link StoreConfig#headMaxBytes()} and the shared {@link HeadMemory} count). */
  public long headBytes() {
    return engine.headBytes();
  }

  /** Log index of the last {@link #write} (or of the restored state); 0 for a new store. */
  public long lastAppliedIndex() {
    return engine.lastAppliedIndex();
  }

  /** Everything at or below this log index is sealed and fsync'd; replay the log from the next index. */
  public long lastDurableIndex() {
    return engine.lastDurableIndex();
  }

  /** Seals the head into segment files and commits the index (writer thread). */
  public void seal() {
    checkOpen();
    engine.seal(index::commit);
  }

  /**
   * Seals, commits the index, writes an index snapshot and a checkpoint manifest, and returns the immutable files
   * holding the state up to {@link #lastAppliedIndex()} (writer thread). The files stay untouched until the next
   * checkpoint; copying them into an empty directory and calling {@link #open} yields this state.
   */
  public Checkpoint checkpoint() {
    checkOpen();
    List<Path> files = engine.checkpoint(index::commit, index::snapshotTo);
    return new Checkpoint(engine.lastDurableIndex(), files);
  }

  /**
   * Streams the samples of the series matching {@code selector} in {@code [fromMs, toMsExclusive)}, with label
   * columns; safe concurrently with {@link #write}. Close the result.
   */
  public SelectResult select(Selector selector, long fromMs, long toMsExclusive, BufferAllocator allocator) {
    checkOpen();
    RoaringBitmap ids = index.select(selector);
    ColumnarEngine.Scan scan = engine.scan(ids, fromMs, toMsExclusive, allocator);
    try {
      RoaringBitmap present = scan.candidates();
      return new SelectResult(scan, present, index::labels, allocator, config.batchRows());
    } catch (RuntimeException e) {
      scan.close();
      throw e;
    }
  }

  /**
   * Raw scan by series id (null = all series) over {@code [fromMs, toMsExclusive)}: {@code series_id, timestamp,
   * value} batches ordered by series then time. Close it.
   */
  public SampleScan scan(RoaringBitmap series, long fromMs, long toMsExclusive, BufferAllocator allocator) {
    checkOpen();
    return new SampleScan(engine.scan(series, fromMs, toMsExclusive, allocator), allocator, config.batchRows());
  }

  /** Ids of the series matching {@code selector}. */
  public RoaringBitmap selectIds(Selector selector) {
    return index.select(selector);
  }

  /** Label sets of the series matching {@code selector}, in id order. */
  public List<Labels> series(Selector selector) {
    RoaringBitmap ids = index.select(selector);
    List<Labels> out = new ArrayList<>(ids.getCardinality());
    PeekableIntIterator it = ids.getIntIterator();
    while (it.hasNext()) {
      out.add(index.labels(it.next()));
    }
    return out;
  }

  /** Label sets of series {@code seriesId}. */
  public Labels labels(int seriesId) {
    return index.labels(seriesId);
  }

  /** All label names, sorted. */
  public List<String> labelNames() {
    return index.labelNames();
  }

  /** All values of label {@code name}, sorted. */
  public List<String> labelValues(String name) {
    return index.labelValues(name);
  }

  /** Point-in-time counters. */
  public StoreStats stats() {
    return new StoreStats(index.seriesCount(), engine.headSamples(), engine.headBytes(), engine.segmentCount(),
        engine.segmentSamples(), engine.segmentBytes(), engine.lastAppliedIndex(), engine.lastDurableIndex());
  }

  /** Bytes of every file under the store directory (segments, manifests, checkpoints, index). */
  public long diskBytes() {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0; // deleted meanwhile
        }
      }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Live segment files (oldest first). */
  public List<String> segmentFiles() {
    return engine.segments().stream().map(SegmentMeta::fileName).toList();
  }

  /** A maintenance duty cycle (retention, compaction) using {@code wallClockMs} as the clock for retention. */
  public StoreMaintenanceAgent maintenanceAgent(LongSupplier wallClockMs) {
    return new StoreMaintenanceAgent(engine, wallClockMs);
  }

  /** The store directory. */
  public Path dir() {
    return dir;
  }

  private void checkOpen() {
    if (closed) {
      throw new StoreException(ErrorCode.CLOSED, "shard store closed [dir=" + dir + "]");
    }
  }

  /**
   * Closes files and frees memory. The head is not sealed: unsealed writes are recovered by log replay. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    heads.leave(this);
    try {
      AutoCloseables.close(engine, index, allocator);
    } catch (Exception e) {
      throw new StoreException(ErrorCode.IO, "error closing shard store [dir=" + dir + "]", e);
    }
  }
}
