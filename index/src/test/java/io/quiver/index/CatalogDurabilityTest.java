package io.quiver.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ids survive reopen, crash and replay, snapshot and restore; damage is detected and named. */
class CatalogDurabilityTest {
  private static final String CATALOG = "catalog.qcl";

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

  @Test
  void shouldCutATornLastCommitAndKeepTheEarlierOnes() throws IOException {
    Path a = dir.resolve("a");
    long goodBytes;
    try (SeriesIndex index = SeriesIndex.open(a)) {
      index.getOrCreate(Labels.of("a", "1"));
      index.commit();
      goodBytes = Files.size(a.resolve(CATALOG));
      index.getOrCreate(Labels.of("a", "2"));
    }
    byte[] full = Files.readAllBytes(a.resolve(CATALOG));
    for (long cut = goodBytes + 1; cut < full.length; cut++) {
      Files.write(a.resolve(CATALOG), java.util.Arrays.copyOf(full, (int) cut));
      try (SeriesIndex index = SeriesIndex.open(a)) {
        assertThat(index.seriesCount()).as("cut=%d", cut).isEqualTo(1);
        assertThat(index.getOrCreate(Labels.of("a", "2"))).isEqualTo(1);
      }
      assertThat(Files.size(a.resolve(CATALOG))).isGreaterThan(goodBytes); // the re-created series was committed
    }
  }

  @Test
  void shouldReportDamageBeforeTheLastFrameAsCorrupt() throws IOException {
    Path a = dir.resolve("a");
    long firstFrameEnd;
    try (SeriesIndex index = SeriesIndex.open(a)) {
      index.getOrCreate(Labels.of("a", "1"));
      index.commit();
      firstFrameEnd = Files.size(a.resolve(CATALOG));
      index.getOrCreate(Labels.of("a", "2"));
    }
    byte[] data = Files.readAllBytes(a.resolve(CATALOG));
    data[(int) firstFrameEnd - 2] ^= 0x40;
    Files.write(a.resolve(CATALOG), data);
    assertThatThrownBy(() -> SeriesIndex.open(a))
        .isInstanceOf(IndexException.class)
        .hasMessageContaining(a.resolve(CATALOG).toString())
        .extracting(e -> ((IndexException) e).code()).isEqualTo(ErrorCode.CORRUPT_INDEX);
  }

  @Test
  void shouldRejectABadHeader() throws IOException {
    Files.createDirectories(dir.resolve("a"));
    Files.write(dir.resolve("a").resolve(CATALOG), "not a catalog".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThatThrownBy(() -> SeriesIndex.open(dir.resolve("a")))
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
