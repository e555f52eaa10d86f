package io.quiver.web.internal;

import io.quiver.web.WebConfig;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router-level failure handler: every failed request ends here, is mapped by {@link ErrorMapper} and answered
 * with {@code {"code": "...", "message": "..."}}; 503 answers carry {@code Retry-After}; remote write 2.0 answers
 * carry the written-count headers (0) even on errors, as the 2.0 spec requires. 5xx caused by bugs are logged.
 */
final class FailureHandler {
  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

  private final WebConfig config;

  FailureHandler(WebConfig config) {
    this.config = config;
  }

  void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    ErrorMapper.HttpError error = failure != null ? ErrorMapper.map(failure) : ErrorMapper.fromStatus(
        ctx.statusCode());
    if (error.status() == 500) {
      LOG.warn("request failed [method={}, path={}, code={}]", ctx.request().method(), ctx.request().path(),
          error.code(), failure);
    }
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      response.reset();
      return;
    }
    response.setStatusCode(error.status()).putHeader("Content-Type", "application/json");
    if (error.retryAfter()) {
      response.putHeader("Retry-After", Integer.toString(config.retryAfterSeconds()));
    }
    if (Boolean.TRUE.equals(ctx.get(RemoteWriteHandler.V2_KEY))) {
      response.putHeader(RemoteWriteHandler.SAMPLES_WRITTEN, "0")
          .putHeader(RemoteWriteHandler.HISTOGRAMS_WRITTEN, "0")
          .putHeader(RemoteWriteHandler.EXEMPLARS_WRITTEN, "0");
    }
    response.end(WebCodec.error(error.code(), error.message()));
  }
}
