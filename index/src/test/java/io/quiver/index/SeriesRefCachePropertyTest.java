package io.quiver.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * The series-reference cache in {@link Labels} never changes ids: the same label instances are fed, interleaved
 * and in different orders, to several indexes (one of them reopened mid-way, which must not trust references
 * cached by its previous incarnation), mixed with equal copies, and every answer is checked against a plain map
 * that assigns dense ids in first-insert order.
 */
class SeriesRefCachePropertyTest {
  private Path root;
  private int tryNumber;

  @BeforeProperty
  void createRoot() throws Exception {
    root = Files.createTempDirectory("series-ref");
  }

  @AfterProperty
  void deleteRoot() throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Property(tries = 40)
  void shouldAssignTheSameIdsAsAReferenceMap(@ForAll long seed) {
    RandomLabels gen = new RandomLabels(seed);
    Random random = gen.random();
    List<Labels> pool = new ArrayList<>();
    for (int i = 0; i < 1 + random.nextInt(200); i++) {
      pool.add(gen.labels());
    }
    Path dirA = root.resolve("a-" + tryNumber);
    Path dirB = root.resolve("b-" + tryNumber++);
    List<Map<Labels, Integer>> expected = List.of(new HashMap<>(), new HashMap<>());
    SeriesIndex[] indexes = {SeriesIndex.open(dirA), SeriesIndex.open(dirB)};
    try {
      for (int step = 0; step < 2000; step++) {
        int which = random.nextInt(2);
        Labels pick = pool.get(random.nextInt(pool.size()));
        Labels labels = random.nextInt(5) == 0 ? Labels.fromMap(pick.toMap()) : pick; // an equal copy
        Map<Labels, Integer> ref = expected.get(which);
        if (random.nextInt(3) == 0) {
          assertThat(indexes[which].lookup(labels)).as("lookup step %d seed %d", step, seed)
              .isEqualTo(ref.getOrDefault(labels, -1));
        }
        int want = ref.computeIfAbsent(labels, l -> ref.size());
        assertThat(indexes[which].getOrCreate(labels)).as("step %d seed %d", step, seed).isEqualTo(want);
        assertThat(indexes[1 - which].lookup(labels)).isEqualTo(expected.get(1 - which).getOrDefault(labels, -1));
        if (step == 1000) {
          indexes[0].close(); // commits; the reopened index has the same ids under a new token
          indexes[0] = SeriesIndex.open(dirA);
        }
      }
    } finally {
      indexes[0].close();
      indexes[1].close();
    }
  }

  @Property(tries = 20)
  void shouldNotTrustReferencesAfterAnUncommittedCrash(@ForAll long seed) {
    RandomLabels gen = new RandomLabels(seed);
    Path dir = root.resolve("crash-" + tryNumber++);
    List<Labels> first = new ArrayList<>();
    SeriesIndex index = SeriesIndex.open(dir);
    for (int i = 0; i < 50; i++) {
      Labels l = gen.labels();
      index.getOrCreate(l);
      first.add(l);
    }
    index.commit();
    int committed = index.seriesCount();
    // The disk as a crash right now would leave it, reopened below while the first instance keeps running.
    Path crashed = root.resolve("crashed-" + tryNumber);
    copyDirectory(dir, crashed);
    List<Labels> later = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Labels l = gen.labels();
      index.getOrCreate(l); // cached in l, never committed
      later.add(l);
    }
    try (index; SeriesIndex reopened = SeriesIndex.open(crashed)) {
      assertThat(reopened.seriesCount()).isEqualTo(committed);
      Map<Labels, Integer> ref = new HashMap<>();
      for (int id = 0; id < committed; id++) {
        ref.put(reopened.labels(id), id);
      }
      for (Labels l : later) {
        int want = ref.computeIfAbsent(l, x -> ref.size());
        assertThat(reopened.getOrCreate(l)).as("seed %d", seed).isEqualTo(want);
      }
      for (Labels l : first) {
        assertThat(reopened.getOrCreate(l)).isEqualTo(ref.get(l));
      }
    }
  }

  private static void copyDirectory(Path from, Path to) {
    try {
      Files.createDirectories(to);
      try (Stream<Path> files = Files.list(from)) {
        for (Path f : files.toList()) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
