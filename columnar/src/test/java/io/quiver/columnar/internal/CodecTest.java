package io.quiver.columnar.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CodecTest {
  BufferAllocator allocator;
  ArrowBuf out;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
    out = allocator.buffer(8 * 4096);
  }

  @AfterEach
  void tearDown() {
    out.close();
    allocator.close();
  }

  private long[] roundTripValues(long[] bits) {
    ByteSink sink = new ByteSink(16);
    ValueCodec.encode(bits, 0, bits.length, new long[bits.length], sink);
    int end = ValueCodec.decode(sink.array(), 0, sink.length(), bits.length, out.memoryAddress());
    assertThat(end).isEqualTo(sink.length());
    long[] back = new long[bits.length];
    for (int i = 0; i < bits.length; i++) {
      back[i] = out.getLong(8L * i);
    }
    return back;
  }

  private int encodedKind(long[] bits) {
    ByteSink sink = new ByteSink(16);
    ValueCodec.encode(bits, 0, bits.length, new long[bits.length], sink);
    return sink.array()[0];
  }

  @Test
  void shouldKeepEveryBitPatternIncludingNanPayloadsAndNegativeZero() {
    long[] bits = {0x7ff0000000000002L, 0xfff8000000000001L, Double.doubleToRawLongBits(-0.0), 0L,
      Double.doubleToRawLongBits(Double.POSITIVE_INFINITY), Double.doubleToRawLongBits(Double.MIN_VALUE),
      Double.doubleToRawLongBits(1e300), Double.doubleToRawLongBits(0.1 + 0.2), 0x7ff0000000000002L};
    assertThat(roundTripValues(bits)).containsExactly(bits);
    assertThat(encodedKind(bits)).isEqualTo(ValueCodec.XOR);
  }

  @Test
  void shouldUseDecimalEncodingForCountersAndGaugesWithFewDecimals() {
    long[] counter = new long[100];
    long[] gauge = new long[100];
    for (int i = 0; i < 100; i++) {
      counter[i] = Double.doubleToRawLongBits(1_000_000 + i * 17);
      gauge[i] = Double.doubleToRawLongBits((4000 + (i * 37 % 200)) / 100.0);
    }
    assertThat(roundTripValues(counter)).containsExactly(counter);
    assertThat(roundTripValues(gauge)).containsExactly(gauge);
    assertThat(encodedKind(counter)).isIn(ValueCodec.DECIMAL_DELTA, ValueCodec.DECIMAL_DOD);
    assertThat(encodedKind(gauge)).isIn(ValueCodec.DECIMAL_DELTA, ValueCodec.DECIMAL_DOD);
    long[] constant = {Double.doubleToRawLongBits(1), Double.doubleToRawLongBits(1)};
    assertThat(encodedKind(constant)).isEqualTo(ValueCodec.CONST);
    assertThat(roundTripValues(constant)).containsExactly(constant);
  }

  @Test
  void shouldRoundTripRandomValuesAndTimestamps() {
    long seed = System.nanoTime();
    System.out.println("CodecTest seed=" + seed);
    Random rnd = new Random(seed);
    for (int trial = 0; trial < 2000; trial++) {
      int n = 1 + rnd.nextInt(300);
      long[] bits = new long[n];
      long[] ts = new long[n];
      long t = rnd.nextBoolean() ? rnd.nextLong() : 1_700_000_000_000L;
      for (int i = 0; i < n; i++) {
        bits[i] = switch (rnd.nextInt(4)) {
          case 0 -> rnd.nextLong();
          case 1 -> Double.doubleToRawLongBits(rnd.nextInt(1000) / 10.0);
          case 2 -> Double.doubleToRawLongBits(rnd.nextGaussian());
          default -> Double.doubleToRawLongBits(Math.round(rnd.nextGaussian() * 1e6));
        };
        ts[i] = t;
        t += 1 + (rnd.nextBoolean() ? rnd.nextInt(20) : (rnd.nextLong() >>> 2));
      }
      assertThat(roundTripValues(bits)).as("seed=%d trial=%d", seed, trial).containsExactly(bits);
      // timestamps must be strictly increasing; overflow wraps consistently
      boolean increasing = true;
      for (int i = 1; i < n; i++) {
        increasing &= ts[i] > ts[i - 1];
      }
      if (increasing) {
        ByteSink sink = new ByteSink(16);
        TimestampCodec.encode(ts, 0, n, sink);
        assertThat(TimestampCodec.decode(sink.array(), 0, sink.length(), ts[0], ts[n - 1], n, out.memoryAddress()))
            .isEqualTo(sink.length());
        for (int i = 0; i < n; i++) {
          assertThat(out.getLong(8L * i)).as("seed=%d trial=%d i=%d", seed, trial, i).isEqualTo(ts[i]);
        }
      }
    }
  }

  @Test
  void shouldReportMalformedBlocksInsteadOfThrowing() {
    byte[] junk = {(byte) 0x80, (byte) 0x80, (byte) 0x80};
    assertThat(TimestampCodec.decode(junk, 0, junk.length, 0, 100, 5, out.memoryAddress())).isEqualTo(-1);
    assertThat(ValueCodec.decode(junk, 0, junk.length, 5, out.memoryAddress())).isEqualTo(-1);
    assertThat(ValueCodec.decode(new byte[] {9}, 0, 1, 1, out.memoryAddress())).isEqualTo(-1);
  }
}
