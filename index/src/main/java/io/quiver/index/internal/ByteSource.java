package io.quiver.index.internal;

import java.nio.charset.StandardCharsets;

/** Bounds-checked reader over a byte range; any overrun or malformed varint throws {@link Malformed}. */
final class ByteSource {
  /** Thrown on malformed input; callers turn it into a typed error naming the file. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  private final byte[] buf;
  private final int end;
  private int pos;

  ByteSource(byte[] buf, int from, int to) {
    this.buf = buf;
    this.pos = from;
    this.end = to;
  }

  int position() {
    return pos;
  }

  int remaining() {
    return end - pos;
  }

  int readByte() throws Malformed {
    if (pos >= end) {
      throw new Malformed("unexpected end of data at byte " + pos);
    }
    return buf[pos++] & 0xFF;
  }

  int readInt() throws Malformed {
    if (end - pos < 4) {
      throw new Malformed("unexpected end of data at byte " + pos);
    }
    int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8)
        | (buf[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  int readVarint() throws Malformed {
    int v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = readByte();
      v |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (v < 0) {
          throw new Malformed("negative varint at byte " + pos);
        }
        return v;
      }
    }
    throw new Malformed("varint too long at byte " + pos);
  }

  String readString() throws Malformed {
    int len = readVarint();
    if (len > end - pos) {
      throw new Malformed("string overruns data at byte " + pos);
    }
    String s = new String(buf, pos, len, StandardCharsets.UTF_8);
    pos += len;
    return s;
  }
}
