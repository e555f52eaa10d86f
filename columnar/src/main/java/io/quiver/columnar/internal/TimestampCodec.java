package io.quiver.columnar.internal;

import org.apache.arrow.memory.util.MemoryUtil;

/**
 * Timestamps of one series chunk. The first timestamp ({@code min_ts}), the last ({@code max_ts}) and the count live
 * in their own columns, so the block holds only, for i = 1..n-1, {@code zigzag(ts[i] - ts[i-1] - interval)} as a
 * varint, where {@code interval = (max - min) / (n - 1)} is derived from the columns (not stored). A regular scrape
 * with a few milliseconds of jitter therefore costs one byte per sample before zstd. All arithmetic wraps, so every
 * strictly increasing sequence of longs round-trips exactly.
 */
final class TimestampCodec {
  private TimestampCodec() {}

  static long interval(long minTs, long maxTs, int count) {
    return count > 1 ? (maxTs - minTs) / (count - 1) : 0;
  }

  /** Encodes {@code ts[off..off+n)} (strictly increasing, n >= 1). */
  static void encode(long[] ts, int off, int n, ByteSink out) {
    long interval = interval(ts[off], ts[off + n - 1], n);
    long prev = ts[off];
    for (int i = 1; i < n; i++) {
      long t = ts[off + i];
      out.writeZigZag(t - prev - interval);
      prev = t;
    }
  }

  /**
   * Decodes {@code count} timestamps from {@code src[pos..end)} to native memory at {@code outAddr} (8 bytes each).
   *
   * @return the position after the block, or -1 if the block is malformed (the caller reports corruption)
   */
  static int decode(byte[] src, int pos, int end, long minTs, long maxTs, int count, long outAddr) {
    long interval = interval(minTs, maxTs, count);
    long prev = minTs;
    MemoryUtil.putLong(outAddr, prev);
    int p = pos;
    for (int i = 1; i < count; i++) {
      long v;
      byte first = p < end ? src[p] : -1;
      if (first >= 0) {
        v = first; // one-byte varint: jitter within +-63 ms of the interval
        p++;
      } else {
        int next = Varints.end(src, p, end);
        if (next < 0) {
          return -1;
        }
        v = Varints.value(src, p);
        p = next;
      }
      prev += interval + ((v >>> 1) ^ -(v & 1));
      MemoryUtil.putLong(outAddr + 8L * i, prev);
    }
    return prev == maxTs ? p : -1;
  }
}
