package io.quiver.index;

import io.quiver.index.internal.CatalogStore;
import io.quiver.index.internal.CatalogSnapshot;
import io.quiver.index.internal.MemIndex;
import io.quiver.index.internal.SelectEvaluator;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.roaringbitmap.RoaringBitmap;

/**
 * The label index of one shard: the series catalog (labels to dense int series id, durable) and the postings
 * (label name and value to the bitmap of series ids) that answer selectors.
 *
 * <p><b>Ids.</b> The n-th distinct label set passed to {@link #getOrCreate(Labels)} gets id {@code n - 1}, so
 * replicas applying the same Raft log assign the same ids. Ids are never reused.
 *
 * <p><b>Threads.</b> One writer (the shard's Raft apply thread) calls {@link #getOrCreate(Labels)}; any number of
 * threads may call the read methods concurrently, without locks. A reader sees each series completely or not at
 * all, and a {@link #select(Selector)} is evaluated against one consistent state. {@link #commit()},
 * {@link #snapshotTo(Path)} and {@link #close()} are safe from any thread.
 *
 * <p><b>Durability.</b> Creating a series only touches memory. {@link #commit()} writes everything created since
 * the previous commit to the catalog, a MapDB file, as one transaction; after a crash the index reopens as of the
 * last commit and the caller's log replay re-creates later series with the same ids. Postings are not stored:
 * {@link #open(Path)} rebuilds them from the catalog. See {@code docs/design/index.md}.
 */
public final class SeriesIndex implements AutoCloseable {
  /** Hands each open index a distinct token for {@link Labels}' series-reference cache; 0 is never handed out. */
  private static final AtomicLong TOKENS = new AtomicLong();
  private static final long MAX_TOKEN = 0xFFFF_FFFFL;

  /**
   * This instance's tag in {@link Labels#seriesRef()}, in {@code [1, 2^32)}; 0 (cache off) once 2^32 - 1 indexes have
   * been opened in this JVM, so a token is never reused and a stale reference can never match.
   */
  private final long token;
  private final Path dir;
  private final MemIndex mem;
  private final SelectEvaluator evaluator;
  private final CatalogStore catalog;
  private volatile boolean closed;

  private SeriesIndex(Path dir, MemIndex mem, CatalogStore catalog) {
    this.dir = dir;
    this.mem = mem;
    this.catalog = catalog;
    this.evaluator = new SelectEvaluator(mem);
    long t = TOKENS.incrementAndGet();
    this.token = t <= MAX_TOKEN ? t : 0;
  }

  /**
   * Opens the index stored in {@code dir}, creating an empty one if the directory holds none, and rebuilds the
   * postings from the catalog.
   *
   * @throws IndexException {@link ErrorCode#CORRUPT_INDEX} naming the file if the catalog is damaged or unreadable,
   *     {@link ErrorCode#IO} on I/O errors
   */
  public static SeriesIndex open(Path dir) {
    MemIndex mem = new MemIndex();
    CatalogStore catalog = CatalogStore.open(dir, mem);
    return new SeriesIndex(dir, mem, catalog);
  }

  /**
   * The id of {@code labels}, creating the series with the next id if it is new. Writer thread only.
   *
   * <p>Fast path: the id is remembered in the {@code labels} instance, tagged with this index's token, so a caller
   * that passes the same instance again (a scrape loop, a batch re-applied in process) skips hashing and comparing
   * the label set. The cache never changes which id a label set gets: ids are assigned by the hash table on first
   * sight, and an index never forgets or reuses an id while open.
   *
   * @throws IndexException {@link ErrorCode#INVALID_LABELS} for the empty label set
   */
  public int getOrCreate(Labels labels) {
    long ref = labels.seriesRef();
    if (token != 0 && ref >>> 32 == token) {
      return (int) ref;
    }
    int id = mem.getOrCreate(checkLabels(labels));
    if (token != 0) {
      labels.seriesRef(token << 32 | id);
    }
    return id;
  }

  /** The id of {@code labels}, or -1 if the index has no such series. */
  public int lookup(Labels labels) {
    long ref = labels.seriesRef();
    if (token != 0 && ref >>> 32 == token && (int) ref < mem.seriesCount()) {
      return (int) ref;
    }
    return mem.lookup(labels);
  }

  /**
   * The labels of series {@code seriesId}.
   *
   * @throws IllegalArgumentException if no series has that id
   */
  public Labels labels(int seriesId) {
    if (seriesId < 0 || seriesId >= mem.seriesCount()) {
      throw new IllegalArgumentException("unknown series id [seriesId=" + seriesId + ", seriesCount="
          + mem.seriesCount() + ", dir=" + dir + "]");
    }
    return mem.labels(seriesId);
  }

  /** Number of series; ids run from 0 to {@code seriesCount() - 1}. */
  public int seriesCount() {
    return mem.seriesCount();
  }

  /** The ids of the series {@code selector} matches, as a new bitmap owned by the caller. */
  public RoaringBitmap select(Selector selector) {
    return evaluator.select(selector);
  }

  /** The label names carried by at least one series, sorted. */
  public List<String> labelNames() {
    return mem.labelNames(mem.seriesCount());
  }

  /** The values label {@code name} takes in at least one series, sorted; empty for an unknown name. */
  public List<String> labelValues(String name) {
    return mem.labelValues(name, mem.seriesCount());
  }

  /**
   * Makes every series created so far durable: writes them to the catalog in one MapDB transaction. Cheap when
   * nothing changed. The store calls this when it seals segments, before it records the sealed position as durable.
   *
   * @throws IndexException {@link ErrorCode#IO} if the write fails (nothing is then considered committed)
   */
  public void commit() {
    checkOpen();
    catalog.commit(mem);
  }

  /** Number of series made durable by {@link #commit()} (they survive a crash). */
  public int committedSeriesCount() {
    return catalog.committedSeries();
  }

  /** Bytes the index occupies on disk (the catalog's MapDB file; postings are not stored). */
  public long diskBytes() {
    return catalog.fileBytes();
  }

  /**
   * Writes the whole catalog, as of the start of the call, to {@code file}: one immutable, checksummed,
   * self-contained file (written to a temporary sibling, fsync'd, renamed into place). Does not need
   * {@link #commit()} first and does not block the writer.
   */
  public void snapshotTo(Path file) {
    checkOpen();
    CatalogSnapshot.write(mem, file);
  }

  /**
   * Turns snapshot {@code file} into the index directory {@code dir} (created if needed, its catalog replaced);
   * {@link #open(Path)} on {@code dir} then yields the snapshot's series with the same ids. The index in
   * {@code dir} must not be open.
   *
   * @throws IndexException {@link ErrorCode#CORRUPT_INDEX} naming the file if it is truncated or damaged (then
   *     {@code dir} is left untouched)
   */
  public static void restore(Path file, Path dir) {
    CatalogSnapshot.restore(file, dir);
  }

  /** Commits and closes the catalog. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    try {
      catalog.commit(mem);
    } finally {
      closed = true;
      catalog.close();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("series index closed [dir=" + dir + "]");
    }
  }

  private static Labels checkLabels(Labels labels) {
    if (labels.size() == 0) {
      throw new IndexException(ErrorCode.INVALID_LABELS, "a series needs at least one label [labels={}]");
    }
    return labels;
  }
}
