package io.quiver.columnar.internal;

import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.roaringbitmap.RoaringBitmap;

/**
 * Merges segments (oldest first) and a head snapshot into batches ordered by series then time, restricted to a
 * series set and {@code [fromMs, toMs)}. For each series the sources are "pieces": a segment chunk or a sorted,
 * deduplicated array. Pieces whose time ranges are disjoint (the usual case: one chunk per window) are emitted in
 * time order, segment chunks decoded straight into the output Arrow buffers; overlapping pieces are merged with
 * the newest source winning for equal timestamps.
 */
final class Scanner implements AutoCloseable {
  private static final int CHUNK = 0;
  private static final int ARRAY = 1;

  private final SegmentCursor[] cursors;
  private final HeadSnapshot head;
  private final long fromMs;
  private final long toMs;
  private final BufferAllocator allocator;
  private final SortDedup sorter = new SortDedup();

  // pieces of the current series
  private int series = -1;
  private int pieceCount;
  private int pieceIndex;
  private int[] pieceKind = new int[8];
  private int[] pieceCursor = new int[8];
  private long[] pieceMin = new long[8];
  private long[] pieceMax = new long[8];
  private int arrayOffset;
  private int arrayEnd;
  private long[] arrayTs = new long[256];
  private long[] arrayValues = new long[256];
  private long[] headTs = new long[256];
  private long[] headValues = new long[256];
  private ArrowBuf scratch;
  private boolean exhausted;

  Scanner(List<Segment> segments, HeadSnapshot head, RoaringBitmap requested, long fromMs, long toMs,
      BufferAllocator allocator) {
    this.head = head;
    this.fromMs = fromMs;
    this.toMs = toMs;
    this.allocator = allocator;
    int n = 0;
    SegmentCursor[] cs = new SegmentCursor[segments.size()];
    try {
      for (Segment s : segments) {
        SegmentMeta m = s.meta();
        if (m.maxTs() >= fromMs && m.minTs() < toMs && (requested == null || RoaringBitmap.intersects(s.series(), requested))) {
          cs[n++] = new SegmentCursor(s, requested);
        }
      }
    } catch (RuntimeException e) {
      for (int i = 0; i < n; i++) {
        cs[i].close();
      }
      throw e;
    }
    this.cursors = java.util.Arrays.copyOf(cs, n);
  }

  /** Union of the series each source may contribute. */
  RoaringBitmap candidates() {
    RoaringBitmap all = head == null ? new RoaringBitmap() : head.ids().clone();
    for (SegmentCursor c : cursors) {
      all.or(c.ids());
    }
    return all;
  }

  /**
   * Appends rows to {@code out} until it holds at least {@code targetRows} rows or the scan ends.
   *
   * @return whether any row was added
   */
  boolean fill(SampleBatchBuilder out, int targetRows) {
    int before = out.rows();
    while (true) {
      if (!emitPending(out, targetRows)) {
        break;
      }
      if (out.rows() >= targetRows || exhausted || !gatherNext()) {
        break;
      }
    }
    return out.rows() > before;
  }

  private boolean gatherNext() {
    int s = head == null ? Integer.MAX_VALUE : head.peek();
    for (SegmentCursor c : cursors) {
      s = Math.min(s, c.peek());
    }
    if (s == Integer.MAX_VALUE) {
      exhausted = true;
      return false;
    }
    series = s;
    pieceCount = 0;
    pieceIndex = 0;
    for (int i = 0; i < cursors.length; i++) {
      SegmentCursor c = cursors[i];
      if (c.peek() == s) {
        c.next();
        long lo = c.chunkMinTs();
        long hi = c.chunkMaxTs();
        if (hi >= fromMs && lo < toMs) {
          addPiece(CHUNK, i, lo, hi);
        }
      }
    }
    if (head != null && head.peek() == s) {
      int n = head.next();
      if (headTs.length < n) {
        headTs = new long[Math.max(n, headTs.length * 2)];
        headValues = new long[headTs.length];
      }
      head.head().copy(s, n, headTs, headValues, 0);
      n = sorter.sortDedup(headTs, headValues, n);
      if (n > 0 && headTs[n - 1] >= fromMs && headTs[0] < toMs) {
        addPiece(ARRAY, -1, headTs[0], headTs[n - 1]);
        headLength = n;
      }
    }
    resolve();
    return true;
  }

  private int headLength;

  private void addPiece(int kind, int cursor, long lo, long hi) {
    if (pieceCount == pieceKind.length) {
      int n = pieceCount * 2;
      pieceKind = java.util.Arrays.copyOf(pieceKind, n);
      pieceCursor = java.util.Arrays.copyOf(pieceCursor, n);
      pieceMin = java.util.Arrays.copyOf(pieceMin, n);
      pieceMax = java.util.Arrays.copyOf(pieceMax, n);
    }
    pieceKind[pieceCount] = kind;
    pieceCursor[pieceCount] = cursor;
    pieceMin[pieceCount] = lo;
    pieceMax[pieceCount] = hi;
    pieceCount++;
  }

  /** Orders disjoint pieces by time, or merges overlapping ones into one array piece. */
  private void resolve() {
    if (pieceCount <= 1) {
      prepareArray(0);
      return;
    }
    // insertion sort by min (few pieces), stable
    for (int i = 1; i < pieceCount; i++) {
      for (int j = i; j > 0 && pieceMin[j] < pieceMin[j - 1]; j--) {
        swap(j, j - 1);
      }
    }
    boolean disjoint = true;
    for (int i = 1; i < pieceCount; i++) {
      if (pieceMax[i - 1] >= pieceMin[i]) {
        disjoint = false;
        break;
      }
    }
    if (disjoint) {
      prepareArray(0);
      return;
    }
    // re-establish source order (segments by seq, head last) for "newest wins"
    for (int i = 1; i < pieceCount; i++) {
      for (int j = i; j > 0 && order(j) < order(j - 1); j--) {
        swap(j, j - 1);
      }
    }
    mergePieces();
  }

  private int order(int p) {
    return pieceKind[p] == ARRAY ? Integer.MAX_VALUE : pieceCursor[p];
  }

  private void swap(int a, int b) {
    int k = pieceKind[a];
    pieceKind[a] = pieceKind[b];
    pieceKind[b] = k;
    int c = pieceCursor[a];
    pieceCursor[a] = pieceCursor[b];
    pieceCursor[b] = c;
    long lo = pieceMin[a];
    pieceMin[a] = pieceMin[b];
    pieceMin[b] = lo;
    long hi = pieceMax[a];
    pieceMax[a] = pieceMax[b];
    pieceMax[b] = hi;
  }

  private void mergePieces() {
    int total = 0;
    for (int p = 0; p < pieceCount; p++) {
      total += pieceKind[p] == ARRAY ? headLength : cursors[pieceCursor[p]].chunkCount();
    }
    ensureArray(total);
    int n = 0;
    for (int p = 0; p < pieceCount; p++) {
      if (pieceKind[p] == ARRAY) {
        System.arraycopy(headTs, 0, arrayTs, n, headLength);
        System.arraycopy(headValues, 0, arrayValues, n, headLength);
        n += headLength;
      } else {
        SegmentCursor c = cursors[pieceCursor[p]];
        decodeToArrays(c, n);
        n += c.chunkCount();
      }
    }
    n = sorter.sortDedup(arrayTs, arrayValues, n);
    pieceCount = 1;
    pieceKind[0] = ARRAY;
    pieceCursor[0] = -2; // merged array
    setArrayRange(arrayTs, n);
  }

  /** Decodes the cursor's current chunk into {@code arrayTs/arrayValues} at {@code at} (capacity ensured). */
  private void decodeToArrays(SegmentCursor c, int at) {
    int count = c.chunkCount();
    ensureScratch(count);
    long base = scratch.memoryAddress();
    c.decodeTimestamps(base);
    c.decodeValues(base + 8L * count);
    for (int i = 0; i < count; i++) {
      arrayTs[at + i] = MemoryUtil.getLong(base + 8L * i);
      arrayValues[at + i] = MemoryUtil.getLong(base + 8L * (count + i));
    }
  }

  private void prepareArray(int p) {
    if (p < pieceCount && pieceKind[p] == ARRAY && pieceCursor[p] == -1) {
      setArrayRange(headTs, headLength);
    }
  }

  private void setArrayRange(long[] ts, int n) {
    int a = lowerBound(ts, n, fromMs);
    int b = lowerBound(ts, n, toMs);
    arrayOffset = a;
    arrayEnd = b;
  }

  private static int lowerBound(long[] ts, int n, long key) {
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ts[mid] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private void ensureArray(int n) {
    if (arrayTs.length < n) {
      arrayTs = new long[Math.max(n, arrayTs.length * 2)];
      arrayValues = new long[arrayTs.length];
    }
  }

  private void ensureScratch(int count) {
    long need = 16L * count;
    if (scratch == null || scratch.capacity() < need) {
      if (scratch != null) {
        scratch.close();
      }
      scratch = allocator.buffer(Math.max(need, 1 << 16));
    }
  }

  /** Emits pending pieces; returns false if the batch filled up before they were all emitted. */
  private boolean emitPending(SampleBatchBuilder out, int targetRows) {
    while (pieceIndex < pieceCount) {
      boolean done = pieceKind[pieceIndex] == CHUNK ? emitChunk(out, targetRows) : emitArray(out, targetRows);
      if (!done) {
        return false;
      }
      pieceIndex++;
      if (pieceIndex < pieceCount) {
        prepareArray(pieceIndex);
      }
    }
    return true;
  }

  private boolean emitChunk(SampleBatchBuilder out, int targetRows) {
    SegmentCursor c = cursors[pieceCursor[pieceIndex]];
    int count = c.chunkCount();
    int rows = out.rows();
    if (count > targetRows) {
      // larger than a whole batch: decode to the merge arrays and emit it in pieces
      ensureArray(count);
      decodeToArrays(c, 0);
      pieceKind[pieceIndex] = ARRAY;
      pieceCursor[pieceIndex] = -2;
      setArrayRange(arrayTs, count);
      return emitArray(out, targetRows);
    }
    if (rows + count > targetRows) {
      return false; // a chunk is decoded whole into the next batch
    }
    out.ensureCapacity(rows + count);
    long tsAddr = out.timestampAddress(rows);
    long valAddr = out.valueAddress(rows);
    c.decodeTimestamps(tsAddr);
    c.decodeValues(valAddr);
    if (c.chunkMinTs() >= fromMs && c.chunkMaxTs() < toMs) {
      out.commit(series, count);
      return true;
    }
    int a = 0;
    while (a < count && MemoryUtil.getLong(tsAddr + 8L * a) < fromMs) {
      a++;
    }
    int b = count;
    while (b > a && MemoryUtil.getLong(tsAddr + 8L * (b - 1)) >= toMs) {
      b--;
    }
    if (a > 0) {
      for (int i = a; i < b; i++) {
        MemoryUtil.putLong(tsAddr + 8L * (i - a), MemoryUtil.getLong(tsAddr + 8L * i));
        MemoryUtil.putLong(valAddr + 8L * (i - a), MemoryUtil.getLong(valAddr + 8L * i));
      }
    }
    out.commit(series, b - a);
    return true;
  }

  private boolean emitArray(SampleBatchBuilder out, int targetRows) {
    long[] ts = pieceCursor[pieceIndex] == -1 ? headTs : arrayTs;
    long[] vs = pieceCursor[pieceIndex] == -1 ? headValues : arrayValues;
    while (arrayOffset < arrayEnd) {
      int rows = out.rows();
      int avail = targetRows - rows;
      if (avail <= 0) {
        return false;
      }
      int k = Math.min(avail, arrayEnd - arrayOffset);
      out.ensureCapacity(rows + k);
      long tsAddr = out.timestampAddress(rows);
      long valAddr = out.valueAddress(rows);
      for (int i = 0; i < k; i++) {
        MemoryUtil.putLong(tsAddr + 8L * i, ts[arrayOffset + i]);
        MemoryUtil.putLong(valAddr + 8L * i, vs[arrayOffset + i]);
      }
      out.commit(series, k);
      arrayOffset += k;
    }
    return true;
  }

  @Override
  public void close() {
    for (SegmentCursor c : cursors) {
      c.close();
    }
    if (scratch != null) {
      scratch.close();
      scratch = null;
    }
  }
}
