package io.quiver.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeriesIndexTest {
  @TempDir Path dir;

  private static Labels l(String... kv) {
    return Labels.of(kv);
  }

  @Test
  void shouldAssignDenseIdsInFirstInsertOrder() {
    try (SeriesIndex index = SeriesIndex.open(dir)) {
      assertThat(index.getOrCreate(l("__name__", "up", "job", "a"))).isZero();
      assertThat(index.getOrCreate(l("__name__", "up", "job", "b"))).isEqualTo(1);
      assertThat(index.getOrCreate(l("job", "a", "__name__", "up"))).isZero();
      assertThat(index.getOrCreate(l("__name__", "down"))).isEqualTo(2);
      assertThat(index.seriesCount()).isEqualTo(3);
      assertThat(index.lookup(l("__name__", "up", "job", "b"))).isEqualTo(1);
      assertThat(index.lookup(l("__name__", "up", "job", "c"))).isEqualTo(-1);
      assertThat(index.labels(1)).isEqualTo(l("__name__", "up", "job", "b"));
    }
  }

  @Test
  void shouldSelectWithPrometheusSemantics() {
    try (SeriesIndex index = SeriesIndex.open(dir)) {
      index.getOrCreate(l("__name__", "up", "job", "a", "instance", "web-1"));
      index.getOrCreate(l("__name__", "up", "job", "b", "instance", "web-2"));
      index.getOrCreate(l("__name__", "up", "instance", "db-1"));
      index.getOrCreate(l("__name__", "down", "job", "a"));
      assertThat(ids(index, "up")).containsExactly(0, 1, 2);
      assertThat(ids(index, "up{job=\"a\"}")).containsExactly(0);
      assertThat(ids(index, "up{job!=\"a\"}")).containsExactly(1, 2);
      assertThat(ids(index, "up{job=\"\"}")).containsExactly(2);
      assertThat(ids(index, "{job=~\"a|b\"}")).containsExactly(0, 1, 3);
      assertThat(ids(index, "{instance=~\"web.*\"}")).containsExactly(0, 1);
      assertThat(ids(index, "{instance=~\"web\"}")).isEmpty();
      assertThat(ids(index, "{__name__=~\".+\", instance!~\"web.*\"}")).containsExactly(2, 3);
      assertThat(ids(index, "{__name__=~\".+\", job=~\"a|\"}")).containsExactly(0, 2, 3);
      assertThat(ids(index, "{nope=\"x\"}")).isEmpty();
      assertThat(index.labelNames()).containsExactly("__name__", "instance", "job");
      assertThat(index.labelValues("instance")).containsExactly("db-1", "web-1", "web-2");
      assertThat(index.labelValues("missing")).isEmpty();
    }
  }

  @Test
  void shouldReopenAsOfLastCommit() {
    try (SeriesIndex index = SeriesIndex.open(dir)) {
      index.getOrCreate(l("a", "1"));
      index.getOrCreate(l("a", "2"));
      index.commit();
      index.getOrCreate(l("a", "3"));
    }
    try (SeriesIndex index = SeriesIndex.open(dir)) {
      assertThat(index.seriesCount()).isEqualTo(3);
      assertThat(index.lookup(l("a", "3"))).isEqualTo(2);
      assertThat(index.getOrCreate(l("b", "1"))).isEqualTo(3);
    }
  }

  @Test
  void shouldRoundTripSnapshot() {
    Path snap = dir.resolve("snap.qcs");
    try (SeriesIndex index = SeriesIndex.open(dir.resolve("a"))) {
      for (int i = 0; i < 40_000; i++) {
        index.getOrCreate(l("__name__", "m" + (i % 7), "i", "v" + i));
      }
      index.snapshotTo(snap);
    }
    SeriesIndex.restore(snap, dir.resolve("b"));
    try (SeriesIndex index = SeriesIndex.open(dir.resolve("b"))) {
      assertThat(index.seriesCount()).isEqualTo(40_000);
      assertThat(index.labels(12345)).isEqualTo(l("__name__", "m" + (12345 % 7), "i", "v12345"));
    }
  }

  @Test
  void shouldRejectEmptyLabels() {
    try (SeriesIndex index = SeriesIndex.open(dir)) {
      assertThatThrownBy(() -> index.getOrCreate(Labels.EMPTY)).isInstanceOf(IndexException.class);
    }
  }

  private static List<Integer> ids(SeriesIndex index, String selector) {
    return index.select(Selector.parse(selector)).stream().boxed().toList();
  }
}
