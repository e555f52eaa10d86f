package io.quiver.web.internal;

import io.quiver.web.QueryService;
import io.quiver.web.WebConfig;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;

/**
 * {@code GET /api/v1/export?match[]=...&start=&end=}: samples as JSON lines (VictoriaMetrics' export shape), one
 * series per line. {@code start} and {@code end} are inclusive, unix seconds or RFC 3339; both default to
 * unbounded. Rendering runs on the worker pool.
 */
final class ExportHandler {
  private final WebConfig config;
  private final QueryService query;
  private final WorkerExecutor pool;
  private final Clock clock;

  ExportHandler(WebConfig config, QueryService query, WorkerExecutor pool, Clock clock) {
    this.config = config;
    this.query = query;
    this.pool = pool;
    this.clock = clock;
  }

  void export(RoutingContext ctx) {
    List<String> selectors = QueryParams.selectors(ctx.queryParam("match[]"));
    long now = clock.millis();
    long start = QueryParams.timeMs(ctx.request().getParam("start"), "start", Long.MIN_VALUE, now);
    long end = QueryParams.timeMs(ctx.request().getParam("end"), "end", Long.MAX_VALUE - 1, now);
    long endExclusive = end == Long.MAX_VALUE ? end : end + 1;
    Future.fromCompletionStage(query.export(selectors, start, endExclusive, config.maxExportSamples()),
            ctx.vertx().getOrCreateContext())
        .compose(series -> pool.executeBlocking(() -> WebCodec.exportLines(series), false))
        .onSuccess(body -> ctx.response().putHeader("Content-Type", "application/stream+json").end(body))
        .onFailure(ctx::fail);
  }
}
