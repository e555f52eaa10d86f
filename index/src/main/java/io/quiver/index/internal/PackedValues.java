package io.quiver.index.internal;

import java.nio.charset.StandardCharsets;

/**
 * The UTF-8 bytes of one full chunk of a label's values (1,024 values in insertion order), laid out contiguously
 * so a dictionary scan reads memory sequentially instead of chasing a posting, a string and its array per value.
 * Immutable; built on first use by a reader.
 */
final class PackedValues {
  final byte[] bytes;
  /** {@code offsets[i]..offsets[i+1]} are value {@code i}'s bytes; {@code count + 1} entries. */
  final int[] offsets;
  /** Whether every byte is ASCII, so a byte is a char and the regex engine can read the bytes directly. */
  final boolean ascii;
  /**
   * The same bytes as a Latin-1 string (one char per byte, whatever the encoding), so a literal can be searched
   * in a whole chunk with the JDK's vectorised {@link String#indexOf(String, int)}.
   */
  final String latin1;

  private PackedValues(byte[] bytes, int[] offsets, boolean ascii) {
    this.bytes = bytes;
    this.offsets = offsets;
    this.ascii = ascii;
    this.latin1 = new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** Index of the value holding byte {@code pos} (values are never empty, so offsets strictly increase). */
  int valueAt(int pos) {
    int lo = 0;
    int hi = offsets.length - 2;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (offsets[mid] <= pos) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  static PackedValues pack(LabelPostings lp, int from, int count) {
    ByteSink sink = new ByteSink(count * 16);
    int[] offsets = new int[count + 1];
    boolean ascii = true;
    for (int i = 0; i < count; i++) {
      byte[] b = lp.valueAt(from + i).value().getBytes(StandardCharsets.UTF_8);
      for (byte x : b) {
        ascii &= x >= 0;
      }
      sink.writeBytes(b, 0, b.length);
      offsets[i + 1] = sink.size();
    }
    return new PackedValues(sink.toByteArray(), offsets, ascii);
  }
}
