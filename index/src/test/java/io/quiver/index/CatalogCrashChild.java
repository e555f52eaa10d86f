package io.quiver.index;

import java.nio.file.Path;

/**
 * Child process of {@link CatalogDurabilityTest}: creates series {@link #labels(int) labels(i)} for i = 0, 1, 2, ...
 * in commits of 50, printing the committed count after each commit, until it is killed or has run for a minute.
 */
public final class CatalogCrashChild {
  private CatalogCrashChild() {}

  /** The labels of the {@code i}-th series the child creates (so series id {@code i} must carry them). */
  static Labels labels(int i) {
    return Labels.of("__name__", "m" + (i % 50), "instance", "host-" + i, "job", i % 2 == 0 ? "api" : "db");
  }

  public static void main(String[] args) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    try (SeriesIndex index = SeriesIndex.open(Path.of(args[0]))) {
      int next = index.seriesCount();
      while (System.nanoTime() < deadline) {
        for (int k = 0; k < 50; k++, next++) {
          index.getOrCreate(labels(next));
        }
        index.commit();
        System.out.println(index.committedSeriesCount());
        System.out.flush();
      }
    }
  }
}
