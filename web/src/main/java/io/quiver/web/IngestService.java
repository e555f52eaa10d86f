package io.quiver.web;

import io.quiver.columnar.WriteBatch;
import java.util.concurrent.CompletableFuture;

/**
 * Where ingestion handlers hand a fully parsed and validated request. The node implements it with the shard router
 * (split by shard, propose to each leader in parallel); {@link LocalShardService} implements it over one local store.
 *
 * <p>The returned future completes on any thread; it should complete exceptionally only for bugs (a
 * {@link WebException} or {@code RaftException} is mapped like the matching outcome). The web layer adds its own
 * deadline ({@link WebConfig#ingestTimeoutMs()}) and answers "unknown" (503) when it passes.
 */
public interface IngestService {
  /**
   * Proposes {@code batch} (never empty) and reports whether every shard committed it.
   *
   * @param batch validated samples; values are raw IEEE-754 bits
   * @return the outcome
   */
  CompletableFuture<IngestOutcome> write(WriteBatch batch);
}
