package io.quiver.columnar.internal;

import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;

/**
 * Writes samples straight into the data buffers of caller-owned Arrow vectors (timestamp, value and optionally
 * series id) and records runs of rows per series, so a caller can fill per-series columns (label dictionaries)
 * afterwards. Validity bits are set in bulk by {@link #finish()}.
 */
public final class SampleBatchBuilder {
  private final TimeStampMilliTZVector timestamps;
  private final Float8Vector values;
  private final IntVector seriesIds;
  private int rows;
  private int capacity;
  private int[] runSeries = new int[64];
  private int[] runStart = new int[64];
  private int[] runLength = new int[64];
  private int runs;

  /** Wraps vectors owned by the caller; {@code seriesIds} may be null. */
  public SampleBatchBuilder(TimeStampMilliTZVector timestamps, Float8Vector values, IntVector seriesIds) {
    this.timestamps = timestamps;
    this.values = values;
    this.seriesIds = seriesIds;
  }

  /** Starts a new batch (rows and runs reset; buffers kept). */
  public void reset(int initialCapacity) {
    rows = 0;
    runs = 0;
    ensureCapacity(initialCapacity);
  }

  int rows() {
    return rows;
  }

  int capacity() {
    return capacity;
  }

  /** Rows in the current batch. */
  public int rowCount() {
    return rows;
  }

  void ensureCapacity(int need) {
    if (capacity >= need && capacity > 0) {
      return;
    }
    grow(timestamps, need);
    grow(values, need);
    if (seriesIds != null) {
      grow(seriesIds, need);
    }
    int c = Math.min(timestamps.getValueCapacity(), values.getValueCapacity());
    if (seriesIds != null) {
      c = Math.min(c, seriesIds.getValueCapacity());
    }
    capacity = c;
  }

  private static void grow(BaseFixedWidthVector v, int need) {
    if (v.getValueCapacity() == 0) {
      v.allocateNew(Math.max(need, 1024));
    }
    while (v.getValueCapacity() < need) {
      v.reAlloc();
    }
  }

  long timestampAddress(int row) {
    return timestamps.getDataBuffer().memoryAddress() + 8L * row;
  }

  long valueAddress(int row) {
    return values.getDataBuffer().memoryAddress() + 8L * row;
  }

  /** Declares that {@code n} rows starting at {@link #rows()} were written for {@code seriesId}. */
  void commit(int seriesId, int n) {
    if (n <= 0) {
      return;
    }
    if (runs > 0 && runSeries[runs - 1] == seriesId && runStart[runs - 1] + runLength[runs - 1] == rows) {
      runLength[runs - 1] += n;
    } else {
      if (runs == runSeries.length) {
        runSeries = Arrays.copyOf(runSeries, runs * 2);
        runStart = Arrays.copyOf(runStart, runs * 2);
        runLength = Arrays.copyOf(runLength, runs * 2);
      }
      runSeries[runs] = seriesId;
      runStart[runs] = rows;
      runLength[runs] = n;
      runs++;
    }
    if (seriesIds != null) {
      fillInts(seriesIds.getDataBuffer().memoryAddress() + 4L * rows, n, seriesId);
    }
    rows += n;
  }

  /** Writes {@code n} copies of {@code v} at {@code addr}, two per 8-byte store (both halves equal: any byte order). */
  public static void fillInts(long addr, int n, int v) {
    long pair = (v & 0xFFFF_FFFFL) | ((long) v << 32);
    int i = 0;
    for (; i + 1 < n; i += 2) {
      MemoryUtil.putLong(addr + 4L * i, pair);
    }
    if (i < n) {
      MemoryUtil.putInt(addr + 4L * i, v);
    }
  }

  /** Number of series runs in this batch. */
  public int runCount() {
    return runs;
  }

  /** Series id of run {@code r}. */
  public int runSeries(int r) {
    return runSeries[r];
  }

  /** First row of run {@code r}. */
  public int runStart(int r) {
    return runStart[r];
  }

  /** Row count of run {@code r}. */
  public int runLength(int r) {
    return runLength[r];
  }

  /** Sets validity bits and value counts for the rows written. */
  public void finish() {
    setAllValid(timestamps.getValidityBuffer(), rows);
    setAllValid(values.getValidityBuffer(), rows);
    timestamps.setValueCount(rows);
    values.setValueCount(rows);
    if (seriesIds != null) {
      setAllValid(seriesIds.getValidityBuffer(), rows);
      seriesIds.setValueCount(rows);
    }
  }

  private static void setAllValid(ArrowBuf validity, int rows) {
    int full = rows >>> 3;
    if (full > 0) {
      validity.setOne(0, full);
    }
    int rest = rows & 7;
    if (rest != 0) {
      validity.setByte(full, (1 << rest) - 1);
    }
  }
}
