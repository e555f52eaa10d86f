package io.quiver.columnar.internal;

import io.quiver.columnar.ErrorCode;
import io.quiver.columnar.StorageIo;
import io.quiver.columnar.StoreConfig;
import io.quiver.columnar.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The columnar half of a shard store, keyed by dense series ids: head, sealed segments, the live manifest,
 * checkpoints, scans, compaction and retention. {@code ShardStore} composes it with the series index.
 *
 * <p>Threads: one writer (appends, seal, checkpoint), any number of scans, and one maintenance thread
 * (compaction, retention). Appends run under the write lock of {@link #batchLock()} so scans see whole batches;
 * view and manifest changes are serialised by {@code stateLock}.
 */
public final class ColumnarEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ColumnarEngine.class);
  /** Checkpoints whose files are kept: the newest and the one before. */
  static final int RETAINED_CHECKPOINTS = 2;

  private final Path dir;
  private final BufferAllocator allocator;
  private final StoreConfig config;
  private final StorageIo io;
  private final ReentrantReadWriteLock batchLock = new ReentrantReadWriteLock();
  private final Object stateLock = new Object();
  private volatile StoreView view;
  private long nextSeq;
  /**
   * File numbers handed out for segment files not yet published in the view nor abandoned (guarded by stateLock): a
   * seal on the writer thread and a compaction on the maintenance thread each write files before they publish them,
   * and {@link #deleteUnreferenced} (run by the other one) must not take those for garbage.
   */
  private final Set<Long> unpublished = new HashSet<>();
  private volatile long lastApplied;
  private volatile long lastDurable;
  private Manifest latestCheckpoint;
  private String latestCheckpointName;
  private boolean closed;

  private ColumnarEngine(Path dir, BufferAllocator allocator, StoreConfig config, StorageIo io) {
    this.dir = dir;
    this.allocator = allocator;
    this.config = config;
    this.io = io;
  }

  /**
   * Opens the segments of {@code plan}, writes the live manifest if the plan came from a checkpoint, and deletes
   * files that belong to no state (temp files, unlisted segments, older checkpoints).
   */
  public static ColumnarEngine open(Path dir, RecoveryPlan plan, BufferAllocator allocator, StoreConfig config,
      StorageIo io) {
    ColumnarEngine e = new ColumnarEngine(dir, allocator, config, io);
    Manifest m = plan.manifest();
    List<Segment> segs = new ArrayList<>();
    try {
      for (SegmentMeta meta : m.segments()) {
        Segment s = Segment.open(dir.resolve(meta.fileName()), io);
        segs.add(s);
        if (s.meta().seq() != meta.seq() || s.meta().sampleCount() != meta.sampleCount()) {
          throw Segment.corrupt(s.file(), "disagrees with manifest");
        }
      }
    } catch (RuntimeException ex) {
      segs.forEach(Segment::release);
      throw ex;
    }
    e.view = new StoreView(segs, new Head());
    e.nextSeq = m.nextSeq();
    e.lastApplied = m.durableIndex();
    e.lastDurable = m.durableIndex();
    e.latestCheckpoint = plan.checkpoint();
    e.latestCheckpointName = plan.checkpointName();
    try {
      if (plan.restoreIndexFrom() != null) {
        new Manifest(m.durableIndex(), m.nextSeq(), null, m.segments()).write(io, dir, Manifest.LIVE, config.fsync());
      }
      e.deleteUnreferenced();
    } catch (IOException ex) {
      e.close();
      throw new StoreException(ErrorCode.IO, "cannot clean store directory [dir=" + dir + "]", ex);
    }
    LOG.info("store opened [dir={}, segments={}, durableIndex={}]", dir, segs.size(), m.durableIndex());
    return e;
  }

  /** Lock whose write side a writer holds while applying one batch; scans take the read side briefly. */
  public ReentrantReadWriteLock batchLock() {
    return batchLock;
  }

  /** Appends samples of one series to the head (writer thread, under the write side of {@link #batchLock()}). */
  public void append(int seriesId, long[] ts, long[] values) {
    view.head().append(seriesId, ts, values, 0, ts.length);
  }

  /** Records the log index of the batch just applied. */
  public void applied(long logIndex) {
    // A re-applied entry (index <= lastApplied) is harmless: its samples dedup to the same values.
    if (logIndex > lastApplied) {
      lastApplied = logIndex;
    }
  }

  public long lastAppliedIndex() {
    return lastApplied;
  }

  public long lastDurableIndex() {
    return lastDurable;
  }

  public long headBytes() {
    return view.head().bytes();
  }

  public long headSamples() {
    return view.head().samples();
  }

  public StoreConfig config() {
    return config;
  }

  public Path dir() {
    return dir;
  }

  /** Live segments (oldest first). */
  public List<SegmentMeta> segments() {
    List<SegmentMeta> out = new ArrayList<>();
    for (Segment s : view.segments()) {
      out.add(s.meta());
    }
    return out;
  }

  // ---------------------------------------------------------------- seal

  /**
   * Seals the head into one segment file per time window (writer thread). {@code beforeManifest} runs after the
   * segment files are durable and before the manifest names them (the store commits its index there).
   */
  public void seal(Runnable beforeManifest) {
    StoreView v = view;
    Head head = v.head();
    long durable = lastApplied;
    List<Segment> created = new ArrayList<>();
    List<Long> fileNos = new ArrayList<>();
    try {
      if (!head.isEmpty()) {
        for (SegmentMeta meta : writeHead(head, fileNos)) {
          created.add(Segment.open(dir.resolve(meta.fileName()), io));
        }
      }
      beforeManifest.run();
      synchronized (stateLock) {
        List<Segment> segs = new ArrayList<>(view.segments());
        segs.addAll(created);
        segs.sort(Comparator.comparingLong(s -> s.meta().seq()));
        writeLiveManifest(segs, durable);
        batchLock.writeLock().lock();
        try {
          view = new StoreView(segs, head.isEmpty() ? head : new Head());
        } finally {
          batchLock.writeLock().unlock();
        }
        lastDurable = durable;
      }
    } catch (IOException e) {
      created.forEach(Segment::release);
      throw new StoreException(ErrorCode.IO, "seal failed [dir=" + dir + "]", e);
    } catch (RuntimeException e) {
      created.forEach(Segment::release);
      throw e;
    } finally {
      published(fileNos);
    }
    if (!created.isEmpty()) {
      LOG.info("head sealed [dir={}, segments={}, samples={}, durableIndex={}]", dir, created.size(),
          head.samples(), durable);
    }
  }

  private List<SegmentMeta> writeHead(Head head, List<Long> fileNos) throws IOException {
    TreeMap<Long, SegmentWriter> writers = new TreeMap<>();
    SortDedup sorter = new SortDedup();
    long[] ts = new long[1024];
    long[] vs = new long[1024];
    long window = config.segmentWindowMs();
    try {
      PeekableIntIterator it = head.touched().getIntIterator();
      while (it.hasNext()) {
        int s = it.next();
        int n = head.count(s);
        if (ts.length < n) {
          ts = new long[Math.max(n, ts.length * 2)];
          vs = new long[ts.length];
        }
        head.copy(s, n, ts, vs, 0);
        n = sorter.sortDedup(ts, vs, n);
        int start = 0;
        while (start < n) {
          long w = Math.floorDiv(ts[start], window) * window;
          int end = start + 1;
          while (end < n && Math.floorDiv(ts[end], window) * window == w) {
            end++;
          }
          SegmentWriter sw = writers.get(w);
          if (sw == null) {
            long no = allocateSeq();
            fileNos.add(no);
            sw = new SegmentWriter(allocator, config.chunksPerBlock(), w, no, no);
            writers.put(w, sw);
          }
          sw.add(s, ts, vs, start, end - start);
          start = end;
        }
      }
      List<SegmentMeta> metas = new ArrayList<>();
      for (SegmentWriter sw : writers.values()) {
        metas.add(sw.finish(dir, io, config.fsync()));
      }
      return metas;
    } finally {
      writers.values().forEach(SegmentWriter::close);
    }
  }

  /** The next seq, which is also the file number of the segment it is for: unpublished until {@link #published}. */
  private long allocateSeq() {
    synchronized (stateLock) {
      unpublished.add(nextSeq);
      return nextSeq++;
    }
  }

  /** The files of {@code fileNos} are in the view now, or abandoned (then the next cleanup deletes them). */
  private void published(List<Long> fileNos) {
    if (!fileNos.isEmpty()) {
      synchronized (stateLock) {
        unpublished.removeAll(fileNos);
      }
    }
  }

  private void writeLiveManifest(List<Segment> segs, long durable) throws IOException {
    List<SegmentMeta> metas = new ArrayList<>();
    for (Segment s : segs) {
      metas.add(s.meta());
    }
    new Manifest(durable, nextSeq, null, metas).write(io, dir, Manifest.LIVE, config.fsync());
  }

  // ---------------------------------------------------------------- checkpoint

  /**
   * Seals, then writes a checkpoint manifest naming the live segments and an index snapshot written by
   * {@code snapshotIndex} to the given path. Returns the checkpoint's files, manifest last.
   */
  public List<Path> checkpoint(Runnable commitIndex, java.util.function.Consumer<Path> snapshotIndex) {
    seal(commitIndex);
    synchronized (stateLock) {
      long idx = lastDurable;
      String cpName = Manifest.checkpointName(idx);
      String snapName = Manifest.indexSnapshotName(idx);
      List<SegmentMeta> metas = segments();
      try {
        if (!cpName.equals(latestCheckpointName) || !Files.exists(dir.resolve(cpName))) {
          Path tmp = dir.resolve(snapName + AtomicFiles.TMP_SUFFIX);
          io.delete(tmp);
          snapshotIndex.accept(tmp);
          if (config.fsync()) {
            io.fsync(tmp);
          }
          io.rename(tmp, dir.resolve(snapName));
          Manifest cp = new Manifest(idx, nextSeq, snapName, metas);
          cp.write(io, dir, cpName, config.fsync());
          latestCheckpoint = cp;
          latestCheckpointName = cpName;
          deleteUnreferenced();
        }
      } catch (IOException e) {
        throw new StoreException(ErrorCode.IO, "checkpoint failed [dir=" + dir + ", index=" + idx + "]", e);
      }
      List<Path> files = new ArrayList<>();
      for (SegmentMeta m : latestCheckpoint.segments()) {
        files.add(dir.resolve(m.fileName()));
      }
      files.add(dir.resolve(latestCheckpoint.indexSnapshot()));
      files.add(dir.resolve(latestCheckpointName));
      return files;
    }
  }

  /**
   * Deletes files referenced neither by the live view nor by the newest {@link #RETAINED_CHECKPOINTS} checkpoints
   * (caller holds stateLock). Keeping the previous checkpoint too lets a snapshot install that is still copying it
   * finish after a new checkpoint was taken.
   */
  private void deleteUnreferenced() throws IOException {
    Set<String> keep = new HashSet<>();
    keep.add(Manifest.LIVE);
    for (Segment s : view.segments()) {
      keep.add(s.meta().fileName());
    }
    for (long no : unpublished) {
      keep.add(SegmentMeta.fileNameFor(no));
      keep.add(SegmentMeta.fileNameFor(no) + AtomicFiles.TMP_SUFFIX);
    }
    List<String> cps = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(RecoveryPlan.CHECKPOINT_PREFIX) && n.endsWith(RecoveryPlan.CHECKPOINT_SUFFIX))
          .forEach(cps::add);
    }
    cps.sort(Comparator.reverseOrder());
    for (int i = 0; i < Math.min(RETAINED_CHECKPOINTS, cps.size()); i++) {
      Manifest cp;
      try {
        cp = Manifest.read(dir.resolve(cps.get(i)));
      } catch (StoreException e) {
        continue; // a damaged older checkpoint is not worth keeping
      }
      keep.add(cps.get(i));
      keep.add(cp.indexSnapshot());
      for (SegmentMeta m : cp.segments()) {
        keep.add(m.fileName());
      }
    }
    List<Path> doomed = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(p -> {
        String n = p.getFileName().toString();
        boolean ours = n.endsWith(AtomicFiles.TMP_SUFFIX)
            || (n.startsWith(SegmentMeta.PREFIX) && n.endsWith(SegmentMeta.SUFFIX))
            || (n.startsWith(RecoveryPlan.CHECKPOINT_PREFIX) && n.endsWith(RecoveryPlan.CHECKPOINT_SUFFIX))
            || (n.startsWith("index-") && n.endsWith(".snapshot"));
        if (ours && !keep.contains(n)) {
          doomed.add(p);
        }
      });
    }
    for (Path p : doomed) {
      io.delete(p);
    }
    if (!doomed.isEmpty() && config.fsync()) {
      io.fsyncDirectory(dir);
    }
  }

  // ---------------------------------------------------------------- scans

  /**
   * Opens a scan of {@code series} (null = all) over {@code [fromMs, toMs)}; safe concurrently with the writer.
   */
  public Scan scan(RoaringBitmap series, long fromMs, long toMs, BufferAllocator scanAllocator) {
    while (true) {
      StoreView v;
      HeadSnapshot snap;
      List<Segment> retained = new ArrayList<>();
      boolean ok = true;
      batchLock.readLock().lock();
      try {
        v = view;
        for (Segment s : v.segments()) {
          if (!s.retain()) {
            ok = false;
            break;
          }
          retained.add(s);
        }
        snap = ok && v.head().maxTs() >= fromMs && v.head().minTs() < toMs ? new HeadSnapshot(v.head(), series)
            : null;
      } finally {
        batchLock.readLock().unlock();
      }
      if (!ok) {
        retained.forEach(Segment::release);
        continue;
      }
      try {
        return new Scan(new Scanner(retained, snap, series, fromMs, toMs, scanAllocator), retained);
      } catch (RuntimeException e) {
        retained.forEach(Segment::release);
        throw e;
      }
    }
  }

  /** A running scan; close it to release the segments it holds. */
  public static final class Scan implements AutoCloseable {
    private final Scanner scanner;
    private final List<Segment> segments;
    private boolean closed;

    Scan(Scanner scanner, List<Segment> segments) {
      this.scanner = scanner;
      this.segments = segments;
    }

    /** Series that may have rows: requested series present in the scanned segments or head snapshot. */
    public RoaringBitmap candidates() {
      return scanner.candidates();
    }

    /** Adds rows to {@code out} until it holds {@code targetRows} or the scan ends; false when nothing was added. */
    public boolean fill(SampleBatchBuilder out, int targetRows) {
      return scanner.fill(out, targetRows);
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        scanner.close();
        segments.forEach(Segment::release);
      }
    }
  }

  // ---------------------------------------------------------------- maintenance

  /**
   * Segments of the window still being written (whose end is less than a quarter window before {@code nowMs}) are
   * merged in tiers: only a run of at least this many segments adjacent in seq order whose sizes are within
   * {@link #TIER_RATIO} of each other. Merging every segment of that window at each seal (as closed windows are)
   * rewrote the whole window once per seal, quadratic in the seals per window under steady ingest; tiers write each
   * sample about log4(seals) times instead.
   */
  static final int TIER_FANOUT = 4;
  /** Sample counts inside one tier run differ by less than this factor. */
  static final long TIER_RATIO = 2;

  /**
   * One compaction planned for wall-clock time {@code nowMs}: the segments to merge, retained, or none. A closed
   * window with at least {@code compactionMinSegments} segments is merged whole; the open window only in tiers (see
   * {@link #TIER_FANOUT}). Inputs are always adjacent in seq order within their window, so the merged segment can take
   * the newest input's seq without reordering overwrites.
   */
  public List<Segment> planCompaction(long nowMs) {
    synchronized (stateLock) {
      TreeMap<Long, List<Segment>> byWindow = new TreeMap<>();
      for (Segment s : view.segments()) {
        byWindow.computeIfAbsent(s.meta().windowStartMs(), k -> new ArrayList<>()).add(s);
      }
      for (Map.Entry<Long, List<Segment>> e : byWindow.entrySet()) {
        List<Segment> window = e.getValue();
        window.sort(Comparator.comparingLong(s -> s.meta().seq()));
        boolean open = e.getKey() + config.segmentWindowMs() > nowMs - config.segmentWindowMs() / 4;
        List<Segment> group = open ? tierRun(window)
            : window.size() >= config.compactionMinSegments() ? window : List.of();
        if (!group.isEmpty() && !interleaved(group)) {
          List<Segment> retained = new ArrayList<>();
          for (Segment s : group) {
            if (s.retain()) {
              retained.add(s);
            }
          }
          if (retained.size() == group.size()) {
            return retained;
          }
          retained.forEach(Segment::release);
        }
      }
      return List.of();
    }
  }

  /**
   * The newest run of at least {@link #TIER_FANOUT} seq-adjacent segments whose sample counts are within
   * {@link #TIER_RATIO} of each other, or none.
   */
  private static List<Segment> tierRun(List<Segment> bySeq) {
    for (int end = bySeq.size(); end >= TIER_FANOUT; end--) {
      long min = Long.MAX_VALUE;
      long max = 0;
      int start = end;
      while (start > 0) {
        long n = Math.max(1, bySeq.get(start - 1).meta().sampleCount());
        long newMin = Math.min(min, n);
        long newMax = Math.max(max, n);
        if (newMax >= TIER_RATIO * newMin) {
          break;
        }
        min = newMin;
        max = newMax;
        start--;
      }
      if (end - start >= TIER_FANOUT) {
        return bySeq.subList(start, end);
      }
    }
    return List.of();
  }

  /** True if a segment outside the group, overlapping it in time, has a seq inside the group's seq range. */
  private boolean interleaved(List<Segment> group) {
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    long tmin = Long.MAX_VALUE;
    long tmax = Long.MIN_VALUE;
    for (Segment s : group) {
      lo = Math.min(lo, s.meta().seq());
      hi = Math.max(hi, s.meta().seq());
      tmin = Math.min(tmin, s.meta().minTs());
      tmax = Math.max(tmax, s.meta().maxTs());
    }
    for (Segment s : view.segments()) {
      SegmentMeta m = s.meta();
      if (!group.contains(s) && m.seq() > lo && m.seq() < hi && m.maxTs() >= tmin && m.minTs() <= tmax) {
        return true;
      }
    }
    return false;
  }

  /** Merges {@code inputs} (retained, same window) into one segment and publishes it; releases the inputs. */
  public int compact(List<Segment> inputs) {
    long seq = 0;
    for (Segment s : inputs) {
      seq = Math.max(seq, s.meta().seq());
    }
    long window = inputs.get(0).meta().windowStartMs();
    SegmentMeta merged;
    Segment out = null;
    long fileNo = allocateSeq();
    try {
      merged = Compactor.merge(inputs, allocator, config, window, seq, fileNo, dir, io);
      out = Segment.open(dir.resolve(merged.fileName()), io);
      synchronized (stateLock) {
        List<Segment> segs = new ArrayList<>(view.segments());
        if (!segs.containsAll(inputs)) {
          out.release();
          io.delete(out.file());
          return 0;
        }
        segs.removeAll(inputs);
        segs.add(out);
        segs.sort(Comparator.comparingLong(s -> s.meta().seq()));
        writeLiveManifest(segs, lastDurable);
        publishSegments(segs, inputs);
      }
      LOG.info("window compacted [dir={}, window={}, inputs={}, output={}, samples={}]", dir, window,
          inputs.size(), merged.fileName(), merged.sampleCount());
      return 1;
    } catch (IOException e) {
      if (out != null) {
        out.release();
      }
      throw new StoreException(ErrorCode.IO, "compaction failed [dir=" + dir + ", window=" + window + "]", e);
    } finally {
      published(List.of(fileNo));
      inputs.forEach(Segment::release);
    }
  }

  /** Publishes a new segment list, releasing and deleting removed segments (caller holds stateLock). */
  private void publishSegments(List<Segment> segs, List<Segment> removed) throws IOException {
    batchLock.writeLock().lock();
    try {
      view = new StoreView(segs, view.head());
    } finally {
      batchLock.writeLock().unlock();
    }
    for (Segment s : removed) {
      s.release();
    }
    deleteUnreferenced();
  }

  /** Drops segments whose window ended more than the retention before {@code nowMs}; returns how many. */
  public int applyRetention(long nowMs) {
    if (config.retentionMs() == 0) {
      return 0;
    }
    synchronized (stateLock) {
      long cutoff = nowMs - config.retentionMs();
      List<Segment> keep = new ArrayList<>();
      List<Segment> drop = new ArrayList<>();
      for (Segment s : view.segments()) {
        long windowEnd = s.meta().windowStartMs() + config.segmentWindowMs();
        (windowEnd <= cutoff && s.meta().maxTs() < cutoff ? drop : keep).add(s);
      }
      if (drop.isEmpty()) {
        return 0;
      }
      try {
        writeLiveManifest(keep, lastDurable);
        publishSegments(keep, drop);
      } catch (IOException e) {
        throw new StoreException(ErrorCode.IO, "retention failed [dir=" + dir + "]", e);
      }
      LOG.info("segments dropped by retention [dir={}, segments={}, cutoffMs={}]", dir, drop.size(), cutoff);
      return drop.size();
    }
  }

  /** Largest series id in any live segment, or -1. */
  public int maxSeriesId() {
    int max = -1;
    for (Segment s : view.segments()) {
      if (!s.series().isEmpty()) {
        max = Math.max(max, s.series().last());
      }
    }
    return max;
  }

  /** Bytes of live segment files. */
  public long segmentBytes() {
    long b = 0;
    for (Segment s : view.segments()) {
      b += s.meta().fileBytes();
    }
    return b;
  }

  /** Samples in live segments. */
  public long segmentSamples() {
    long n = 0;
    for (Segment s : view.segments()) {
      n += s.meta().sampleCount();
    }
    return n;
  }

  public int segmentCount() {
    return view.segments().size();
  }

  @Override
  public void close() {
    synchronized (stateLock) {
      if (closed) {
        return;
      }
      closed = true;
      for (Segment s : view.segments()) {
        s.release();
      }
    }
  }
}
