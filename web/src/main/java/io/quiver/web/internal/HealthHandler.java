package io.quiver.web.internal;

import io.quiver.web.ErrorCode;
import io.quiver.web.ReadinessCheck;
import io.quiver.web.WebException;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /health} (the process serves HTTP) and {@code GET /ready} (the node can serve; else 503). */
final class HealthHandler {
  private final ReadinessCheck readiness;

  HealthHandler(ReadinessCheck readiness) {
    this.readiness = readiness;
  }

  void health(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end("{\"status\":\"ok\"}");
  }

  void ready(RoutingContext ctx) {
    Future.fromCompletionStage(readiness.notReadyReason(), ctx.vertx().getOrCreateContext())
        .onSuccess(reason -> {
          if (reason.isPresent()) {
            ctx.fail(new WebException(ErrorCode.UNAVAILABLE, "not ready: " + reason.get()));
          } else {
            ctx.response().putHeader("Content-Type", "application/json").end("{\"status\":\"ready\"}");
          }
        })
        .onFailure(ctx::fail);
  }
}
