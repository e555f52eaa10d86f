package io.quiver.web;

import io.quiver.columnar.SeriesSamples;
import io.quiver.index.Labels;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The read-back API behind {@code /api/v1/series}, {@code /labels}, {@code /label/<name>/values} and
 * {@code /export}. Implementations answer linearizably (the node: a read barrier on every shard touched).
 *
 * <p>Selectors are Prometheus series selectors as strings ({@code cpu{host=~"web-.*"}}); an implementation parses
 * them and fails with {@code IndexException(INVALID_SELECTOR)} (mapped to 400) when one does not parse. Several
 * selectors are a union. Futures complete on any thread.
 */
public interface QueryService {
  /** Label sets of the series matching any of {@code selectors}, sorted, without duplicates. */
  CompletableFuture<List<Labels>> series(List<String> selectors);

  /** Every label name in the store, sorted. */
  CompletableFuture<List<String>> labelNames();

  /** Every value of label {@code name}, sorted. */
  CompletableFuture<List<String>> labelValues(String name);

  /**
   * The samples of the series matching any of {@code selectors} with {@code fromMs <= t < toMsExclusive}, one
   * element per series, samples in time order, values as raw bits. Fails with {@link WebException}
   * ({@link ErrorCode#QUERY_TOO_LARGE}) when more than {@code maxSamples} samples would be returned.
   */
  CompletableFuture<List<SeriesSamples>> export(List<String> selectors, long fromMs, long toMsExclusive,
      long maxSamples);
}
