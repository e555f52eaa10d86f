package io.quiver.index.internal;

import io.quiver.index.ErrorCode;
import io.quiver.index.IndexException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.mapdb.Atomic;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBException;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

/**
 * The durable series catalog of one shard, kept in a MapDB file: a transactional {@code BTreeMap} from the first
 * series id of each commit to that commit's batch (every series and symbol created since the previous commit),
 * encoded and checksummed by {@link CatalogCodec}.
 *
 * <p>{@link #commit(MemIndex)} puts one batch and commits the MapDB transaction (write-ahead log fsync'd, then the
 * store fsync'd), so ingestion never touches the disk for the catalog. After a crash the catalog holds every
 * completed commit; the caller's Raft log replay re-creates later series in the same order, hence with the same
 * ids. Loading checks each batch's checksum and that it continues exactly where the previous one ended, so a
 * damaged file is reported as {@link ErrorCode#CORRUPT_INDEX} naming the file, never served with a gap.
 *
 * <p>MapDB 3.1.0 writes its write-ahead log but never replays it on open, so a crash in the middle of a commit's
 * in-place update can leave the file unreadable; the store then recovers the index from its newest checkpoint and
 * the Raft log (see {@code docs/design/index.md}).
 */
public final class CatalogStore implements AutoCloseable {
  /** Name of the catalog file inside the index directory. */
  public static final String FILE_NAME = "catalog.mapdb";

  private static final String BATCHES = "batches";
  private static final String FORMAT = "format";
  /** Series count as of the last commit, written in the same transaction as the batch: a lost batch is detected. */
  private static final String SERIES = "series";
  private static final String FORMAT_VERSION = "quiver-catalog-1";
  /** The retired append-only catalog file of earlier builds; never read. */
  private static final String RETIRED_FILE_NAME = "catalog.qcl";

  private final Path file;
  private final DB db;
  private final BTreeMap<Integer, byte[]> batches;
  private final Atomic.Integer seriesCount;
  private int committedSeries;
  private int committedSymbols;
  private boolean closed;

  private CatalogStore(Path file, DB db, BTreeMap<Integer, byte[]> batches, Atomic.Integer seriesCount, int series,
      int symbols) {
    this.file = file;
    this.db = db;
    this.batches = batches;
    this.seriesCount = seriesCount;
    this.committedSeries = series;
    this.committedSymbols = symbols;
  }

  /** Opens (creating if absent) the catalog in {@code dir} and loads it into the empty {@code mem}. */
  public static CatalogStore open(Path dir, MemIndex mem) {
    Path file = dir.resolve(FILE_NAME);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IndexException(ErrorCode.IO, "cannot create index directory [dir=" + dir + ", error=" + e + "]", e);
    }
    if (!Files.exists(file) && Files.exists(dir.resolve(RETIRED_FILE_NAME))) {
      throw corrupt(dir.resolve(RETIRED_FILE_NAME), "catalog in a retired format; restore the shard from a replica",
          null);
    }
    DB db = openDb(file);
    try {
      Atomic.String format = db.atomicString(FORMAT, FORMAT_VERSION).createOrOpen();
      if (!FORMAT_VERSION.equals(format.get())) {
        throw corrupt(file, "unknown catalog format [format=" + format.get() + "]", null);
      }
      BTreeMap<Integer, byte[]> batches = batchesMaker(db).createOrOpen();
      Atomic.Integer seriesCount = db.atomicInteger(SERIES, 0).createOrOpen();
      db.commit();
      load(batches, file, mem);
      if (mem.seriesCount() != seriesCount.get()) {
        throw corrupt(file, "batches do not add up to the committed series count [series=" + mem.seriesCount()
            + ", committed=" + seriesCount.get() + "]", null);
      }
      return new CatalogStore(file, db, batches, seriesCount, mem.seriesCount(), mem.symbolCount());
    } catch (IndexException e) {
      closeQuietly(db, e);
      throw e;
    } catch (RuntimeException e) { // MapDB reports damage as DBException (and its own internal errors) unchecked
      closeQuietly(db, e);
      throw corrupt(file, "unreadable catalog store [error=" + e + "]", e);
    }
  }

  private static DB openDb(Path file) {
    try {
      return makeDb(file);
    } catch (DBException.FileLocked e) {
      throw new IndexException(ErrorCode.IO, "catalog is already open (in this or another process) [file=" + file
          + "]", e);
    } catch (RuntimeException e) {
      throw corrupt(file, "cannot open catalog store [error=" + e + "]", e);
    }
  }

  private static void load(BTreeMap<Integer, byte[]> batches, Path file, MemIndex mem) {
    CatalogLoader loader = new CatalogLoader(mem);
    int[] bounds = new int[2];
    for (Map.Entry<Integer, byte[]> e : batches.entrySet()) {
      byte[] frame = e.getValue();
      if (e.getKey() != mem.seriesCount()) {
        throw corrupt(file, "batch does not continue the catalog [firstSeries=" + e.getKey() + ", expected="
            + mem.seriesCount() + "]", null);
      }
      CatalogCodec.FrameStatus status = CatalogCodec.readFrame(frame, 0, bounds);
      if (status != CatalogCodec.FrameStatus.OK || bounds[1] != frame.length) {
        throw corrupt(file, "damaged batch [firstSeries=" + e.getKey() + ", status=" + status + ", bytes="
            + frame.length + "]", null);
      }
      try {
        CatalogCodec.decodeBatch(frame, bounds[0], bounds[1], mem.seriesCount(), mem.symbolCount(), loader);
      } catch (ByteSource.Malformed m) {
        throw corrupt(file, m.getMessage() + " [firstSeries=" + e.getKey() + "]", m);
      }
    }
  }

  /**
   * Makes durable everything created since the last commit. Safe to call from any thread, concurrently with the
   * writer: it encodes the series published when it starts.
   */
  public synchronized void commit(MemIndex mem) {
    if (closed) {
      throw new IllegalStateException("catalog closed [file=" + file + "]");
    }
    int series = mem.seriesCount();
    int symbols = mem.symbolCount(); // read after the series count: covers every symbol those series use
    if (series == committedSeries && symbols == committedSymbols) {
      return;
    }
    ByteSink batch = new ByteSink(64 + (series - committedSeries) * 24);
    CatalogCodec.encodeBatch(CatalogCodec.source(mem), committedSeries, series, committedSymbols, symbols, batch);
    ByteSink frame = new ByteSink(batch.size() / 3 + 64);
    CatalogCodec.appendBatchFrame(batch, frame);
    try {
      batches.put(committedSeries, Arrays.copyOf(frame.array(), frame.size()));
      seriesCount.set(series);
      db.commit();
    } catch (RuntimeException e) {
      try {
        db.rollback();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new IndexException(ErrorCode.IO, "catalog commit failed [file=" + file + ", error=" + e + "]", e);
    }
    committedSeries = series;
    committedSymbols = symbols;
  }

  /**
   * Writes a new catalog file holding {@code frames} (whole batch frames by their first series id, as snapshots carry
   * them) and {@code series} as the committed count.
   */
  static void create(Path file, Map<Integer, byte[]> frames, int series) throws IOException {
    deleteStore(file);
    DB db = makeDb(file);
    try {
      db.atomicString(FORMAT, FORMAT_VERSION).create();
      BTreeMap<Integer, byte[]> batches = batchesMaker(db).create();
      batches.putAll(frames);
      db.atomicInteger(SERIES, series).create();
      db.commit();
    } finally {
      db.close();
    }
  }

  /**
   * FileChannel rather than the default RandomAccessFile (MapDB's own advice); write-ahead log on. Explicit
   * serializers everywhere below, so MapDB's reflective default serializer is never used.
   */
  private static DB makeDb(Path file) {
    return DBMaker.fileDB(file.toFile()).fileChannelEnable().transactionEnable().make();
  }

  /** One record per commit, stored outside the B-tree nodes so a put does not rewrite its neighbours' batches. */
  private static DB.TreeMapMaker<Integer, byte[]> batchesMaker(DB db) {
    return db.treeMap(BATCHES, Serializer.INTEGER, Serializer.BYTE_ARRAY).valuesOutsideNodesEnable();
  }

  /** Deletes a catalog file and any write-ahead log files MapDB left next to it. */
  static void deleteStore(Path file) throws IOException {
    for (Path p : storeFiles(file)) {
      Files.deleteIfExists(p);
    }
  }

  /** The catalog file and MapDB's write-ahead log files ({@code <file>.wal.<n>}) that exist. */
  private static List<Path> storeFiles(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    String name = file.getFileName().toString();
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> {
        String n = p.getFileName().toString();
        return n.equals(name) || n.startsWith(name + ".wal.");
      }).toList();
    }
  }

  /** Series durable in the catalog. */
  public synchronized int committedSeries() {
    return committedSeries;
  }

  /** Bytes of the catalog on disk (the MapDB file and any write-ahead log files). */
  public synchronized long fileBytes() {
    long total = 0;
    try {
      for (Path p : storeFiles(file)) {
        total += Files.size(p);
      }
    } catch (IOException e) {
      throw new IndexException(ErrorCode.IO, "cannot size catalog [file=" + file + ", error=" + e + "]", e);
    }
    return total;
  }

  static IndexException corrupt(Path file, String what, Throwable cause) {
    return new IndexException(ErrorCode.CORRUPT_INDEX, "corrupt catalog: " + what + " [file=" + file + "]", cause);
  }

  private static void closeQuietly(DB db, Exception failure) {
    try {
      db.close();
    } catch (RuntimeException suppressed) {
      failure.addSuppressed(suppressed);
    }
  }

  /** Closes the file; does not commit (the facade does). Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      db.close();
    } catch (RuntimeException e) {
      throw new IndexException(ErrorCode.IO, "cannot close catalog [file=" + file + ", error=" + e + "]", e);
    }
  }
}
