package io.quiver.placement;

/**
 * Jump consistent hash (Lamping and Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm", arXiv:1406.2294),
 * written out from the paper rather than taken from a library so that no dependency upgrade can change it.
 *
 * <p>Growing from {@code n} to {@code n + 1} buckets moves exactly the keys that land in the new bucket (about
 * {@code 1/(n+1)} of them); no key moves between old buckets. Only the last bucket can be removed without
 * remapping others, which is why {@link NodeOrder} keeps tombstones. Golden vectors in {@code JumpHashTest} pin
 * the outputs.
 */
public final class JumpHash {
  /** The 64-bit linear congruential generator multiplier of the paper. */
  private static final long LCG_MULTIPLIER = 2862933555777941757L;

  private JumpHash() {}

  /**
   * The bucket of {@code key} among {@code buckets} buckets.
   *
   * @param key any 64-bit key (for series: the partition key hash)
   * @param buckets number of buckets, at least 1
   * @return a bucket in {@code [0, buckets)}
   */
  public static int bucket(long key, int buckets) {
    if (buckets < 1) {
      throw new IllegalArgumentException("buckets must be positive [buckets=" + buckets + "]");
    }
    long k = key;
    long b = -1;
    long j = 0;
    while (j < buckets) {
      b = j;
      k = k * LCG_MULTIPLIER + 1;
      // (k >>> 33) + 1 is in [1, 2^31]; the division draws the next jump as in the paper's C++.
      j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((k >>> 33) + 1)));
    }
    return (int) b;
  }
}
