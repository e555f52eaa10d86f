package io.quiver.bench;

import io.quiver.index.Labels;
import io.quiver.index.SeriesIndex;
import java.nio.file.Path;

/**
 * The label shape of the index benchmarks: {@code n} series with 10 labels each, shaped like a Kubernetes
 * scrape. 100 metric names (so one name holds {@code n/100} series), 1,000 instances {@code web-0 .. web-999},
 * 10 paths, 5 jobs, 4 regions, 12 zones, 3 clusters, 6 status codes, and a unique {@code pod} per series (the
 * high-cardinality label: {@code pod-} followed by 8 hex digits of a mixed counter).
 */
final class IndexBenchData {
  static final String[] JOBS = {"api", "web", "db", "cache", "queue"};
  static final String[] REGIONS = {"eu-west", "eu-central", "us-east", "ap-south"};
  static final String[] CODES = {"200", "201", "301", "404", "500", "503"};

  private IndexBenchData() {}

  static String metric(int m) {
    return m == 0 ? "http_requests_total" : "metric_" + m + "_total";
  }

  static Labels series(int i) {
    int j = i / 100;
    return Labels.builder()
        .add("__name__", metric(i % 100))
        .add("instance", "web-" + (j % 1000))
        .add("path", "/api/v" + (j / 1000 % 10))
        .add("job", JOBS[j % JOBS.length])
        .add("region", REGIONS[j % REGIONS.length])
        .add("zone", "zone-" + (j % 12))
        .add("cluster", "c" + (j % 3))
        .add("code", CODES[i % CODES.length])
        .add("env", "prod")
        .add("pod", String.format("pod-%08x", mix(i)))
        .build();
  }

  /** A bijective 32-bit mix so pod names look random but are unique. */
  static int mix(int x) {
    x ^= x >>> 16;
    x *= 0x7feb352d;
    x ^= x >>> 15;
    x *= 0x846ca68b;
    x ^= x >>> 16;
    return x;
  }

  static SeriesIndex build(Path dir, int seriesCount) {
    SeriesIndex index = SeriesIndex.open(dir);
    for (int i = 0; i < seriesCount; i++) {
      index.getOrCreate(series(i));
    }
    return index;
  }
}
