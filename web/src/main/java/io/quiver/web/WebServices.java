package io.quiver.web;

import java.util.List;
import java.util.Objects;

/**
 * The services a {@link WebServer} serves. {@code admin} may be {@code null} (admin routes answer 501).
 *
 * @param ingest where decoded ingest requests go
 * @param query the read-back API
 * @param admin the cluster admin API, or {@code null}
 * @param readiness answers {@code /ready}
 * @param metrics extra {@code /metrics} families (per-shard gauges from the node)
 */
public record WebServices(IngestService ingest, QueryService query, AdminService admin, ReadinessCheck readiness,
    List<MetricsSource> metrics) {

  /** Validates required services and copies the list. */
  public WebServices {
    Objects.requireNonNull(ingest, "ingest");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(readiness, "readiness");
    metrics = List.copyOf(metrics);
  }

  /** Ingest and query only; always ready; no admin API; no extra metrics. */
  public static WebServices of(IngestService ingest, QueryService query) {
    return new WebServices(ingest, query, null, ReadinessCheck.ALWAYS, List.of());
  }

  /** A copy with an admin service. */
  public WebServices withAdmin(AdminService service) {
    return new WebServices(ingest, query, service, readiness, metrics);
  }

  /** A copy with a readiness check. */
  public WebServices withReadiness(ReadinessCheck check) {
    return new WebServices(ingest, query, admin, check, metrics);
  }

  /** A copy with extra metrics sources. */
  public WebServices withMetrics(List<MetricsSource> sources) {
    return new WebServices(ingest, query, admin, readiness, sources);
  }
}
