package io.quiver.node;

import io.quiver.columnar.WriteBatch;
import io.quiver.raft.route.ShardOutcome;
import io.quiver.raft.route.ShardRouter;
import io.quiver.raft.route.WriteResult;
import io.quiver.web.IngestOutcome;
import io.quiver.web.IngestService;
import java.util.concurrent.CompletableFuture;

/** Ingestion through the router: a request is committed only when every shard it touched committed. */
final class ClusterIngestService implements IngestService {
  private final ShardRouter router;

  ClusterIngestService(ShardRouter router) {
    this.router = router;
  }

  @Override
  public CompletableFuture<IngestOutcome> write(WriteBatch batch) {
    return router.write(batch).thenApply(ClusterIngestService::outcome);
  }

  static IngestOutcome outcome(WriteResult result) {
    if (result.allCommitted()) {
      return IngestOutcome.committed(result.outcomes().size());
    }
    // A failure with an unknown sibling is still "unknown": part of the request may have committed, so the
    // client must retry (idempotent) rather than treat it as rejected.
    for (ShardOutcome o : result.outcomes()) {
      if (o.status() == ShardOutcome.Status.FAILED && !result.anyUnknown()) {
        return IngestOutcome.failed(o.code(), "shard " + o.shard() + ": " + o.message());
      }
    }
    for (ShardOutcome o : result.outcomes()) {
      if (!o.committed()) {
        return IngestOutcome.unknown("shard " + o.shard() + ": " + o.message());
      }
    }
    return IngestOutcome.unknown("not every shard committed");
  }
}
