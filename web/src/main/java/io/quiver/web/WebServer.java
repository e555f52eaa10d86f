package io.quiver.web;

import io.quiver.web.internal.Routes;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Facade of the web module: one HTTP server (ingestion, read-back, metrics, health, admin) on one port.
 *
 * <pre>{@code
 * WebServer web = WebServer.create(vertx, WebConfig.defaults(), WebServices.of(ingest, query));
 * int port = web.start(8480).join();   // 0 picks a free port
 * ...
 * web.close();
 * }</pre>
 *
 * <p>Request decompression by Vert.x stays off (it would decode {@code Content-Encoding: snappy} as the framed
 * format); gzip is undone by the handlers. Decoding and rendering run on a named worker pool
 * ({@code quiver-web-decode}), never on the event loop. Closing tolerates repeated calls.
 */
public final class WebServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final WebConfig config;
  private final WebServices services;
  private final Clock clock;
  private WorkerExecutor pool;
  private HttpServer server;
  private volatile int port = -1;
  private boolean closed;

  private WebServer(Vertx vertx, boolean ownsVertx, WebConfig config, WebServices services, Clock clock) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.config = config;
    this.services = services;
    this.clock = clock;
  }

  /** A server on a Vert.x instance the caller owns (and closes). */
  public static WebServer create(Vertx vertx, WebConfig config, WebServices services) {
    return new WebServer(vertx, false, config, services, Clock.systemUTC());
  }

  /** A server that creates, and on close closes, its own Vert.x instance. */
  public static WebServer create(VertxOptions options, WebConfig config, WebServices services) {
    return new WebServer(Vertx.vertx(options), true, config, services, Clock.systemUTC());
  }

  /** Like {@link #create(Vertx, WebConfig, WebServices)} with an injected clock (Influx default timestamps). */
  public static WebServer create(Vertx vertx, WebConfig config, WebServices services, Clock clock) {
    return new WebServer(vertx, false, config, services, clock);
  }

  /**
   * Binds {@link WebConfig#bindHost()}:{@code port} ({@code 0}: any free port) and completes with the bound port.
   */
  public synchronized CompletableFuture<Integer> start(int port) {
    if (server != null || closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("already started or closed"));
    }
    pool = vertx.createSharedWorkerExecutor("quiver-web-decode", config.decodeThreads());
    Routes routes = new Routes(vertx, config, services, pool, clock);
    HttpServerOptions options = new HttpServerOptions().setHost(config.bindHost()).setPort(port)
        .setDecompressionSupported(false).setCompressionSupported(false);
    server = vertx.createHttpServer(options).requestHandler(routes.router());
    return server.listen().map(s -> {
      this.port = s.actualPort();
      LOG.info("web server listening [host={}, port={}, config={}]", config.bindHost(), s.actualPort(), config);
      return s.actualPort();
    }).toCompletionStage().toCompletableFuture();
  }

  /** The bound port, or -1 before {@link #start} completed. */
  public int port() {
    return port;
  }

  /** Stops listening, releases the worker pool and, if owned, Vert.x. */
  public synchronized CompletableFuture<Void> stop() {
    if (closed) {
      return CompletableFuture.completedFuture(null);
    }
    closed = true;
    io.vertx.core.Future<Void> f = server == null ? io.vertx.core.Future.succeededFuture() : server.close();
    f = f.eventually(() -> pool == null ? io.vertx.core.Future.succeededFuture() : pool.close());
    if (ownsVertx) {
      f = f.eventually(vertx::close);
    }
    return f.toCompletionStage().toCompletableFuture();
  }

  /** {@link #stop()} and wait up to 10 s. */
  @Override
  public void close() {
    try {
      stop().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.warn("web server close failed [port={}]", port, e);
    }
  }
}
