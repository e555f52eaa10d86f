package io.quiver.web.internal;

import io.quiver.web.ErrorCode;
import io.quiver.web.WebConfig;
import io.quiver.web.WebException;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * {@code POST /write} (InfluxDB 1.x: {@code db}, {@code precision} in {@code n,u,ms,s,m,h}) and
 * {@code POST /api/v2/write} (2.x: {@code bucket}, {@code org}, {@code precision} in {@code ns,us,ms,s}); both
 * spellings are accepted on both routes. Bodies may be gzip. Answers 204 once every shard committed, 400 naming
 * line and column at the first bad line (nothing of the request is stored). Also answers {@code GET /ping} and
 * {@code /query} so InfluxDB clients that probe or create databases are satisfied.
 */
final class InfluxWriteHandler {
  private final WebConfig config;
  private final LineProtocolAdapter adapter;
  private final IngestPipeline pipeline;
  private final Clock clock;

  InfluxWriteHandler(WebConfig config, IngestPipeline pipeline, Clock clock) {
    this.config = config;
    this.adapter = new LineProtocolAdapter(config);
    this.pipeline = pipeline;
    this.clock = clock;
  }

  void writeV1(RoutingContext ctx) {
    write(ctx, ctx.request().getParam("db"));
  }

  void writeV2(RoutingContext ctx) {
    write(ctx, ctx.request().getParam("bucket"));
  }

  void ping(RoutingContext ctx) {
    ctx.response().putHeader("X-Influxdb-Version", "quiver").setStatusCode(204).end();
  }

  void query(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end("{\"results\":[{\"statement_id\":0}]}");
  }

  private void write(RoutingContext ctx, String db) {
    String rawPrecision = ctx.request().getParam("precision");
    Precision precision = Precision.parse(rawPrecision);
    if (precision == null) {
      throw new WebException(ErrorCode.BAD_REQUEST, "unknown precision; use ns, us, ms, s (1.x also n, u, m, h)"
          + " [precision=" + LabelChecks.abbreviate(rawPrecision) + "]");
    }
    String encoding = ctx.request().getHeader("Content-Encoding");
    Buffer buffer = ctx.body().buffer();
    byte[] wire = buffer == null ? new byte[0] : buffer.getBytes();
    long now = clock.millis();
    long budget = encoding == null ? wire.length : Math.min(config.maxDecodedBytes(), wire.length * 4L);
    pipeline.ingest("influx", wire.length, budget, () -> {
      ContentDecoder.Body body = ContentDecoder.decode(wire, encoding, config.maxDecodedBytes());
      return adapter.decode(body.bytes(), body.length(), precision, db, now);
    }, ctx.vertx().getOrCreateContext())
        .onSuccess(accepted -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }
}
