package io.quiver.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.hash.Hashing;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Golden vectors and properties of jump consistent hash; the outputs are pinned forever. */
class JumpHashTest {
  private static final int[] BUCKETS = {1, 2, 3, 16, 64, 1000, 1024, 65536, Integer.MAX_VALUE};

  @Test
  void shouldKeepGoldenVectors() {
    assertBuckets(0L, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    assertBuckets(1L, 0, 0, 0, 6, 55, 549, 549, 21134, 262355607);
    assertBuckets(42L, 0, 1, 2, 2, 43, 571, 571, 5747, 1603940301);
    assertBuckets(-1L, 0, 1, 2, 10, 10, 313, 313, 18311, 699554662);
    assertBuckets(0x26c7827d889f6da3L, 0, 1, 1, 5, 57, 309, 309, 23445, 2074235668);
    assertBuckets(Long.MIN_VALUE, 0, 1, 1, 12, 27, 453, 453, 53854, 1119800965);
    assertBuckets(0x0123456789abcdefL, 0, 0, 0, 13, 57, 194, 194, 33301, 1651575352);
  }

  @Test
  void shouldKeepGoldenSeriesToShardVectors() {
    // label set -> hash (PartitionKeysTest) -> shard for S = 1, 2, 3, 16, 64, 1024
    assertShards(0x23d4c2cb13387598L, 0, 0, 0, 6, 53, 180);
    assertShards(0x300490ebb73c8fbaL, 0, 0, 2, 2, 26, 153);
    assertShards(0x464b297890b7f896L, 0, 1, 2, 7, 32, 138);
    assertShards(0xc985d3e246596037L, 0, 0, 0, 12, 19, 682);
    assertShards(0x608891b6a4fd3588L, 0, 0, 2, 3, 3, 524);
  }

  @Test
  void shouldAgreeWithGuavaAndMoveOnlyToTheNewBucket() {
    long seed = TestSeeds.seed("JumpHashTest.differential", null);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 200_000; i++) {
      long key = random.nextLong();
      int n = 1 + random.nextInt(i % 2 == 0 ? 2048 : Integer.MAX_VALUE - 1);
      int b = JumpHash.bucket(key, n);
      assertThat(b).isEqualTo(Hashing.consistentHash(key, n)).isBetween(0, n - 1);
      if (n < Integer.MAX_VALUE) {
        int grown = JumpHash.bucket(key, n + 1);
        assertThat(grown == b || grown == n).as("key %d, %d -> %d buckets", key, n, n + 1).isTrue();
      }
    }
  }

  @Test
  void shouldMatchThePapersLoopLiterally() {
    // JumpHash keeps the candidate bucket in a double; this is the paper's C++ transcribed with long arithmetic.
    long seed = TestSeeds.seed("JumpHashTest.paper", null);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 300_000; i++) {
      long key = i % 3 == 0 ? random.nextLong() : random.nextLong() >>> random.nextInt(64);
      int n = switch (i % 3) {
        case 0 -> 1 + random.nextInt(1024);
        case 1 -> 1 + random.nextInt(Integer.MAX_VALUE);
        default -> Integer.MAX_VALUE - random.nextInt(4);
      };
      assertThat(JumpHash.bucket(key, n)).as("key %d, %d buckets", key, n).isEqualTo(paperBucket(key, n));
    }
  }

  private static int paperBucket(long key, int buckets) {
    long k = key;
    long b = -1;
    long j = 0;
    while (j < buckets) {
      b = j;
      k = k * 2862933555777941757L + 1;
      j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((k >>> 33) + 1)));
    }
    return (int) b;
  }

  @Test
  void shouldRejectNonPositiveBucketCounts() {
    assertThatThrownBy(() -> JumpHash.bucket(1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ShardFunction(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ShardFunction(1025)).isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertBuckets(long key, int... expected) {
    for (int i = 0; i < BUCKETS.length; i++) {
      assertThat(JumpHash.bucket(key, BUCKETS[i])).as("key %x, %d buckets", key, BUCKETS[i]).isEqualTo(expected[i]);
    }
  }

  private static void assertShards(long hash, int... expected) {
    int[] counts = {1, 2, 3, 16, 64, 1024};
    for (int i = 0; i < counts.length; i++) {
      assertThat(new ShardFunction(counts[i]).shardOf(hash)).isEqualTo(expected[i]);
    }
  }
}
