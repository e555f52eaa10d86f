package io.quiver.web.internal;

import io.quiver.raft.RaftException;
import io.quiver.web.ErrorCode;
import io.quiver.web.IngestOutcome;
import io.quiver.web.IngestService;
import io.quiver.web.WebConfig;
import io.quiver.web.WebException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The path every ingest request takes after its handler parsed the headers: reserve in-flight bytes, decode on
 * the named worker pool, propose the whole batch through {@link IngestService} with a deadline, translate the
 * outcome, release the bytes and count. Nothing is proposed unless the whole body decoded and validated.
 */
final class IngestPipeline {
  private final WebConfig config;
  private final IngestService service;
  private final WorkerExecutor decodePool;
  private final IngestMetrics metrics;
  private final AtomicLong inFlight = new AtomicLong();

  IngestPipeline(WebConfig config, IngestService service, WorkerExecutor decodePool, IngestMetrics metrics) {
    this.config = config;
    this.service = service;
    this.decodePool = decodePool;
    this.metrics = metrics;
  }

  /** Samples accepted (committed) by one request. */
  record Accepted(long samples) {}

  long inFlightBytes() {
    return inFlight.get();
  }

  /**
   * Runs one request.
   *
   * @param protocol metrics label
   * @param wireBytes body size as received
   * @param budgetBytes bytes to reserve from the in-flight budget (decoded size when known)
   * @param decoder decodes the body; runs on the worker pool
   * @param context the request's Vert.x context; completions hop back to it
   */
  Future<Accepted> ingest(String protocol, long wireBytes, long budgetBytes, Callable<DecodeResult> decoder,
      Context context) {
    long reserved = Math.max(1, budgetBytes);
    if (!tryReserve(reserved)) {
      WebException e = new WebException(ErrorCode.OVERLOADED, "over the in-flight ingest budget, retry later"
          + " [inFlightBytes=" + inFlight.get() + ", budget=" + config.inFlightBytes() + "]");
      metrics.record(protocol, e.code().id(), 0, wireBytes);
      return Future.failedFuture(e);
    }
    long[] samples = new long[1];
    Future<Accepted> result = decodePool.executeBlocking(() -> decodeAndPropose(decoder), false).compose(started -> {
      DecodeResult decoded = started.decoded();
      if (!decoded.isOk()) {
        return Future.failedFuture(decoded.toException());
      }
      samples[0] = decoded.samples();
      if (started.write() == null) {
        return Future.succeededFuture(new Accepted(0));
      }
      Future<IngestOutcome> outcome = Future.fromCompletionStage(started.write(), context)
          .timeout(config.ingestTimeoutMs(), TimeUnit.MILLISECONDS);
      return outcome.transform(ar -> {
        metrics.recordCommit(System.nanoTime() - started.startNanos());
        return ar.succeeded() ? translate(ar.result(), decoded.samples()) : Future.failedFuture(ar.cause());
      });
    });
    return result.andThen(ar -> {
      inFlight.addAndGet(-reserved);
      String outcome = ar.succeeded() ? "ok" : ErrorMapper.map(ar.cause()).code();
      metrics.record(protocol, outcome, samples[0], wireBytes);
    });
  }

  /** A decoded request and, if it had samples, its proposal (started at {@code startNanos}). */
  private record Started(DecodeResult decoded, CompletableFuture<IngestOutcome> write, long startNanos) {}

  /**
   * Decodes, then starts the proposal on the same worker thread: routing splits the batch by shard and encodes each
   * shard's log entry body (tens of milliseconds for a 10,000-series request), which must not run on an event loop.
   */
  private Started decodeAndPropose(Callable<DecodeResult> decoder) throws Exception {
    DecodeResult decoded = decoder.call();
    if (!decoded.isOk() || decoded.batch().series().isEmpty()) {
      return new Started(decoded, null, 0);
    }
    long start = System.nanoTime();
    return new Started(decoded, service.write(decoded.batch()), start);
  }

  private boolean tryReserve(long bytes) {
    while (true) {
      long cur = inFlight.get();
      // An idle node always admits one request, however large, so a single big request cannot starve forever.
      if (cur > 0 && cur + bytes > config.inFlightBytes()) {
        return false;
      }
      if (inFlight.compareAndSet(cur, cur + bytes)) {
        return true;
      }
    }
  }

  private static Future<Accepted> translate(IngestOutcome outcome, long samples) {
    return switch (outcome.status()) {
      case COMMITTED -> Future.succeededFuture(new Accepted(samples));
      case FAILED -> Future.failedFuture(new RaftException(outcome.failure(), outcome.message()));
      case UNKNOWN -> Future.failedFuture(new WebException(ErrorCode.TIMEOUT,
          "outcome unknown, retry [reason=" + outcome.message() + "]"));
    };
  }
}
