package io.quiver.index.internal;

import java.util.Arrays;
import org.roaringbitmap.RoaringBitmap;

/**
 * The postings of one (label name, value): the ascending ids of the series carrying that pair.
 *
 * <p>Ids are handed out in increasing order, so the writer only ever appends. Publication protocol (single writer,
 * lock-free readers): the writer stores the id, swaps in a grown array with a volatile write when full, then
 * publishes the new count with a volatile write. A reader reads the count first, then the array, and sees at least
 * that many ids. Readers also clip to the index-wide series count they evaluate at, so a query never mixes states.
 *
 * <p>A reader-built, immutable {@link RoaringBitmap} of a prefix of the ids is cached, so large postings (a metric
 * name with 100k series) are not rebuilt for every query; it is extended from the previous cache when ids were
 * appended since. Cached bitmaps are shared: never mutate one.
 */
public final class Posting {
  /** Below this many ids a bitmap is built from the array on demand instead of cached. */
  private static final int CACHE_MIN_IDS = 64;

  private final String value;
  private final int symbol;
  private volatile int[] ids = new int[1];
  private volatile int count;
  private volatile Frozen frozen;

  private record Frozen(int count, RoaringBitmap bitmap) {}

  Posting(String value, int symbol) {
    this.value = value;
    this.symbol = symbol;
  }

  /** The label value (interned for the index: one instance per name and value). */
  public String value() {
    return value;
  }

  /** Catalog symbol id of the value. */
  public int symbol() {
    return symbol;
  }

  /** Appends a series id greater than every id so far; single writer only. */
  void add(int seriesId) {
    int n = count;
    int[] a = ids;
    if (n == a.length) {
      a = Arrays.copyOf(a, n < 16 ? n * 2 : n + (n >> 1));
      ids = a; // volatile: the copy is visible before the new count
    }
    a[n] = seriesId;
    count = n + 1;
  }

  /** Number of ids below {@code seriesLimit}. */
  public int countBelow(int seriesLimit) {
    int n = count;
    int[] a = ids;
    if (n == 0 || a[n - 1] < seriesLimit) {
      return n;
    }
    int i = Arrays.binarySearch(a, 0, n, seriesLimit);
    return i >= 0 ? i : -i - 1;
  }

  /** The id array; valid up to {@link #countBelow(int)} for the caller's limit. */
  int[] idsArray() {
    return ids;
  }

  /** Adds the ids below {@code seriesLimit} to {@code words} (a bitset of 64-bit words). */
  void setBits(long[] words, int seriesLimit) {
    int n = countBelow(seriesLimit);
    int[] a = ids;
    for (int i = 0; i < n; i++) {
      int id = a[i];
      words[id >>> 6] |= 1L << id;
    }
  }

  /** Copies the ids below {@code seriesLimit} into {@code out} at {@code offset}; returns the new offset. */
  int copyIds(int[] out, int offset, int seriesLimit) {
    int n = countBelow(seriesLimit);
    System.arraycopy(ids, 0, out, offset, n);
    return offset + n;
  }

  /** The ids below {@code seriesLimit} as a bitmap that may be shared: the caller must not mutate it. */
  RoaringBitmap bitmap(int seriesLimit) {
    int n = countBelow(seriesLimit);
    int[] a = ids;
    if (n < CACHE_MIN_IDS) {
      RoaringBitmap b = new RoaringBitmap();
      b.addN(a, 0, n);
      return b;
    }
    Frozen f = frozen;
    if (f != null && f.count == n) {
      return f.bitmap;
    }
    RoaringBitmap b;
    if (f != null && f.count < n) {
      b = f.bitmap.clone();
      b.addN(a, f.count, n - f.count);
    } else {
      b = new RoaringBitmap();
      b.addN(a, 0, n);
    }
    b.runOptimize();
    Frozen mine = new Frozen(n, b);
    Frozen latest = frozen;
    if (latest == null || latest.count < n) {
      frozen = mine; // racing readers may overwrite each other; every candidate is complete and immutable
    }
    return b;
  }
}
