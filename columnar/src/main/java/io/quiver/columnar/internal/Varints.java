package io.quiver.columnar.internal;

/**
 * Reading unsigned LEB128 varints from segment blocks. Hot decoders inline the one-byte case (a varint whose first
 * byte is non-negative is that byte) and call these for the rest: {@link #end} validates and finds the end, then
 * {@link #value} assembles the value. The rare multi-byte varint is read twice (at most ten bytes), which keeps both
 * calls free of allocation and of an out-parameter.
 */
final class Varints {
  private Varints() {}

  /**
   * The position after the varint starting at {@code pos}, or -1 if it runs past {@code end} or is longer than ten
   * bytes (corrupt).
   */
  static int end(byte[] src, int pos, int end) {
    int p = pos;
    for (int shift = 0; shift <= 63; shift += 7) {
      if (p >= end) {
        return -1;
      }
      if (src[p++] >= 0) {
        return p;
      }
    }
    return -1;
  }

  /** The value of the varint at {@code pos}; {@link #end} must have accepted it. */
  static long value(byte[] src, int pos) {
    long v = 0;
    int shift = 0;
    int p = pos;
    while (true) {
      byte b = src[p++];
      v |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return v;
      }
      shift += 7;
    }
  }
}
