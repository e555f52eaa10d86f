package io.quiver.web.internal;

import io.quiver.web.QueryService;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** {@code GET /api/v1/series?match[]=...}: label sets of matching series, Prometheus API envelope. */
final class SeriesHandler {
  private final QueryService query;

  SeriesHandler(QueryService query) {
    this.query = query;
  }

  void series(RoutingContext ctx) {
    List<String> selectors = QueryParams.selectors(ctx.queryParam("match[]"));
    Future.fromCompletionStage(query.series(selectors), ctx.vertx().getOrCreateContext())
        .onSuccess(series -> ctx.response().putHeader("Content-Type", "application/json")
            .end(WebCodec.success(WebCodec.labelSets(series))))
        .onFailure(ctx::fail);
  }
}
