package io.quiver.columnar.internal;

import org.apache.arrow.memory.util.MemoryUtil;

/**
 * Values of one series chunk as raw IEEE-754 bits; every bit pattern (NaN payloads, -0.0) round-trips exactly.
 * The first byte of a block selects the encoding:
 *
 * <ul>
 *   <li>{@link #CONST}: all values share one bit pattern; 8 bytes little-endian.
 *   <li>{@link #DECIMAL_DELTA}: VictoriaMetrics-style decimal. Every value equals {@code m / 10^scale} (a correctly
 *       rounded double division, checked bit for bit while encoding) for integer mantissas {@code |m| <= 2^53};
 *       a scale byte, then {@code zigzag(m[0])} and {@code zigzag(m[i] - m[i-1])} varints. Counters with integer
 *       increments and gauges with a few decimals land here.
 *   <li>{@link #DECIMAL_DOD}: the same mantissas as delta-of-delta (steady-rate counters); chosen when smaller.
 *   <li>{@link #XOR}: byte-aligned Gorilla: the first value's 8 bytes, then per value the XOR with its predecessor
 *       as either a single 0 byte, or a header {@code (trailingZeroBytes << 4) | significantBytes} followed by the
 *       significant bytes little-endian.
 * </ul>
 */
final class ValueCodec {
  static final int CONST = 0;
  static final int DECIMAL_DELTA = 1;
  static final int DECIMAL_DOD = 2;
  static final int XOR = 3;

  private static final int MAX_SCALE = 15;
  private static final long MAX_MANTISSA = 1L << 53;
  private static final double[] POW10 = new double[MAX_SCALE + 1];

  static {
    double p = 1;
    for (int i = 0; i <= MAX_SCALE; i++) {
      POW10[i] = p;
      p *= 10;
    }
  }

  private ValueCodec() {}

  /** Encodes {@code bits[off..off+n)}, n >= 1, using {@code mantissas} (length >= n) as scratch. */
  static void encode(long[] bits, int off, int n, long[] mantissas, ByteSink out) {
    long first = bits[off];
    boolean constant = true;
    for (int i = 1; i < n && constant; i++) {
      constant = bits[off + i] == first;
    }
    if (constant) {
      out.writeByte(CONST);
      out.writeLongLe(first);
      return;
    }
    int scale = decimalScale(bits, off, n);
    if (scale >= 0 && toMantissas(bits, off, n, scale, mantissas)) {
      encodeDecimal(mantissas, n, scale, out);
      return;
    }
    encodeXor(bits, off, n, out);
  }

  /** The smallest common decimal scale, or -1 if some value has no decimal form within {@link #MAX_SCALE}. */
  private static int decimalScale(long[] bits, int off, int n) {
    int scale = 0;
    for (int i = 0; i < n; i++) {
      double v = Double.longBitsToDouble(bits[off + i]);
      if (fits(v, bits[off + i], scale)) {
        continue;
      }
      int s = scale + 1;
      while (s <= MAX_SCALE && !fits(v, bits[off + i], s)) {
        s++;
      }
      if (s > MAX_SCALE) {
        return -1;
      }
      scale = s;
    }
    return scale;
  }

  private static boolean fits(double v, long bits, int scale) {
    double scaled = v * POW10[scale];
    if (!(Math.abs(scaled) <= MAX_MANTISSA)) {
      return false; // NaN, infinities and huge values
    }
    long m = Math.round(scaled);
    return Double.doubleToRawLongBits(fromMantissa(m, scale)) == bits;
  }

  private static double fromMantissa(long m, int scale) {
    return scale == 0 ? (double) m : (double) m / POW10[scale];
  }

  private static boolean toMantissas(long[] bits, int off, int n, int scale, long[] out) {
    for (int i = 0; i < n; i++) {
      long b = bits[off + i];
      long m = Math.round(Double.longBitsToDouble(b) * POW10[scale]);
      if (Math.abs(m) > MAX_MANTISSA || Double.doubleToRawLongBits(fromMantissa(m, scale)) != b) {
        return false;
      }
      out[i] = m;
    }
    return true;
  }

  private static void encodeDecimal(long[] m, int n, int scale, ByteSink out) {
    long deltaSize = 0;
    long dodSize = 0;
    for (int i = 1; i < n; i++) {
      long d = m[i] - m[i - 1];
      deltaSize += ByteSink.zigZagSize(d);
      dodSize += i == 1 ? ByteSink.zigZagSize(d) : ByteSink.zigZagSize(d - (m[i - 1] - m[i - 2]));
    }
    boolean dod = dodSize < deltaSize;
    out.writeByte(dod ? DECIMAL_DOD : DECIMAL_DELTA);
    out.writeByte(scale);
    out.writeZigZag(m[0]);
    long prevDelta = 0;
    for (int i = 1; i < n; i++) {
      long d = m[i] - m[i - 1];
      out.writeZigZag(dod && i > 1 ? d - prevDelta : d);
      prevDelta = d;
    }
  }

  private static void encodeXor(long[] bits, int off, int n, ByteSink out) {
    out.writeByte(XOR);
    long prev = bits[off];
    out.writeLongLe(prev);
    for (int i = 1; i < n; i++) {
      long x = bits[off + i] ^ prev;
      prev = bits[off + i];
      if (x == 0) {
        out.writeByte(0);
        continue;
      }
      int tzBytes = Long.numberOfTrailingZeros(x) >>> 3;
      int lzBytes = Long.numberOfLeadingZeros(x) >>> 3;
      int sig = 8 - tzBytes - lzBytes;
      out.writeByte((tzBytes << 4) | sig);
      long v = x >>> (8 * tzBytes);
      for (int k = 0; k < sig; k++) {
        out.writeByte((int) (v >>> (8 * k)));
      }
    }
  }

  /**
   * Decodes {@code count} values from {@code src[pos..end)} as raw bits to native memory at {@code outAddr}.
   *
   * @return the position after the block, or -1 if the block is malformed
   */
  static int decode(byte[] src, int pos, int end, int count, long outAddr) {
    if (pos >= end) {
      return -1;
    }
    int kind = src[pos];
    switch (kind) {
      case CONST:
        return decodeConst(src, pos + 1, end, count, outAddr);
      case DECIMAL_DELTA:
      case DECIMAL_DOD:
        return decodeDecimal(src, pos + 1, end, count, outAddr, kind == DECIMAL_DOD);
      case XOR:
        return decodeXor(src, pos + 1, end, count, outAddr);
      default:
        return -1;
    }
  }

  private static long readLongLe(byte[] src, int p) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (src[p + i] & 0xFF);
    }
    return v;
  }

  private static int decodeConst(byte[] src, int p, int end, int count, long outAddr) {
    if (p + 8 > end) {
      return -1;
    }
    long v = readLongLe(src, p);
    for (int i = 0; i < count; i++) {
      MemoryUtil.putLong(outAddr + 8L * i, v);
    }
    return p + 8;
  }

  private static int decodeDecimal(byte[] src, int pos, int end, int count, long outAddr, boolean dod) {
    if (pos >= end) {
      return -1;
    }
    int scale = src[pos];
    if (scale < 0 || scale > MAX_SCALE) {
      return -1;
    }
    double div = POW10[scale];
    int p = pos + 1;
    long m = 0;
    long delta = 0;
    for (int i = 0; i < count; i++) {
      long v;
      byte first = p < end ? src[p] : -1;
      if (first >= 0) {
        v = first; // one-byte varint, the common case
        p++;
      } else {
        int next = Varints.end(src, p, end);
        if (next < 0) {
          return -1;
        }
        v = Varints.value(src, p);
        p = next;
      }
      long z = (v >>> 1) ^ -(v & 1);
      if (i == 0) {
        m = z;
      } else if (dod && i > 1) {
        delta += z;
        m += delta;
      } else {
        delta = z;
        m += z;
      }
      double d = scale == 0 ? (double) m : (double) m / div;
      MemoryUtil.putLong(outAddr + 8L * i, Double.doubleToRawLongBits(d));
    }
    return p;
  }

  private static int decodeXor(byte[] src, int pos, int end, int count, long outAddr) {
    if (pos + 8 > end) {
      return -1;
    }
    long prev = readLongLe(src, pos);
    MemoryUtil.putLong(outAddr, prev);
    int p = pos + 8;
    for (int i = 1; i < count; i++) {
      if (p >= end) {
        return -1;
      }
      int h = src[p++] & 0xFF;
      if (h != 0) {
        int tz = h >>> 4;
        int sig = h & 0x0F;
        if (sig == 0 || tz + sig > 8 || p + sig > end) {
          return -1;
        }
        long x = 0;
        for (int k = sig - 1; k >= 0; k--) {
          x = (x << 8) | (src[p + k] & 0xFF);
        }
        p += sig;
        prev ^= x << (8 * tz);
      }
      MemoryUtil.putLong(outAddr + 8L * i, prev);
    }
    return p;
  }
}
