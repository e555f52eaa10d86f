package io.quiver.raft.shard;

import io.quiver.raft.ErrorCode;
import io.quiver.raft.RaftException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** A bounds-checked reader over a byte range; every violation is a {@code MALFORMED_ENTRY} RaftException. */
final class ByteSource {
  private final byte[] buf;
  private final int end;
  private int pos;
  private CharsetDecoder utf8;

  ByteSource(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
  }

  int remaining() {
    return end - pos;
  }

  int position() {
    return pos;
  }

  int get() {
    need(1);
    return buf[pos++] & 0xFF;
  }

  int getIntLe() {
    need(4);
    int v = 0;
    for (int i = 0; i < 4; i++) {
      v |= (buf[pos++] & 0xFF) << (8 * i);
    }
    return v;
  }

  long getLongLe() {
    need(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v |= (buf[pos++] & 0xFFL) << (8 * i);
    }
    return v;
  }

  /** Reads {@code n} bytes (0..8) as the low-order end of a little-endian long, shifted left by {@code shiftBytes}. */
  long getPartialLe(int n, int shiftBytes) {
    need(n);
    long v = 0;
    for (int i = 0; i < n; i++) {
      v |= (buf[pos++] & 0xFFL) << (8 * (i + shiftBytes));
    }
    return v;
  }

  long getVarLong() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = get();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (shift == 63 && b > 1) {
          throw malformed("varint overflows 64 bits [offset=" + pos + "]");
        }
        return v;
      }
    }
    throw malformed("varint longer than 10 bytes [offset=" + pos + "]");
  }

  long getZigZag() {
    long v = getVarLong();
    return (v >>> 1) ^ -(v & 1);
  }

  /** A non-negative count that cannot exceed {@code max} (e.g. remaining bytes / minimum element size). */
  int getCount(String what, long max) {
    long v = getVarLong();
    if (v < 0 || v > max || v > Integer.MAX_VALUE) {
      throw malformed("implausible " + what + " [value=" + v + ", max=" + max + ", offset=" + pos + "]");
    }
    return (int) v;
  }

  /** The next {@code length} bytes as their own source; this one moves past them. */
  ByteSource slice(int length) {
    need(length);
    ByteSource s = new ByteSource(buf, pos, length);
    pos += length;
    return s;
  }

  String getUtf8() {
    int len = getCount("string length", remaining());
    need(len);
    if (isAscii(pos, len)) { // label names and most values: no decoder, no CharBuffer
      String s = new String(buf, pos, len, StandardCharsets.ISO_8859_1);
      pos += len;
      return s;
    }
    if (utf8 == null) {
      utf8 = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
    try {
      CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(buf, pos, len));
      pos += len;
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw malformed("invalid UTF-8 [offset=" + pos + ", length=" + len + "]");
    }
  }

  private boolean isAscii(int from, int len) {
    for (int i = from, end = from + len; i < end; i++) {
      if (buf[i] < 0) {
        return false;
      }
    }
    return true;
  }

  private void need(int n) {
    if (n < 0 || end - pos < n) {
      throw malformed("truncated [offset=" + pos + ", needed=" + n + ", remaining=" + (end - pos) + "]");
    }
  }

  static RaftException malformed(String message) {
    return new RaftException(ErrorCode.MALFORMED_ENTRY, "malformed shard log entry: " + message);
  }
}
