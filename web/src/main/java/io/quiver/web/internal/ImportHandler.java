package io.quiver.web.internal;

import io.quiver.web.WebConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/v1/import}: JSON lines (see {@link JsonImportAdapter}), optionally gzip. Answers 204 once every
 * shard committed; 400 naming the line for bad input, with nothing stored.
 */
final class ImportHandler {
  private final WebConfig config;
  private final JsonImportAdapter adapter;
  private final IngestPipeline pipeline;

  ImportHandler(WebConfig config, IngestPipeline pipeline) {
    this.config = config;
    this.adapter = new JsonImportAdapter(config);
    this.pipeline = pipeline;
  }

  void importLines(RoutingContext ctx) {
    String encoding = ctx.request().getHeader("Content-Encoding");
    Buffer buffer = ctx.body().buffer();
    byte[] wire = buffer == null ? new byte[0] : buffer.getBytes();
    long budget = encoding == null ? wire.length : Math.min(config.maxDecodedBytes(), wire.length * 4L);
    pipeline.ingest("import", wire.length, budget, () -> {
      ContentDecoder.Body body = ContentDecoder.decode(wire, encoding, config.maxDecodedBytes());
      return adapter.decode(body.bytes(), body.length());
    }, ctx.vertx().getOrCreateContext())
        .onSuccess(accepted -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }
}
