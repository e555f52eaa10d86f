package io.quiver.flight;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a shard holds of one metric among the series matching a query.
 *
 * @param seriesCount number of matching series of the metric
 * @param labelNames every label name present on those series, {@code __name__} included, sorted
 */
public record MetricSeries(long seriesCount, SortedSet<String> labelNames) {
  /** Copies the label names; validates the count. */
  public MetricSeries {
    if (seriesCount < 0) {
      throw new IllegalArgumentException("negative series count [seriesCount=" + seriesCount + "]");
    }
    labelNames = Collections.unmodifiableSortedSet(new TreeSet<>(labelNames));
  }

  /** Both summaries together. */
  public MetricSeries plus(MetricSeries other) {
    TreeSet<String> names = new TreeSet<>(labelNames);
    names.addAll(other.labelNames);
    return new MetricSeries(seriesCount + other.seriesCount, names);
  }
}
