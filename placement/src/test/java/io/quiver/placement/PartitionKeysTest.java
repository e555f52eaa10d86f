package io.quiver.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.Test;

/**
 * Golden vectors for the partition key hash. These values are pinned forever: if this test fails, series would land
 * on different shards than the data already stored. Do not "fix" the vectors; fix the code.
 */
class PartitionKeysTest {

  @Test
  void shouldMatchPublishedXxh64Vectors() {
    // XXH64 seed 0: "" and "hello" are the reference values of the xxHash project / python-xxhash.
    assertThat(PartitionKeys.hash64(new byte[0])).isEqualTo(0xef46db3751d8e999L);
    assertThat(PartitionKeys.hash64("hello".getBytes(StandardCharsets.UTF_8))).isEqualTo(0x26c7827d889f6da3L);
  }

  @Test
  void shouldEncodeCanonicalBytesAsPrometheusDoes() {
    byte[] b = PartitionKeys.canonicalBytes("job", "node", "__name__", "up");
    byte[] expected = "__name__\u0000up\u0000job\u0000node\u0000".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < expected.length; i++) {
      if (expected[i] == 0) {
        expected[i] = (byte) 0xFF;
      }
    }
    assertThat(b).isEqualTo(expected);
  }

  @Test
  void shouldKeepGoldenLabelSetHashes() {
    assertThat(hash("__name__", "up")).isEqualTo(0x23d4c2cb13387598L);
    assertThat(hash("__name__", "up", "job", "node", "instance", "localhost:9100")).isEqualTo(0x300490ebb73c8fbaL);
    assertThat(hash("__name__", "http_requests_total", "method", "GET", "path", "/api/v1/query", "status", "200"))
        .isEqualTo(0x464b297890b7f896L);
    assertThat(hash("__name__", "température", "région", "Zürich")).isEqualTo(0xc985d3e246596037L);
    assertThat(hash("a", "b")).isEqualTo(0x608891b6a4fd3588L);
  }

  @Test
  void shouldNotDependOnLabelOrder() {
    assertThat(hash("job", "node", "__name__", "up", "instance", "localhost:9100"))
        .isEqualTo(hash("__name__", "up", "instance", "localhost:9100", "job", "node"));
  }

  @Test
  void shouldAgreeWithIndependentXxh64Implementation() {
    long seed = TestSeeds.seed("PartitionKeysTest.differential", null);
    SplittableRandom random = new SplittableRandom(seed);
    var reference = XXHashFactory.safeInstance().hash64();
    for (int i = 0; i < 20_000; i++) {
      byte[] data = new byte[random.nextInt(200)];
      for (int j = 0; j < data.length; j++) {
        data[j] = (byte) random.nextInt(256);
      }
      assertThat(PartitionKeys.hash64(data)).as("length %d", data.length).isEqualTo(reference.hash(data, 0,
          data.length, 0));
      int off = data.length == 0 ? 0 : random.nextInt(data.length);
      assertThat(PartitionKeys.hash64(data, off, data.length - off)).isEqualTo(reference.hash(data, off,
          data.length - off, 0));
    }
  }

  @Test
  void shouldRejectOddPairsAndDuplicateNames() {
    assertThatThrownBy(() -> PartitionKeys.canonicalBytes("a")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PartitionKeys.canonicalBytes("a", "1", "a", "2"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static long hash(String... pairs) {
    return PartitionKeys.hash64(PartitionKeys.canonicalBytes(pairs));
  }
}
