package io.quiver.node;

import io.quiver.raft.NodeAddress;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;

/**
 * The small demo data set {@code quiver local} loads: the last hour of a few scrape-like series at a 10 s
 * interval, sent through the JSON import endpoint like any client would.
 */
final class DemoData {
  static final String[] METRICS = {"demo_cpu_seconds_total", "demo_memory_bytes", "demo_http_requests_total"};
  static final int HOSTS = 8;
  static final int POINTS = 360;
  static final long STEP_MS = 10_000;

  private DemoData() {}

  /** Loads the demo series through {@code POST /api/v1/import}; prints one summary line. */
  static void load(String httpUrl, PrintStream out) throws IOException, InterruptedException {
    Random random = new Random(42);
    long end = System.currentTimeMillis() / STEP_MS * STEP_MS;
    long start = end - POINTS * STEP_MS;
    StringBuilder body = new StringBuilder();
    long samples = 0;
    for (String metric : METRICS) {
      for (int h = 0; h < HOSTS; h++) {
        body.append("{\"labels\":{\"__name__\":\"").append(metric).append("\",\"host\":\"web-").append(h)
            .append("\",\"region\":\"").append(h % 2 == 0 ? "eu" : "us").append("\"},\"samples\":[");
        double v = random.nextInt(1000);
        for (int i = 0; i < POINTS; i++) {
          v = metric.endsWith("_total") ? v + random.nextInt(100) : 1e9 + random.nextInt(1_000_000);
          if (i > 0) {
            body.append(',');
          }
          body.append('[').append(start + i * STEP_MS).append(',').append((long) v).append(']');
          samples++;
        }
        body.append("]}\n");
      }
    }
    StatusClient client = new StatusClient(httpUrl, Duration.ofSeconds(30));
    HttpResponse<String> r = client.send("POST", "/api/v1/import", body.toString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException("demo import answered HTTP " + r.statusCode() + ": " + r.body());
    }
    out.println("demo loaded samples=" + samples + " series=" + METRICS.length * HOSTS);
  }

  /** Prints a copy-paste Python snippet and Java command that read the demo data back over Flight. */
  static void printReadSnippets(NodeAddress node, PrintStream out) {
    out.println("# read it back with pyarrow (pip install pyarrow pandas):");
    out.println("#   python3 docs/examples/read_pandas.py " + node.flightUri() + " '{__name__=~\"demo_.*\"}'");
    out.println("# or with the Java Flight client:");
    out.println("#   bin/quiver bench read --flight " + node.flightUri() + " --match '{__name__=~\"demo_.*\"}' --parallel 4");
  }
}
