package io.quiver.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * One writer creating series at full speed while readers select, list and look up: every result must be exactly
 * the answer for some state the writer passed through (no torn series, nothing missing below the count read
 * before the call, nothing that does not match).
 */
class SeriesIndexConcurrencyTest {
  @TempDir Path dir;

  private static Labels series(int i) {
    return Labels.of("__name__", "m" + (i % 5), "pod", "p" + i, "b", (i % 3 == 0) ? "x" : "y");
  }

  @Test
  void shouldNeverShowTornStateToConcurrentReaders() throws Exception {
    long seed = System.nanoTime();
    System.out.println("SeriesIndexConcurrencyTest seed=" + seed);
    int total = 60_000;
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    AtomicBoolean done = new AtomicBoolean();
    try (SeriesIndex index = SeriesIndex.open(dir)) {
      CountDownLatch started = new CountDownLatch(2);
      List<Thread> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        Random random = new Random(seed + r);
        Thread t = new Thread(() -> {
          started.countDown();
          try {
            while (!done.get()) {
              check(index, random);
            }
            check(index, random);
          } catch (Throwable e) {
            failures.add(e);
          }
        }, "reader-" + r);
        readers.add(t);
        t.start();
      }
      started.await();
      for (int i = 0; i < total; i++) {
        assertThat(index.getOrCreate(series(i))).isEqualTo(i);
        if (i % 20_000 == 0) {
          index.commit(); // concurrently with the readers, as the store does when sealing
        }
      }
      done.set(true);
      for (Thread t : readers) {
        t.join();
      }
    }
    assertThat(failures).as("seed=%d", seed).isEmpty();
  }

  private static void check(SeriesIndex index, Random random) {
    int before = index.seriesCount();
    String metric = "m" + random.nextInt(5);
    RoaringBitmap r = index.select(Selector.parse("{__name__=\"" + metric + "\", b!=\"x\"}"));
    int after = index.seriesCount();
    r.forEach((int id) -> {
      assertThat(id).isLessThan(after);
      Labels l = index.labels(id);
      assertThat(l.metricName()).isEqualTo(metric);
      assertThat(l.get("b")).isEqualTo("y");
    });
    int expectedBelow = 0;
    for (int i = 0; i < before; i++) {
      if (("m" + (i % 5)).equals(metric) && i % 3 != 0) {
        expectedBelow++;
      }
    }
    assertThat(r.rangeCardinality(0, before)).isEqualTo(expectedBelow);
    RoaringBitmap pods = index.select(Selector.parse("{pod=~\"p1.*\"}"));
    pods.forEach((int id) -> assertThat(index.labels(id).get("pod")).startsWith("p1"));
    if (before > 0) {
      int probe = random.nextInt(before);
      assertThat(index.lookup(series(probe))).isEqualTo(probe);
      assertThat(index.labels(probe)).isEqualTo(series(probe));
    }
    List<String> values = index.labelValues("b");
    assertThat(values).isSubsetOf("x", "y");
  }
}
