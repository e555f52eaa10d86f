package io.quiver.raft.shard;

import java.util.Arrays;

/** A growable little-endian byte buffer with varint helpers; single use, not thread-safe. */
final class ByteSink {
  private byte[] buf;
  private int pos;

  ByteSink(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  int position() {
    return pos;
  }

  byte[] array() {
    return buf;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  void ensure(int extra) {
    if (pos + extra > buf.length) {
      int cap = Math.max(buf.length * 2, pos + extra);
      buf = Arrays.copyOf(buf, cap);
    }
  }

  void put(int b) {
    ensure(1);
    buf[pos++] = (byte) b;
  }

  void put(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, pos, bytes.length);
    pos += bytes.length;
  }

  void putIntLe(int v) {
    ensure(4);
    for (int i = 0; i < 4; i++) {
      buf[pos++] = (byte) (v >>> (8 * i));
    }
  }

  void putLongLe(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[pos++] = (byte) (v >>> (8 * i));
    }
  }

  /** Unsigned LEB128. */
  void putVarLong(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  /** Zig-zag then LEB128, for signed deltas. */
  void putZigZag(long v) {
    putVarLong((v << 1) ^ (v >> 63));
  }
}
