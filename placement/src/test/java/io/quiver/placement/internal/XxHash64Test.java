package io.quiver.placement.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import net.jpountz.xxhash.XXHashFactory;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.openhft.hashing.LongHashFunction;

/**
 * Differential tests of our XXH64 against two independent implementations: zero-allocation-hashing (which the
 * partition key hash used before) and lz4-java. Every length 0..300 is covered in each try, at a random offset
 * inside a larger array with random bytes around the range (so a read past either end would change the result).
 */
class XxHash64Test {
  private static final int MAX_LENGTH = 300;
  private static final int MAX_PADDING = 16;

  @Property(tries = 200)
  void shouldAgreeWithZeroAllocationHashingForEveryLength(@ForAll long randomSeed, @ForAll boolean zeroSeed) {
    SplittableRandom random = new SplittableRandom(randomSeed);
    long seed = zeroSeed ? 0 : random.nextLong();
    LongHashFunction reference = LongHashFunction.xx(seed);
    for (int length = 0; length <= MAX_LENGTH; length++) {
      int offset = random.nextInt(MAX_PADDING);
      byte[] bytes = randomBytes(random, offset + length + random.nextInt(MAX_PADDING));
      assertThat(XxHash64.hash(bytes, offset, length, seed))
          .as("length %d, offset %d, seed %d", length, offset, seed)
          .isEqualTo(reference.hashBytes(bytes, offset, length));
    }
  }

  @Property(tries = 50)
  void shouldAgreeWithLz4JavaForEveryLength(@ForAll long randomSeed) {
    SplittableRandom random = new SplittableRandom(randomSeed);
    long seed = random.nextLong();
    var reference = XXHashFactory.safeInstance().hash64();
    for (int length = 0; length <= MAX_LENGTH; length++) {
      int offset = random.nextInt(MAX_PADDING);
      byte[] bytes = randomBytes(random, offset + length + random.nextInt(MAX_PADDING));
      assertThat(XxHash64.hash(bytes, offset, length, seed))
          .as("length %d, offset %d, seed %d", length, offset, seed)
          .isEqualTo(reference.hash(bytes, offset, length, seed));
    }
  }

  @Property(tries = 20)
  void shouldAgreeOnHighBitBytes(@ForAll long randomSeed) {
    // All bytes >= 0x80: catches a missing "& 0xFF" / "& 0xFFFFFFFFL" on sign-extended reads.
    SplittableRandom random = new SplittableRandom(randomSeed);
    for (int length = 0; length <= MAX_LENGTH; length++) {
      byte[] bytes = new byte[length];
      for (int i = 0; i < length; i++) {
        bytes[i] = (byte) (0x80 | random.nextInt(128));
      }
      assertThat(XxHash64.hash(bytes, 0, length, 0)).isEqualTo(LongHashFunction.xx(0).hashBytes(bytes));
    }
  }

  @Property(tries = 50)
  void shouldRejectRangesOutsideTheArray(@ForAll long randomSeed) {
    SplittableRandom random = new SplittableRandom(randomSeed);
    byte[] bytes = new byte[random.nextInt(64)];
    int offset = random.nextInt(bytes.length + 1);
    assertThatThrownBy(() -> XxHash64.hash(bytes, offset, bytes.length - offset + 1, 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> XxHash64.hash(bytes, -1, 0, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> XxHash64.hash(bytes, 0, -1, 0)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  private static byte[] randomBytes(SplittableRandom random, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return bytes;
  }
}
