package io.quiver.web.internal;

import io.quiver.web.QueryService;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@code GET /api/v1/labels} and {@code GET /api/v1/label/<name>/values}, Prometheus API envelope. */
final class LabelsHandler {
  private final QueryService query;

  LabelsHandler(QueryService query) {
    this.query = query;
  }

  void names(RoutingContext ctx) {
    render(ctx, query.labelNames());
  }

  void values(RoutingContext ctx) {
    render(ctx, query.labelValues(ctx.pathParam("name")));
  }

  private static void render(RoutingContext ctx, CompletableFuture<List<String>> values) {
    Future.fromCompletionStage(values, ctx.vertx().getOrCreateContext())
        .onSuccess(list -> ctx.response().putHeader("Content-Type", "application/json")
            .end(WebCodec.success(WebCodec.strings(list))))
        .onFailure(ctx::fail);
  }
}
