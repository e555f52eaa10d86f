/**
 * Quiver's HTTP edge, served by every node with Vert.x: ingestion (Prometheus remote write 1.0/2.0, Influx line
 * protocol, JSON lines), a small linearizable read-back API, {@code /metrics}, health probes and the admin API.
 *
 * <p>The API is {@link io.quiver.web.WebServer} (the facade), {@link io.quiver.web.WebConfig} (limits and knobs,
 * read by {@link io.quiver.web.WebConfigKeys}) and the service interfaces the node implements:
 * {@link io.quiver.web.IngestService}, {@link io.quiver.web.QueryService}, {@link io.quiver.web.AdminService},
 * {@link io.quiver.web.ReadinessCheck} and {@link io.quiver.web.MetricsSource}. Decoders and handlers live in
 * {@code io.quiver.web.internal}. {@link io.quiver.web.LocalShardService} serves both ingest and query from one
 * local store for tests and single-process use.
 */
package io.quiver.web;
