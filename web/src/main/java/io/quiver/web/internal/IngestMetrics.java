package io.quiver.web.internal;

import io.quiver.web.PrometheusTextWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the ingestion edge: requests, samples and wire bytes by protocol and outcome, plus a histogram of
 * commit latency (from proposing to every shard's answer). One instance per server; nothing static, so several
 * nodes fit in one JVM.
 */
public final class IngestMetrics {
  /** Upper bounds of the commit-latency buckets, seconds. */
  static final double[] BUCKETS_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
      30};

  private final Map<String, LongAdder[]> counters = new ConcurrentHashMap<>();
  private final LongAdder[] buckets = new LongAdder[BUCKETS_SECONDS.length + 1];
  private final LongAdder latencyCount = new LongAdder();
  private final LongAdder latencySumNanos = new LongAdder();

  IngestMetrics() {
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new LongAdder();
    }
  }

  /** Counts one finished request; {@code outcome} is {@code ok} or an error code id. */
  void record(String protocol, String outcome, long samples, long wireBytes) {
    LongAdder[] c = counters.computeIfAbsent(protocol + '\u0000' + outcome,
        k -> new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder()});
    c[0].increment();
    c[1].add(samples);
    c[2].add(wireBytes);
  }

  /** Records one commit latency. */
  void recordCommit(long nanos) {
    double seconds = nanos / 1e9;
    int i = 0;
    while (i < BUCKETS_SECONDS.length && seconds > BUCKETS_SECONDS[i]) {
      i++;
    }
    buckets[i].increment();
    latencyCount.increment();
    latencySumNanos.add(nanos);
  }

  /** Requests counted so far for {@code protocol} and {@code outcome} (tests). */
  long requests(String protocol, String outcome) {
    LongAdder[] c = counters.get(protocol + '\u0000' + outcome);
    return c == null ? 0 : c[0].sum();
  }

  /** Writes the families. */
  void writeTo(PrometheusTextWriter out, long inFlightBytes) {
    Map<String, LongAdder[]> sorted = new TreeMap<>(counters);
    String[] names = {"quiver_ingest_requests_total", "quiver_ingest_samples_total", "quiver_ingest_bytes_total"};
    String[] helps = {"Ingest requests by protocol and outcome.",
        "Samples in ingest requests by protocol and outcome (0 for requests that failed to decode).",
        "Request body bytes on the wire by protocol and outcome."};
    for (int k = 0; k < names.length; k++) {
      out.family(names[k], "counter", helps[k]);
      for (Map.Entry<String, LongAdder[]> e : sorted.entrySet()) {
        String[] parts = e.getKey().split("\u0000", 2);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("protocol", parts[0]);
        labels.put("outcome", parts[1]);
        out.sample(names[k], labels, e.getValue()[k].sum());
      }
    }
    out.family("quiver_ingest_in_flight_bytes", "gauge", "Decoded bytes of ingest requests in flight.");
    out.sample("quiver_ingest_in_flight_bytes", inFlightBytes);
    String h = "quiver_ingest_commit_seconds";
    out.family(h, "histogram", "Time from proposing an ingest request until every shard answered.");
    long cumulative = 0;
    for (int i = 0; i < buckets.length; i++) {
      cumulative += buckets[i].sum();
      String le = i < BUCKETS_SECONDS.length ? Double.toString(BUCKETS_SECONDS[i]) : "+Inf";
      out.sample(h + "_bucket", Map.of("le", le), cumulative);
    }
    out.sample(h + "_sum", latencySumNanos.sum() / 1e9);
    out.sample(h + "_count", latencyCount.sum());
  }
}
