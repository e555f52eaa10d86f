package io.quiver.raft.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.WriteBatch;
import io.quiver.index.Labels;
import io.quiver.raft.ErrorCode;
import io.quiver.raft.RaftException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Round trip and fuzzing of {@link ShardLogCodec}. jqwik prints the seed of a failing run; rerun it with
 * {@code @Property(seed = "...")}. Mutations are applied both with and without re-sealing the checksum, so the
 * parser behind the checksum is fuzzed too.
 */
class ShardLogCodecPropertyTest {

  @Property(tries = 300)
  void shouldRoundTripAnyBatch(@ForAll("batches") WriteBatch batch, @ForAll @LongRange(min = 0) long epoch) {
    ShardEntry decoded = ShardLogCodec.decode(ShardLogCodec.encodeWrite(epoch, batch));
    assertThat(decoded.epoch()).isEqualTo(epoch);
    ShardLogCodecTest.assertSameBatch(((ShardEntry.Write) decoded).batch(), batch);
  }

  @Property(tries = 300)
  void shouldRoundTripCoalescedBodiesAsTheirConcatenation(@ForAll("bodyLists") List<WriteBatch> parts,
      @ForAll @LongRange(min = 0) long epoch) {
    List<byte[]> bodies = parts.stream().map(ShardLogCodec::encodeWriteBody).toList();
    List<SeriesSamples> all = new ArrayList<>();
    parts.forEach(b -> all.addAll(b.series()));
    ShardEntry decoded = ShardLogCodec.decode(ShardLogCodec.encodeWrites(epoch, bodies));
    assertThat(decoded.epoch()).isEqualTo(epoch);
    ShardLogCodecTest.assertSameBatch(((ShardEntry.Write) decoded).batch(), new WriteBatch(all));
  }

  @Property(tries = 1500)
  void shouldNeverThrowAnythingButMalformedEntryOnMutatedCoalescedBytes(
      @ForAll("bodyLists") List<WriteBatch> parts,
      @ForAll("mutations") List<int[]> mutations,
      @ForAll boolean reseal) {
    byte[] bytes = ShardLogCodec.encodeWrites(5, parts.stream().map(ShardLogCodec::encodeWriteBody).toList());
    for (int[] m : mutations) {
      int pos = Math.floorMod(m[0], bytes.length);
      bytes[pos] = m[1] == 0 ? (byte) m[2] : (byte) (bytes[pos] ^ (1 << (m[2] & 7)));
    }
    if (reseal) {
      CRC32C crc = new CRC32C();
      crc.update(bytes, 0, bytes.length - 4);
      int v = (int) crc.getValue();
      for (int i = 0; i < 4; i++) {
        bytes[bytes.length - 4 + i] = (byte) (v >>> (8 * i));
      }
    }
    try {
      ShardLogCodec.decode(bytes);
    } catch (RaftException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_ENTRY);
    }
  }

  @Property(tries = 2000)
  void shouldNeverThrowAnythingButMalformedEntryOnMutatedBytes(
      @ForAll("batches") WriteBatch batch,
      @ForAll("mutations") List<int[]> mutations,
      @ForAll boolean reseal,
      @ForAll @IntRange(min = 0, max = 64) int truncateBy) {
    byte[] bytes = ShardLogCodec.encodeWrite(3, batch);
    for (int[] m : mutations) {
      int pos = Math.floorMod(m[0], bytes.length);
      bytes[pos] = m[1] == 0 ? (byte) m[2] : (byte) (bytes[pos] ^ (1 << (m[2] & 7)));
    }
    int length = Math.max(0, bytes.length - truncateBy % Math.max(1, bytes.length / 4 + 1));
    byte[] input = java.util.Arrays.copyOf(bytes, length);
    if (reseal && input.length >= 4) {
      CRC32C crc = new CRC32C();
      crc.update(input, 0, input.length - 4);
      int v = (int) crc.getValue();
      for (int i = 0; i < 4; i++) {
        input[input.length - 4 + i] = (byte) (v >>> (8 * i));
      }
    }
    try {
      ShardLogCodec.decode(input);
    } catch (RaftException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_ENTRY);
    }
  }

  @Property(tries = 1000)
  void shouldNeverThrowAnythingButMalformedEntryOnRandomBytes(@ForAll byte[] random, @ForAll boolean withHeader) {
    byte[] input = random;
    if (withHeader && random.length >= 3) {
      input = random.clone();
      input[0] = (byte) ShardLogCodec.MAGIC;
      input[1] = (byte) ShardLogCodec.VERSION;
      input[2] = (byte) ShardLogCodec.TYPE_WRITE;
      if (input.length >= 8) {
        CRC32C crc = new CRC32C();
        crc.update(input, 0, input.length - 4);
        int v = (int) crc.getValue();
        for (int i = 0; i < 4; i++) {
          input[input.length - 4 + i] = (byte) (v >>> (8 * i));
        }
      }
    }
    try {
      ShardLogCodec.decode(input);
      ShardLogCodec.decodeReply(input);
    } catch (RaftException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_ENTRY);
    }
  }

  @Provide
  Arbitrary<List<int[]>> mutations() {
    Arbitrary<int[]> one = Combinators.combine(
            Arbitraries.integers(), Arbitraries.integers().between(0, 1), Arbitraries.integers().between(0, 255))
        .as((pos, kind, value) -> new int[] {pos, kind, value});
    return one.list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<List<WriteBatch>> bodyLists() {
    return batches().list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<WriteBatch> batches() {
    Arbitrary<String> names = Arbitraries.of("__name__", "job", "instance", "a", "le", "x_y");
    Arbitrary<String> values = Arbitraries.strings().ofMinLength(1).ofMaxLength(12)
        .withChars("abcXYZ019_-:.\u00e9\u4e2d".toCharArray());
    Arbitrary<Labels> labels = Combinators.combine(names.list().ofMinSize(1).ofMaxSize(4).uniqueElements(),
            values.list().ofSize(4))
        .as((ns, vs) -> {
          Labels.Builder b = Labels.builder();
          for (int i = 0; i < ns.size(); i++) {
            b.add(ns.get(i), vs.get(i));
          }
          return b.build();
        });
    Arbitrary<long[]> longs = Arbitraries.oneOf(
            Arbitraries.longs(), Arbitraries.longs().between(1_700_000_000_000L, 1_700_000_100_000L),
            Arbitraries.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0x7ff0000000000002L))
        .list().ofMaxSize(20).map(l -> l.stream().mapToLong(Long::longValue).toArray());
    Arbitrary<SeriesSamples> series = Combinators.combine(labels, longs, longs)
        .as((l, ts, vs) -> {
          int n = Math.min(ts.length, vs.length);
          return new SeriesSamples(l, java.util.Arrays.copyOf(ts, n), java.util.Arrays.copyOf(vs, n));
        });
    return series.list().ofMaxSize(8).map(s -> new WriteBatch(new ArrayList<>(s)));
  }
}
