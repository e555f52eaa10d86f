package io.quiver.placement.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * XXH64 (Yann Collet, xxHash specification rev. 0.1.x, "XXH64 algorithm description") over byte arrays, written
 * out here so that no dependency upgrade can change the partition key hash. Reads are little-endian regardless of
 * the platform, through array-view {@link VarHandle}s that the JIT compiles to plain loads.
 *
 * <p>Outputs are pinned by the golden vectors in {@code PartitionKeysTest} and compared with two independent
 * implementations (zero-allocation-hashing and lz4-java) by {@code XxHash64Test}. Allocation-free.
 */
public final class XxHash64 {
  private static final long PRIME64_1 = 0x9E3779B185EBCA87L;
  private static final long PRIME64_2 = 0xC2B2AE3D27D4EB4FL;
  private static final long PRIME64_3 = 0x165667B19E3779F9L;
  private static final long PRIME64_4 = 0x85EBCA77C2B2AE63L;
  private static final long PRIME64_5 = 0x27D4EB2F165667C5L;
  private static final int STRIPE = 32;

  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private XxHash64() {}

  /**
   * XXH64 of {@code length} bytes of {@code bytes} from {@code offset}.
   *
   * @throws IndexOutOfBoundsException if the range is not inside the array
   */
  public static long hash(byte[] bytes, int offset, int length, long seed) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    int end = offset + length;
    int pos = offset;
    long h;
    if (length >= STRIPE) {
      long v1 = seed + PRIME64_1 + PRIME64_2;
      long v2 = seed + PRIME64_2;
      long v3 = seed;
      long v4 = seed - PRIME64_1;
      int limit = end - STRIPE;
      do {
        v1 = round(v1, getLong(bytes, pos));
        v2 = round(v2, getLong(bytes, pos + 8));
        v3 = round(v3, getLong(bytes, pos + 16));
        v4 = round(v4, getLong(bytes, pos + 24));
        pos += STRIPE;
      } while (pos <= limit);
      h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
      h = mergeRound(h, v1);
      h = mergeRound(h, v2);
      h = mergeRound(h, v3);
      h = mergeRound(h, v4);
    } else {
      h = seed + PRIME64_5;
    }
    h += length;
    return avalanche(tail(h, bytes, pos, end));
  }

  /** The last {@code end - pos < 32} bytes: 8-byte lanes, then at most one 4-byte lane, then single bytes. */
  private static long tail(long hash, byte[] bytes, int start, int end) {
    long h = hash;
    int pos = start;
    while (pos <= end - 8) {
      h ^= round(0, getLong(bytes, pos));
      h = Long.rotateLeft(h, 27) * PRIME64_1 + PRIME64_4;
      pos += 8;
    }
    if (pos <= end - 4) {
      h ^= ((int) INT_LE.get(bytes, pos) & 0xFFFFFFFFL) * PRIME64_1;
      h = Long.rotateLeft(h, 23) * PRIME64_2 + PRIME64_3;
      pos += 4;
    }
    while (pos < end) {
      h ^= (bytes[pos] & 0xFFL) * PRIME64_5;
      h = Long.rotateLeft(h, 11) * PRIME64_1;
      pos++;
    }
    return h;
  }

  private static long getLong(byte[] bytes, int pos) {
    return (long) LONG_LE.get(bytes, pos);
  }

  private static long round(long acc, long lane) {
    return Long.rotateLeft(acc + lane * PRIME64_2, 31) * PRIME64_1;
  }

  private static long mergeRound(long acc, long v) {
    return (acc ^ round(0, v)) * PRIME64_1 + PRIME64_4;
  }

  private static long avalanche(long hash) {
    long h = hash;
    h ^= h >>> 33;
    h *= PRIME64_2;
    h ^= h >>> 29;
    h *= PRIME64_3;
    h ^= h >>> 32;
    return h;
  }
}
