package io.quiver.placement;

import io.quiver.placement.internal.XxHash64;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The partition key hash of a series: XXH64 with seed 0 over the canonical label bytes (for each label sorted by
 * name: UTF-8 name, {@code 0xFF}, UTF-8 value, {@code 0xFF}). This is Prometheus' {@code labels.Hash} construction
 * and equals {@code io.quiver.index.Labels.hash64()}.
 *
 * <p>Pinned forever: every stored series lives on the shard this hash chooses, so changing it would silently
 * misroute reads and writes. Golden vectors in {@code PartitionKeysTest} fail the build if the implementation
 * ({@link XxHash64}, our own, differentially tested against two libraries) or the construction ever changes. Only
 * byte arrays we build ourselves are hashed.
 */
public final class PartitionKeys {
  private static final long SEED = 0;
  private static final byte SEPARATOR = (byte) 0xFF;

  private PartitionKeys() {}

  /** XXH64, seed 0, of {@code canonicalLabelBytes}. Allocation-free. */
  public static long hash64(byte[] canonicalLabelBytes) {
    return XxHash64.hash(canonicalLabelBytes, 0, canonicalLabelBytes.length, SEED);
  }

  /** XXH64, seed 0, of {@code length} bytes of {@code bytes} starting at {@code offset}. Allocation-free. */
  public static long hash64(byte[] bytes, int offset, int length) {
    return XxHash64.hash(bytes, offset, length, SEED);
  }

  /**
   * Canonical bytes of a label set given as alternating names and values; the pairs are sorted by name here, so
   * callers may pass them in any order. Does not validate names (the index module does); intended for tools and
   * tests, the ingest path uses {@code Labels.canonicalBytes()}.
   *
   * @throws IllegalArgumentException on an odd number of strings or a repeated name
   */
  public static byte[] canonicalBytes(String... nameValuePairs) {
    if (nameValuePairs.length % 2 != 0) {
      throw new IllegalArgumentException("odd number of name/value strings [count=" + nameValuePairs.length + "]");
    }
    int n = nameValuePairs.length / 2;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> nameValuePairs[2 * a].compareTo(nameValuePairs[2 * b]));
    byte[][] parts = new byte[2 * n][];
    int length = 0;
    for (int k = 0; k < n; k++) {
      int i = order[k];
      if (k > 0 && nameValuePairs[2 * i].equals(nameValuePairs[2 * order[k - 1]])) {
        throw new IllegalArgumentException("duplicate label name [name=" + nameValuePairs[2 * i] + "]");
      }
      parts[2 * k] = nameValuePairs[2 * i].getBytes(StandardCharsets.UTF_8);
      parts[2 * k + 1] = nameValuePairs[2 * i + 1].getBytes(StandardCharsets.UTF_8);
      length += parts[2 * k].length + parts[2 * k + 1].length + 2;
    }
    byte[] out = new byte[length];
    int pos = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, pos, part.length);
      pos += part.length;
      out[pos++] = SEPARATOR;
    }
    return out;
  }
}
