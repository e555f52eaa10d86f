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
  private static final double TWO_POW_31 = (double) (1L << 31);

  private JumpHash() {}

  /**
   * The bucket of {@code key} among {@code buckets} buckets.
   *
   * <p>The paper's loop is {@code j = (long) ((b + 1) * (2^31 / ((k >>> 33) + 1)))} while {@code j < buckets}.
   * Here the candidate {@code b} stays a double: {@code b + 1 < 2^31} is exact in a double, so {@code (b + 1) * q}
   * is the same correctly rounded product; {@code Math.floor(x)} equals {@code (long) x} for the positive
   * {@code x < buckets} it is applied to; and {@code (long) x < buckets} holds exactly when {@code x < buckets}, because
   * {@code buckets} is an integer. The outputs are therefore bit-for-bit the paper's (golden vectors and a
   * differential test against Guava pin them); the loop merely avoids two double/long conversions per step on its
   * dependency chain.
   *
   * @param key any 64-bit key (for series: the partition key hash)
   * @param buckets number of buckets, at least 1
   * @return a bucket in {@code [0, buckets)}
   */
  public static int bucket(long key, int buckets) {
    if (buckets < 1) {
      throw new IllegalArgumentException("buckets must be positive [buckets=" + buckets + "]");
    }
    double bound = buckets;
    long k = key;
    double b = 0;
    while (true) {
      k = k * LCG_MULTIPLIER + 1;
      // (k >>> 33) + 1 is in [1, 2^31]; the division draws the next jump as in the paper's C++.
      double x = (b + 1) * (TWO_POW_31 / (double) ((k >>> 33) + 1));
      if (!(x < bound)) {
        return (int) b;
      }
      b = Math.floor(x);
    }
  }
}
