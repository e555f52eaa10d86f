package io.quiver.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.columnar.SeriesSamples;
import io.quiver.index.Labels;
import io.quiver.web.ErrorCode;
import io.quiver.web.WebConfig;
import io.quiver.web.bench.RemoteWriteEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Byte-mutation fuzzing of the three decoders, bounded by a fixed number of tries: whatever the bytes, a decoder
 * returns a result (never throws) whose error, if any, maps to a 4xx, and returns quickly. Failing inputs are
 * reproducible from the reported seed (jqwik prints it) and the {@code (seed, rounds)} pair.
 */
class DecoderFuzzPropertyTest {
  private static final WebConfig CONFIG = WebConfig.defaults().withBodyLimits(1 << 20, 1 << 20);
  private static final long BUDGET_NANOS = 2_000_000_000L;

  private final RemoteWriteAdapter remoteWrite = new RemoteWriteAdapter(CONFIG);
  private final LineProtocolAdapter lineProtocol = new LineProtocolAdapter(CONFIG);
  private final JsonImportAdapter json = new JsonImportAdapter(CONFIG);

  private static final byte[] RW_RAW = RemoteWriteEncoder.encode(List.of(
      new SeriesSamples(Labels.of("__name__", "up", "job", "node", "instance", "a:9100"), new long[] {1, 2, -3},
          new long[] {0x7ff0000000000002L, Double.doubleToRawLongBits(1.5), 0L}),
      SeriesSamples.of(Labels.of("__name__", "x"), 5, 2.0)));
  private static final byte[] RW_V2_RAW = {0x22, 0x00, 0x22, 0x08, '_', '_', 'n', 'a', 'm', 'e', '_', '_', 0x22, 0x02,
      'u', 'p', 0x2A, 0x11, 0x0A, 0x02, 0x01, 0x02, 0x12, 0x0B, 0x09, 0, 0, 0, 0, 0, 0, (byte) 0xF0, 0x3F, 0x10, 0x07};
  private static final byte[] LINES = ("cpu,host=a\\ b,dc=x\\=y usage=0.5,idle=3i,ok=t 1700000000000000000\n"
      + "# comment\nmem\\,x free=2u\nm s=\"str\\\"ing\" 1\n").getBytes(StandardCharsets.UTF_8);
  private static final byte[] JSON = ("{\"labels\":{\"__name__\":\"x\",\"a\":\"b\"},\"samples\":[[1,2.5],[2,\"NaN\"]]}\n"
      + "{\"metric\":{\"__name__\":\"y\"},\"values\":[\"NaN:0x7ff0000000000002\"],\"timestamps\":[3]}\n")
      .getBytes(StandardCharsets.UTF_8);

  @Property(tries = 1500)
  void remoteWriteV1NeverThrows(@ForAll long seed, @ForAll @IntRange(min = 1, max = 12) int rounds) {
    byte[] raw = mutate(RW_RAW, seed, rounds);
    check(() -> remoteWrite.decodeV1(raw, raw.length));
    byte[] body = mutate(RemoteWriteEncoder.snappy(RW_RAW), seed, rounds);
    check(() -> remoteWrite.decode(body, body.length, RemoteWriteAdapter.Version.V1));
  }

  @Property(tries = 1000)
  void remoteWriteV2NeverThrows(@ForAll long seed, @ForAll @IntRange(min = 1, max = 12) int rounds) {
    assertThat(remoteWrite.decodeV2(RW_V2_RAW, RW_V2_RAW.length).samples()).isEqualTo(1);
    byte[] raw = mutate(RW_V2_RAW, seed, rounds);
    check(() -> remoteWrite.decodeV2(raw, raw.length));
  }

  @Property(tries = 1500)
  void lineProtocolNeverThrows(@ForAll long seed, @ForAll @IntRange(min = 1, max = 12) int rounds) {
    byte[] body = mutate(LINES, seed, rounds);
    check(() -> lineProtocol.decode(body, body.length, Precision.NANOSECONDS, "db", 0));
  }

  @Property(tries = 1500)
  void jsonImportNeverThrows(@ForAll long seed, @ForAll @IntRange(min = 1, max = 12) int rounds) {
    byte[] body = mutate(JSON, seed, rounds);
    check(() -> json.decode(body, body.length));
  }

  private static void check(java.util.function.Supplier<DecodeResult> decode) {
    long start = System.nanoTime();
    DecodeResult r = decode.get();
    assertThat(System.nanoTime() - start).isLessThan(BUDGET_NANOS);
    if (!r.isOk()) {
      assertThat(r.code()).isIn(ErrorCode.BAD_REQUEST, ErrorCode.PAYLOAD_TOO_LARGE);
      assertThat(r.message()).isNotBlank();
    }
  }

  /** Applies {@code rounds} random edits: flip, set to an interesting byte, insert, delete, duplicate, truncate. */
  static byte[] mutate(byte[] input, long seed, int rounds) {
    Random rnd = new Random(seed);
    byte[] b = input.clone();
    byte[] interesting = {0, (byte) 0xFF, 0x7F, (byte) 0x80, '\\', '"', ',', '=', ' ', '\n', '{', '[', 0x0A, 0x12};
    for (int r = 0; r < rounds && b.length > 0; r++) {
      int pos = rnd.nextInt(b.length);
      switch (rnd.nextInt(6)) {
        case 0 -> b[pos] ^= (byte) (1 << rnd.nextInt(8));
        case 1 -> b[pos] = interesting[rnd.nextInt(interesting.length)];
        case 2 -> {
          byte[] n = new byte[b.length + 1];
          System.arraycopy(b, 0, n, 0, pos);
          n[pos] = (byte) rnd.nextInt(256);
          System.arraycopy(b, pos, n, pos + 1, b.length - pos);
          b = n;
        }
        case 3 -> {
          byte[] n = new byte[b.length - 1];
          System.arraycopy(b, 0, n, 0, pos);
          System.arraycopy(b, pos + 1, n, pos, b.length - pos - 1);
          b = n;
        }
        case 4 -> {
          int len = Math.min(b.length - pos, 1 + rnd.nextInt(8));
          byte[] n = Arrays.copyOf(b, b.length + len);
          System.arraycopy(b, pos, n, b.length, len);
          b = n;
        }
        default -> b = Arrays.copyOf(b, pos);
      }
    }
    return b;
  }
}
