package io.quiver.web.internal;

import io.quiver.web.WebConfig;
import io.quiver.web.WebServices;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import java.time.Clock;

/**
 * The whole route table of the HTTP edge. Ingestion routes buffer the body with a limit
 * ({@link WebConfig#maxBodyBytes()}; more: 413) and never store uploads; everything else is small.
 */
public final class Routes {
  private final Router router;
  private final IngestMetrics metrics = new IngestMetrics();
  private final IngestPipeline pipeline;

  /** Builds the router; {@code pool} is the named worker pool for decoding and rendering. */
  public Routes(Vertx vertx, WebConfig config, WebServices services, WorkerExecutor pool, Clock clock) {
    router = Router.router(vertx);
    pipeline = new IngestPipeline(config, services.ingest(), pool, metrics);
    RemoteWriteHandler remoteWrite = new RemoteWriteHandler(config, pipeline);
    InfluxWriteHandler influx = new InfluxWriteHandler(config, pipeline, clock);
    ImportHandler jsonImport = new ImportHandler(config, pipeline);
    SeriesHandler series = new SeriesHandler(services.query());
    LabelsHandler labels = new LabelsHandler(services.query());
    ExportHandler export = new ExportHandler(config, services.query(), pool, clock);
    MetricsHandler scrape = new MetricsHandler(metrics, pipeline, services.metrics(), pool);
    HealthHandler health = new HealthHandler(services.readiness());
    AdminHandler admin = new AdminHandler(services.admin());
    FailureHandler failure = new FailureHandler(config);
    BodyHandler ingestBody = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes())
        .setPreallocateBodyBuffer(true);
    BodyHandler smallBody = BodyHandler.create(false).setBodyLimit(1024 * 1024);

    ingest("/api/v1/write", ingestBody).handler(remoteWrite::write);
    ingest("/write", ingestBody).handler(influx::writeV1);
    ingest("/api/v2/write", ingestBody).handler(influx::writeV2);
    router.get("/ping").handler(influx::ping);
    router.head("/ping").handler(influx::ping);
    router.route("/query").handler(smallBody).handler(influx::query);
    ingest("/api/v1/import", ingestBody).handler(jsonImport::importLines);

    router.get("/api/v1/series").handler(series::series);
    router.get("/api/v1/labels").handler(labels::names);
    router.get("/api/v1/label/:name/values").handler(labels::values);
    router.get("/api/v1/export").handler(export::export);

    router.get("/metrics").handler(scrape::scrape);
    router.get("/health").handler(health::health);
    router.get("/ready").handler(health::ready);

    router.get("/api/admin/status").handler(admin::status);
    router.post("/api/admin/shards/:id/move").handler(smallBody).handler(admin::moveShard);
    router.post("/api/admin/moves/:id/cancel").handler(admin::cancelMove);
    router.post("/api/admin/nodes").handler(smallBody).handler(admin::addNode);
    router.post("/api/admin/nodes/:id/decommission").handler(admin::decommission);

    router.route().failureHandler(failure::handle);
    router.errorHandler(404, failure::handle);
    router.errorHandler(405, failure::handle);
  }

  /** An ingest route: a raw body of at most the configured size, whatever Content-Type the client sent. */
  private Route ingest(String path, BodyHandler ingestBody) {
    return router.post(path).handler(NOT_A_FORM).handler(ingestBody);
  }

  /**
   * An ingest body is never a form, but {@code curl --data-binary} (the Influx 1.x documentation's own example) labels
   * every body {@code application/x-www-form-urlencoded}; BodyHandler would then decode it as form fields and Vert.x
   * fails a line longer than its form-attribute limit (a 500). Such bodies are read raw. A platform handler, because
   * Vert.x runs those before the body handler.
   */
  private static final PlatformHandler NOT_A_FORM = ctx -> {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type != null && (startsWithIgnoreCase(type, "application/x-www-form-urlencoded")
        || startsWithIgnoreCase(type, "multipart/form-data"))) {
      ctx.request().headers().set(HttpHeaders.CONTENT_TYPE, "application/octet-stream");
    }
    ctx.next();
  };

  private static boolean startsWithIgnoreCase(String s, String prefix) {
    return s.regionMatches(true, 0, prefix, 0, prefix.length());
  }

  /** The router to install as the server's request handler. */
  public Router router() {
    return router;
  }

  /** The ingest counters (exposed for tests in this module). */
  IngestMetrics metrics() {
    return metrics;
  }
}
