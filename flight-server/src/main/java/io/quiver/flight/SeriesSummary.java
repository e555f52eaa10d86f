package io.quiver.flight;

import io.quiver.index.Labels;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The series of one shard matching a query, summarised per metric: enough to plan endpoints (skip shards without
 * matches), to build the result schema (union of label names) and to list flights (one per metric).
 *
 * @param metrics per metric name ({@code ""} for series without {@code __name__}), sorted by name
 */
public record SeriesSummary(Map<String, MetricSeries> metrics) {
  /** No series. */
  public static final SeriesSummary EMPTY = new SeriesSummary(Map.of());

  /** Copies the map into name order. */
  public SeriesSummary {
    metrics = Collections.unmodifiableMap(new TreeMap<>(metrics));
  }

  /** Summarises a collection of distinct label sets. */
  public static SeriesSummary of(Collection<Labels> series) {
    // Hash maps while counting (one lookup per series and label), sorted once at the end.
    Map<String, long[]> counts = new HashMap<>();
    Map<String, Set<String>> names = new HashMap<>();
    String lastMetric = null;
    long[] lastCount = null;
    Set<String> lastNames = null;
    for (Labels labels : series) {
      String metric = labels.metricName() == null ? "" : labels.metricName();
      if (!metric.equals(lastMetric)) {
        lastMetric = metric;
        lastCount = counts.computeIfAbsent(metric, m -> new long[1]);
        lastNames = names.computeIfAbsent(metric, m -> new HashSet<>());
      }
      lastCount[0]++;
      for (int i = 0; i < labels.size(); i++) {
        lastNames.add(labels.name(i));
      }
    }
    Map<String, MetricSeries> out = new TreeMap<>();
    counts.forEach((metric, n) -> out.put(metric, new MetricSeries(n[0], new TreeSet<>(names.get(metric)))));
    return new SeriesSummary(out);
  }

  /** Total number of series. */
  public long seriesCount() {
    long n = 0;
    for (MetricSeries m : metrics.values()) {
      n += m.seriesCount();
    }
    return n;
  }

  /** Whether no series matched. */
  public boolean isEmpty() {
    return seriesCount() == 0;
  }

  /** Union of the label names of every metric, sorted. */
  public SortedSet<String> labelNames() {
    TreeSet<String> names = new TreeSet<>();
    for (MetricSeries m : metrics.values()) {
      names.addAll(m.labelNames());
    }
    return Collections.unmodifiableSortedSet(names);
  }

  /** Both summaries together (series of distinct shards never overlap, so counts add up). */
  public SeriesSummary plus(SeriesSummary other) {
    Map<String, MetricSeries> out = new TreeMap<>(metrics);
    other.metrics.forEach((metric, m) -> out.merge(metric, m, MetricSeries::plus));
    return new SeriesSummary(out);
  }
}
