package io.quiver.columnar.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.roaringbitmap.RoaringBitmap;

/**
 * The mutable in-memory head: per series, an append-only array of interleaved (timestamp, value bits) pairs in
 * append (= log) order, duplicates and disorder included; sorting and deduplication happen on read and on seal.
 *
 * <p>Concurrency: one writer appends; readers first take a consistent per-series count (the store's read lock
 * makes that a batch boundary) and then read the prefix {@code [0, count)}, which is never modified again: a
 * growing array is copied before it is published, and the count is published with release semantics after the
 * data.
 *
 * <p>Memory accounting counts array capacity (16 bytes per slot) plus a fixed per-series overhead.
 */
final class Head {
  static final long SERIES_OVERHEAD_BYTES = 64;
  private static final int INITIAL_SLOTS = 4;
  private static final VarHandle COUNT;
  private static final VarHandle DATA;
  private static final VarHandle SAMPLES;
  private static final VarHandle BYTES;
  private static final VarHandle MIN_TS;
  private static final VarHandle MAX_TS;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      COUNT = lookup.findVarHandle(SeriesHead.class, "count", int.class);
      DATA = lookup.findVarHandle(SeriesHead.class, "data", long[].class);
      SAMPLES = lookup.findVarHandle(Head.class, "samples", long.class);
      BYTES = lookup.findVarHandle(Head.class, "bytes", long.class);
      MIN_TS = lookup.findVarHandle(Head.class, "minTs", long.class);
      MAX_TS = lookup.findVarHandle(Head.class, "maxTs", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** One series' samples; {@code data[2i]} is a timestamp, {@code data[2i+1]} its value bits. */
  static final class SeriesHead {
    long[] data = new long[2 * INITIAL_SLOTS];
    int count;
  }

  private volatile SeriesHead[] series = new SeriesHead[1024];
  private final RoaringBitmap touched = new RoaringBitmap();
  // Written by the one writer with release stores (no full fence per append), read as volatiles.
  private volatile long samples;
  private volatile long bytes;
  private volatile long minTs = Long.MAX_VALUE;
  private volatile long maxTs = Long.MIN_VALUE;

  /** Appends samples of one series (writer thread only). */
  void append(int seriesId, long[] ts, long[] values, int off, int n) {
    if (n == 0) {
      return;
    }
    SeriesHead[] dir = series;
    if (seriesId >= dir.length) {
      dir = Arrays.copyOf(dir, Math.max(dir.length * 2, seriesId + 1));
      series = dir;
    }
    SeriesHead s = dir[seriesId];
    long addedBytes = 0;
    if (s == null) {
      s = new SeriesHead();
      dir[seriesId] = s;
      touched.add(seriesId);
      addedBytes += SERIES_OVERHEAD_BYTES + 8L * s.data.length;
    }
    int count = s.count;
    long[] data = s.data;
    if (2 * (count + n) > data.length) {
      int slots = Math.max(2 * (data.length / 2), count + n);
      long[] grown = Arrays.copyOf(data, 2 * slots);
      addedBytes += 8L * (grown.length - data.length);
      DATA.setRelease(s, grown);
      data = grown;
    }
    long lo = (long) MIN_TS.getOpaque(this);
    long hi = (long) MAX_TS.getOpaque(this);
    for (int i = 0; i < n; i++) {
      long t = ts[off + i];
      data[2 * (count + i)] = t;
      data[2 * (count + i) + 1] = values[off + i];
      lo = Math.min(lo, t);
      hi = Math.max(hi, t);
    }
    COUNT.setRelease(s, count + n);
    MIN_TS.setRelease(this, lo);
    MAX_TS.setRelease(this, hi);
    SAMPLES.setRelease(this, (long) SAMPLES.getOpaque(this) + n);
    if (addedBytes != 0) {
      BYTES.setRelease(this, (long) BYTES.getOpaque(this) + addedBytes);
    }
  }

  /** Series present in the head; only valid on the writer thread or under the store's read lock. */
  RoaringBitmap touched() {
    return touched;
  }

  /** Published sample count of a series (0 if absent). */
  int count(int seriesId) {
    SeriesHead[] dir = series;
    if (seriesId >= dir.length) {
      return 0;
    }
    SeriesHead s = dir[seriesId];
    return s == null ? 0 : (int) COUNT.getAcquire(s);
  }

  /**
   * Copies the first {@code count} samples of a series (a count read earlier via {@link #count}) into
   * {@code ts/values} at {@code off}.
   */
  void copy(int seriesId, int count, long[] ts, long[] values, int off) {
    SeriesHead s = series[seriesId];
    long[] data = (long[]) DATA.getAcquire(s);
    for (int i = 0; i < count; i++) {
      ts[off + i] = data[2 * i];
      values[off + i] = data[2 * i + 1];
    }
  }

  long samples() {
    return samples;
  }

  long bytes() {
    return bytes;
  }

  long minTs() {
    return minTs;
  }

  long maxTs() {
    return maxTs;
  }

  boolean isEmpty() {
    return samples == 0;
  }
}
