package io.quiver.bench;

import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.WriteBatch;
import io.quiver.index.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded Prometheus-like scrape workload for the storage benchmarks. Every series is scraped every 10 s, at its
 * own phase inside the interval (as Prometheus spreads targets), with a uniform jitter of +-4 ms. About 60 % of the
 * series are counters ({@code *_total}) that grow by integer increments (Poisson-like around a per-series rate
 * between 0 and 2000 per scrape, with a reset about once per 50,000 scrapes); the rest are gauges doing a bounded
 * random walk with 0, 1 or 2 decimals (temperatures, percentages, byte counts). Each series has 10 labels:
 * {@code __name__, job, instance, region, zone, pod, container, method, status, path}.
 */
public final class StorageWorkload {
  /** Scrape interval in milliseconds. */
  public static final long INTERVAL_MS = 10_000;
  /** Start of the first scrape round (2026-01-01T00:00:00Z). */
  public static final long START_MS = 1_767_225_600_000L;

  private static final String[] COUNTERS = {"http_requests_total", "http_request_bytes_total",
    "process_cpu_seconds_total", "grpc_server_handled_total", "node_network_receive_bytes_total",
    "container_cpu_usage_seconds_total"};
  private static final String[] GAUGES = {"node_memory_used_ratio", "container_memory_working_set_mb",
    "node_temperature_celsius", "queue_depth"};
  private static final String[] JOBS = {"api", "web", "db", "cache", "queue", "auth", "billing", "search"};
  private static final String[] REGIONS = {"eu-west-1", "eu-central-1", "us-east-1", "ap-south-1"};
  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE"};
  private static final String[] STATUS = {"200", "201", "204", "301", "400", "404", "500", "503"};
  private static final String[] PATHS = {"/", "/api/v1/write", "/api/v1/query", "/api/v1/series", "/login",
    "/metrics", "/healthz", "/api/v2/orders", "/api/v2/users", "/static"};

  private final Labels[] labels;
  private final long[] phaseMs;
  private final boolean[] counter;
  private final long[] mantissa;
  private final int[] decimals;
  private final double[] rate;
  private final long[] low;
  private final long[] high;
  private final long[] step;
  private final SplittableRandom random;

  /** Builds {@code seriesCount} series from {@code seed}. */
  public StorageWorkload(int seriesCount, long seed) {
    random = new SplittableRandom(seed);
    labels = new Labels[seriesCount];
    phaseMs = new long[seriesCount];
    counter = new boolean[seriesCount];
    mantissa = new long[seriesCount];
    decimals = new int[seriesCount];
    rate = new double[seriesCount];
    low = new long[seriesCount];
    high = new long[seriesCount];
    step = new long[seriesCount];
    for (int i = 0; i < seriesCount; i++) {
      boolean isCounter = random.nextInt(10) < 6;
      counter[i] = isCounter;
      labels[i] = labelsOf(i, isCounter);
      phaseMs[i] = random.nextInt((int) INTERVAL_MS);
      if (isCounter) {
        rate[i] = Math.pow(10, random.nextDouble(-1, 3.3)); // 0.1 .. 2000 per scrape
        mantissa[i] = random.nextLong(1_000_000_000L);
      } else {
        decimals[i] = random.nextInt(3);
        long scale = (long) Math.pow(10, decimals[i]);
        low[i] = 0;
        high[i] = (10 + random.nextInt(10_000)) * scale;
        step[i] = Math.max(1, high[i] / (20 + random.nextInt(200)));
        mantissa[i] = random.nextLong(high[i] + 1);
      }
    }
  }

  private Labels labelsOf(int i, boolean isCounter) {
    String name = isCounter ? COUNTERS[i % COUNTERS.length] : GAUGES[i % GAUGES.length];
    int host = i / 40;
    return Labels.builder()
        .add("__name__", name)
        .add("job", JOBS[host % JOBS.length])
        .add("instance", "10." + (host >> 16 & 255) + "." + (host >> 8 & 255) + "." + (host & 255) + ":9100")
        .add("region", REGIONS[host % REGIONS.length])
        .add("zone", REGIONS[host % REGIONS.length] + (char) ('a' + host % 3))
        .add("pod", JOBS[host % JOBS.length] + "-" + Integer.toHexString(0x100000 + (host * 7919) % 0xEFFFFF)
            + "-" + Integer.toString(host * 31 % 46656, 36))
        .add("container", JOBS[host % JOBS.length] + (host % 2 == 0 ? "" : "-sidecar"))
        .add("method", METHODS[i % METHODS.length])
        .add("status", STATUS[(i / 4) % STATUS.length])
        .add("path", PATHS[(i / 32) % PATHS.length])
        .build();
  }

  /** Number of series. */
  public int seriesCount() {
    return labels.length;
  }

  /** Labels of series {@code i}. */
  public Labels labels(int i) {
    return labels[i];
  }

  /**
   * The samples of scrape round {@code round} for series {@code [from, to)}, one sample per series, as one write
   * batch (the shape of a remote-write request); advances the series' values.
   */
  public WriteBatch round(int round, int from, int to) {
    List<SeriesSamples> out = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      long ts = START_MS + round * INTERVAL_MS + phaseMs[i] + random.nextInt(9) - 4;
      out.add(new SeriesSamples(labels[i], new long[] {ts}, new long[] {Double.doubleToRawLongBits(next(i))}));
    }
    return new WriteBatch(out);
  }

  private double next(int i) {
    if (counter[i]) {
      if (random.nextInt(50_000) == 0) {
        mantissa[i] = 0; // process restart
      }
      double r = rate[i];
      long inc = Math.max(0, Math.round(r + random.nextGaussian() * Math.sqrt(r)));
      mantissa[i] += inc;
      return mantissa[i];
    }
    long m = mantissa[i] + Math.round(random.nextGaussian() * step[i]);
    m = Math.max(low[i], Math.min(high[i], m));
    mantissa[i] = m;
    return decimals[i] == 0 ? m : m / Math.pow(10, decimals[i]);
  }
}
