package io.quiver.columnar.internal;

import java.util.Arrays;

/** A growable byte array with varint and little-endian writers; reused across chunks by one thread. */
final class ByteSink {
  private byte[] buf;
  private int len;

  ByteSink(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  void reset() {
    len = 0;
  }

  int length() {
    return len;
  }

  byte[] array() {
    return buf;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }

  void writeByte(int b) {
    ensure(1);
    buf[len++] = (byte) b;
  }

  void writeBytes(byte[] src, int off, int n) {
    ensure(n);
    System.arraycopy(src, off, buf, len, n);
    len += n;
  }

  /** Unsigned LEB128 varint: 7 bits per byte, high bit set on all but the last byte; at most 10 bytes. */
  void writeVarLong(long v) {
    ensure(10);
    byte[] b = buf;
    int p = len;
    while ((v & ~0x7FL) != 0) {
      b[p++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    b[p++] = (byte) v;
    len = p;
  }

  void writeZigZag(long v) {
    writeVarLong((v << 1) ^ (v >> 63));
  }

  void writeLongLe(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[len++] = (byte) (v >>> (8 * i));
    }
  }

  void writeIntLe(int v) {
    ensure(4);
    for (int i = 0; i < 4; i++) {
      buf[len++] = (byte) (v >>> (8 * i));
    }
  }

  static int varLongSize(long v) {
    int bits = 64 - Long.numberOfLeadingZeros(v | 1);
    return (bits + 6) / 7;
  }

  static int zigZagSize(long v) {
    return varLongSize((v << 1) ^ (v >> 63));
  }
}
