package io.quiver.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ids survive reopen, crash and replay, snapshot and restore; damage is detected and named. */
class CatalogDurabilityTest {
  private static final String CATALOG = "catalog.mapdb";

  @TempDir Path dir;

  private static List<Labels> workload(long seed, int n) {
    Random r = new Random(seed);
    List<Labels> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Labels.of("__name__", "m" + r.nextInt(20), "instance", "i" + r.nextInt(n), "pod", "p" + r.nextInt(3 * n),
          "job", r.nextBoolean() ? "api" : "db"));
    }
    return out; // contains repeats on purpose
  }

  private static int[] apply(SeriesIndex index, List<Labels> labels) {
    int[] ids = new int[labels.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = index.getOrCreate(labels.get(i));
    }
    return ids;
  }

  @Test
  void shouldAssignTheSameIdsOnEveryReplicaAndAfterCrashAndReplay() throws IOException {
    long seed = System.nanoTime();
    System.out.println("CatalogDurabilityTest seed=" + seed);
    List<Labels> log = workload(seed, 5_000);
    int[] expected;
    try (SeriesIndex a = SeriesIndex.open(dir.resolve("a"))) {
      expected = apply(a, log.subList(0, 2_000));
      a.commit();
      // The disk as a crash would leave it: the last commit, nothing after.
      Files.createDirectories(dir.resolve("crashed"));
      Files.copy(dir.resolve("a").resolve(CATALOG), dir.resolve("crashed").resolve(CATALOG));
      int[] rest = apply(a, log.subList(2_000, log.size()));
      expected = concat(expected, rest);
    }
    try (SeriesIndex b = SeriesIndex.open(dir.resolve("b"))) {
      assertThat(apply(b, log)).as("seed=%d: a second replica", seed).containsExactly(expected);
    }
    try (SeriesIndex crashed = SeriesIndex.open(dir.resolve("crashed"))) {
      assertThat(apply(crashed, log)).as("seed=%d: replay after a crash", seed).containsExactly(expected);
    }
    try (SeriesIndex reopened = SeriesIndex.open(dir.resolve("a"))) {
      assertThat(apply(reopened, log)).as("seed=%d: reopen after close", seed).containsExactly(expected);
      assertThat(reopened.committedSeriesCount()).isEqualTo(reopened.seriesCount());
    }
  }

  /**
   * Kills a process that commits in a loop at random moments (SIGKILL: no shutdown hook, no close) and reopens the
   * catalog each time: every acknowledged commit is there, with the same ids, and the catalog keeps growing from
   * where it stopped.
   */
  @Test
  void shouldKeepEveryAcknowledgedCommitWhenTheWriterIsKilled() throws Exception {
    Path a = dir.resolve("a");
    long seed = System.nanoTime();
    System.out.println("CatalogDurabilityTest kill seed=" + seed);
    Random random = new Random(seed);
    String java = ProcessHandle.current().info().command().orElse("java");
    int previous = 0;
    for (int round = 0; round < 4; round++) {
      Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          CatalogCrashChild.class.getName(), a.toString()).redirectErrorStream(true).start();
      // Bounds the read loop below even if the child hangs without printing.
      CompletableFuture.runAsync(child::destroyForcibly, CompletableFuture.delayedExecutor(60, TimeUnit.SECONDS));
      int acked = -1;
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
          StandardCharsets.UTF_8))) {
        long killAt = 0;
        String line;
        while ((line = out.readLine()) != null) {
          assertThat(line).as("seed=%d round=%d: child output", seed, round).matches("[0-9]+");
          acked = Integer.parseInt(line);
          if (killAt == 0) {
            killAt = System.nanoTime() + (50 + random.nextInt(700)) * 1_000_000L;
          } else if (System.nanoTime() >= killAt) {
            break;
          }
        }
      } finally {
        child.destroyForcibly(); // SIGKILL
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(acked).as("seed=%d round=%d: the child committed before the kill", seed, round)
          .isGreaterThan(previous);
      try (SeriesIndex index = SeriesIndex.open(a)) {
        assertThat(index.committedSeriesCount()).as("seed=%d round=%d", seed, round).isGreaterThanOrEqualTo(acked);
        for (int id = 0; id < index.seriesCount(); id++) {
          assertThat(index.labels(id)).as("seed=%d round=%d id=%d", seed, round, id)
              .isEqualTo(CatalogCrashChild.labels(id));
        }
        previous = index.seriesCount();
      }
    }
  }

  @Test
  void shouldReportDamageAsCorruptOrServeExactlyWhatWasCommitted() throws IOException {
    Path a = dir.resolve("a");
    List<Labels> series = workload(3, 300);
    int[] expected;
    try (SeriesIndex index = SeriesIndex.open(a)) {
      expected = apply(index, series.subList(0, 150));
      index.commit();
      expected = concat(expected, apply(index, series.subList(150, 300)));
    }
    byte[] clean = Files.readAllBytes(a.resolve(CATALOG));
    int corrupt = 0;
    // MapDB preallocates 1 MiB pages, mostly zeros: flip every 13th byte in use, and a sparse stride of the rest.
    int tried = 0;
    for (int i = 0; i < clean.length; i++) {
      if (clean[i] == 0 ? i % 65_521 != 0 : i % 13 != 0) {
        continue;
      }
      tried++;
      byte[] data = clean.clone();
      data[i] ^= 0x40;
      // A new file each time: MapDB keeps its file lock when make() itself fails, and locks belong to the inode.
      Files.delete(a.resolve(CATALOG));
      Files.write(a.resolve(CATALOG), data);
      SeriesIndex index;
      try {
        index = SeriesIndex.open(a);
      } catch (IndexException e) {
        assertThat(e.code()).as("flip at %d: %s", i, e).isEqualTo(ErrorCode.CORRUPT_INDEX);
        assertThat(e).hasMessageContaining(a.resolve(CATALOG).toString());
        corrupt++;
        continue;
      }
      try (index) {
        assertThat(apply(index, series)).as("flip at %d went unnoticed: the content must be intact", i)
            .containsExactly(expected);
      }
    }
    System.out.printf("CatalogDurabilityTest flips: %d tried, %d detected, the rest left the content intact%n", tried,
        corrupt);
    assertThat(corrupt).as("flips inside the header and the batches are detected").isPositive();
  }

  @Test
  void shouldRejectAFileThatIsNotACatalog() throws IOException {
    Files.createDirectories(dir.resolve("a"));
    Files.write(dir.resolve("a").resolve(CATALOG), "not a catalog".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> SeriesIndex.open(dir.resolve("a")))
        .hasMessageContaining(dir.resolve("a").resolve(CATALOG).toString())
        .extracting(e -> ((IndexException) e).code()).isEqualTo(ErrorCode.CORRUPT_INDEX);
  }

  @Test
  void shouldRefuseTheRetiredCatalogFormatRatherThanStartEmpty() throws IOException {
    Files.createDirectories(dir.resolve("a"));
    Files.write(dir.resolve("a").resolve("catalog.qcl"), new byte[] {'Q', 'V', 'C', 'A', 'T', 'L', 'G', '1'});
    assertThatThrownBy(() -> SeriesIndex.open(dir.resolve("a")))
        .hasMessageContaining("retired format")
        .extracting(e -> ((IndexException) e).code()).isEqualTo(ErrorCode.CORRUPT_INDEX);
  }

  @Test
  void shouldRestoreASnapshotWithTheSameIdsAndReplaceAnExistingCatalog() throws IOException {
    long seed = System.nanoTime();
    System.out.println("CatalogDurabilityTest snapshot seed=" + seed);
    List<Labels> log = workload(seed, 12_000);
    Path snap = dir.resolve("snap.qcs");
    int[] expected;
    try (SeriesIndex a = SeriesIndex.open(dir.resolve("a"))) {
      expected = apply(a, log);
      a.snapshotTo(snap);
    }
    try (SeriesIndex stale = SeriesIndex.open(dir.resolve("b"))) {
      stale.getOrCreate(Labels.of("stale", "1"));
    }
    SeriesIndex.restore(snap, dir.resolve("b"));
    try (SeriesIndex b = SeriesIndex.open(dir.resolve("b"))) {
      assertThat(b.lookup(Labels.of("stale", "1"))).isEqualTo(-1);
      assertThat(apply(b, log)).as("seed=%d", seed).containsExactly(expected);
      assertThat(b.select(Selector.parse("{job=\"api\"}")).getCardinality())
          .isEqualTo((int) log.stream().distinct().filter(l -> l.get("job").equals("api")).count());
    }
  }

  @Test
  void shouldDetectEveryTruncationAndFlipOfASnapshot() throws IOException {
    Path snap = dir.resolve("snap.qcs");
    try (SeriesIndex a = SeriesIndex.open(dir.resolve("a"))) {
      apply(a, workload(7, 100));
      a.snapshotTo(snap);
    }
    byte[] data = Files.readAllBytes(snap);
    Path bad = dir.resolve("bad.qcs");
    for (int cut = 0; cut < data.length; cut += cut < 64 || cut > data.length - 64 ? 1 : 11) {
      Files.write(bad, java.util.Arrays.copyOf(data, cut));
      assertCorrupt(bad);
    }
    for (int i = 0; i < data.length; i += 13) {
      byte[] flipped = data.clone();
      flipped[i] ^= 0x01;
      Files.write(bad, flipped);
      assertCorrupt(bad);
    }
    Files.copy(snap, bad, StandardCopyOption.REPLACE_EXISTING);
    SeriesIndex.restore(bad, dir.resolve("ok"));
  }

  private void assertCorrupt(Path file) {
    Path target = dir.resolve("target");
    assertThatThrownBy(() -> SeriesIndex.restore(file, target))
        .isInstanceOf(IndexException.class)
        .hasMessageContaining(file.toString())
        .extracting(e -> ((IndexException) e).code()).isEqualTo(ErrorCode.CORRUPT_INDEX);
    assertThat(target.resolve(CATALOG)).doesNotExist();
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
