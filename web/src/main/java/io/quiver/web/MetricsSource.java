package io.quiver.web;

/**
 * A contributor to {@code GET /metrics}. The node registers one for per-shard gauges (role, commit index, lag,
 * segment bytes, series count); it is called on a worker thread for every scrape and must not block for long.
 */
@FunctionalInterface
public interface MetricsSource {
  /** Appends whole metric families to {@code out}. */
  void writeTo(PrometheusTextWriter out);
}
