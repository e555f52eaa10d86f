package io.quiver.placement.internal;

/** SplitMix64 finalizer (Steele, Lea, Flood), used to derive placement keys and re-hash past tombstones. */
public final class Mix {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private Mix() {}

  /** A well-mixed 64-bit value of {@code z}. */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The next key in a re-hash sequence. */
  public static long next(long key) {
    return mix64(key + GOLDEN);
  }

  /** The placement key of replica {@code replica} of shard {@code shard}: the replica number mixed into the key. */
  public static long replicaKey(int shard, int replica) {
    return mix64(mix64(shard + GOLDEN) ^ (replica * GOLDEN));
  }

  /** A deterministic tie-breaking order value for the pair (a, b). */
  public static long pair(int a, int b) {
    return mix64(((long) a << 32) ^ (b & 0xFFFFFFFFL));
  }
}
