package io.quiver.columnar.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.columnar.StorageIo;
import io.quiver.columnar.StoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Seal/scan round trips against {@link ReferenceModel}: random out-of-order and duplicate samples, NaN payloads,
 * random seals, compactions and reopens, random series subsets and time ranges. Each try prints its seed; rerun
 * one with {@code -Dquiver.seed=<seed>}.
 */
class ColumnarEnginePropertyTest {
  private BufferAllocator allocator;
  private Path dir;

  @BeforeTry
  void setUp() throws IOException {
    allocator = new RootAllocator();
    dir = Files.createTempDirectory("engine-prop");
  }

  @AfterTry
  void tearDown() throws IOException {
    allocator.close();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Property(tries = 15)
  void shouldMatchReferenceModelWhenWritesSealsCompactionsAndReopensInterleave(@ForAll long seedArg) {
    long seed = Long.getLong("quiver.seed", seedArg);
    System.out.println("ColumnarEnginePropertyTest seed=" + seed);
    Random rnd = new Random(seed);
    StoreConfig config = StoreConfig.builder().segmentWindowMs(10_000).chunksPerBlock(rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(3) : 64)
        .retentionMs(0).fsync(false).build();
    ReferenceModel model = new ReferenceModel();
    ColumnarEngine e = EngineFixture.open(dir, allocator, config, StorageIo.DEFAULT);
    try {
      int seriesCount = 1 + rnd.nextInt(12);
      long logIndex = 0;
      int ops = 20 + rnd.nextInt(60);
      for (int op = 0; op < ops; op++) {
        int kind = rnd.nextInt(20);
        if (kind < 14) {
          int s = rnd.nextInt(seriesCount);
          int n = 1 + rnd.nextInt(rnd.nextBoolean() ? 5 : 60);
          long[] ts = new long[n];
          long[] bits = new long[n];
          for (int i = 0; i < n; i++) {
            ts[i] = randomTs(rnd);
            bits[i] = randomBits(rnd);
            model.put(s, ts[i], bits[i]);
          }
          EngineFixture.write(e, s, ts, bits, ++logIndex);
        } else if (kind < 17) {
          e.seal(() -> { });
        } else if (kind < 19) {
          // A clock past every window (closed windows merge whole) or inside the data (open windows merge in tiers).
          List<Segment> plan = e.planCompaction(rnd.nextBoolean() ? Long.MAX_VALUE : randomTs(rnd));
          if (!plan.isEmpty()) {
            e.compact(plan);
          }
        } else {
          e.seal(() -> { });
          e.close();
          e = EngineFixture.open(dir, allocator, config, StorageIo.DEFAULT);
        }
        if (rnd.nextInt(4) == 0) {
          check(e, model, rnd, seriesCount, seed);
        }
      }
      check(e, model, rnd, seriesCount, seed);
      e.seal(() -> { });
      check(e, model, rnd, seriesCount, seed);
    } finally {
      e.close();
    }
  }

  private void check(ColumnarEngine e, ReferenceModel model, Random rnd, int seriesCount, long seed) {
    RoaringBitmap wanted = null;
    Set<Integer> wantedSet = null;
    if (rnd.nextBoolean()) {
      wanted = new RoaringBitmap();
      wantedSet = new HashSet<>();
      for (int s = 0; s < seriesCount + 2; s++) {
        if (rnd.nextBoolean()) {
          wanted.add(s);
          wantedSet.add(s);
        }
      }
    }
    long from = rnd.nextBoolean() ? Long.MIN_VALUE : randomTs(rnd);
    long to = rnd.nextBoolean() ? Long.MAX_VALUE : from == Long.MIN_VALUE ? randomTs(rnd) : from + rnd.nextInt(40_000);
    List<long[]> expected = model.rows(wantedSet, from, to);
    List<long[]> actual = EngineFixture.scan(e, wanted, from, to, allocator, 1 + rnd.nextInt(100));
    assertThat(actual).as("seed=%d from=%d to=%d", seed, from, to)
        .usingElementComparator(ColumnarEnginePropertyTest::compareRows).containsExactlyElementsOf(expected);
  }

  private static int compareRows(long[] a, long[] b) {
    for (int i = 0; i < 3; i++) {
      int c = Long.compare(a[i], b[i]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  static long randomTs(Random rnd) {
    return switch (rnd.nextInt(4)) {
      case 0 -> 1_700_000_000_000L + rnd.nextInt(50) * 1000L; // dense duplicates
      case 1 -> 1_700_000_000_000L + rnd.nextInt(60_000); // spans several 10 s windows
      case 2 -> -5_000 + rnd.nextInt(10_000); // around the epoch, negative included
      default -> 1_700_000_000_000L + 10_000L * rnd.nextInt(20) + rnd.nextInt(7) - 3; // scrape with jitter
    };
  }

  static long randomBits(Random rnd) {
    return switch (rnd.nextInt(6)) {
      case 0 -> Double.doubleToRawLongBits(rnd.nextInt(1000));
      case 1 -> Double.doubleToRawLongBits(Math.round(rnd.nextGaussian() * 10000) / 100.0);
      case 2 -> 0x7ff0000000000002L; // Prometheus stale marker (NaN payload)
      case 3 -> 0xfff8_0000_dead_beefL; // another NaN payload
      case 4 -> rnd.nextLong();
      default -> Double.doubleToRawLongBits(rnd.nextBoolean() ? -0.0 : 0.0);
    };
  }
}
