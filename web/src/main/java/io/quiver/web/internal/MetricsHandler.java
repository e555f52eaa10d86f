package io.quiver.web.internal;

import io.quiver.web.MetricsSource;
import io.quiver.web.PrometheusTextWriter;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /metrics}: Prometheus text format. Ingest counters and the commit-latency histogram from this
 * server, JVM memory, then every {@link MetricsSource} the node registered (per-shard gauges). Runs on the worker
 * pool because sources may take locks.
 */
final class MetricsHandler {
  private final IngestMetrics metrics;
  private final IngestPipeline pipeline;
  private final List<MetricsSource> sources;
  private final WorkerExecutor pool;

  MetricsHandler(IngestMetrics metrics, IngestPipeline pipeline, List<MetricsSource> sources, WorkerExecutor pool) {
    this.metrics = metrics;
    this.pipeline = pipeline;
    this.sources = List.copyOf(sources);
    this.pool = pool;
  }

  void scrape(RoutingContext ctx) {
    pool.executeBlocking(this::render, false)
        .onSuccess(text -> ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            .end(text))
        .onFailure(ctx::fail);
  }

  String render() {
    PrometheusTextWriter out = new PrometheusTextWriter();
    metrics.writeTo(out, pipeline.inFlightBytes());
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    out.family("jvm_memory_used_bytes", "gauge", "JVM memory in use by area.");
    out.sample("jvm_memory_used_bytes", Map.of("area", "heap"), memory.getHeapMemoryUsage().getUsed());
    out.sample("jvm_memory_used_bytes", Map.of("area", "nonheap"), memory.getNonHeapMemoryUsage().getUsed());
    out.family("jvm_memory_max_bytes", "gauge", "JVM heap limit (-1 if undefined).");
    out.sample("jvm_memory_max_bytes", Map.of("area", "heap"), memory.getHeapMemoryUsage().getMax());
    out.family("jvm_buffer_pool_used_bytes", "gauge", "JVM buffer pools (direct, mapped).");
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      out.sample("jvm_buffer_pool_used_bytes", Map.of("pool", pool.getName()), pool.getMemoryUsed());
    }
    for (MetricsSource source : sources) {
      source.writeTo(out);
    }
    return out.toString();
  }
}
