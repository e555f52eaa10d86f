package io.quiver.node;

import io.quiver.web.bench.IngestBench;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quiver bench ingest}: a Prometheus remote-write load generator. Payloads are pre-built (snappy + protobuf)
 * before the clock starts; the last line printed is
 * {@code ingest samples=<n> samples_per_s=<n> p50_ms=<x> p99_ms=<x> errors=<n>}. The URL can point at any
 * remote-write receiver (Quiver, VictoriaMetrics, Prometheus) for side-by-side runs.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = "Push Prometheus remote write to a URL and print one final summary line.")
final class BenchIngestCommand implements Callable<Integer> {

  @Option(names = "--url", required = true,
      description = "Remote-write endpoint, e.g. http://127.0.0.1:19200/api/v1/write.")
  URI url;

  @Option(names = "--series", defaultValue = "100000", description = "Distinct series (default: ${DEFAULT-VALUE}).")
  int series;

  @Option(names = "--samples", defaultValue = "20000000", description = "Total samples (default: ${DEFAULT-VALUE}).")
  long samples;

  @Option(names = "--batch", defaultValue = "10000", description = "Samples per request (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--concurrency", defaultValue = "4",
      description = "Parallel senders (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--interval-ms", defaultValue = "10000",
      description = "Spacing of one series' samples, ms (default: ${DEFAULT-VALUE}).")
  long intervalMs;

  @Option(names = "--payload-memory-mb", defaultValue = "1024",
      description = "Memory for payloads pre-built before the clock starts, MiB (default: ${DEFAULT-VALUE}).")
  long payloadMemoryMb;

  @Option(names = "--timeout-ms", defaultValue = "60000",
      description = "Per-request timeout, ms (default: ${DEFAULT-VALUE}).")
  long timeoutMs;

  @Override
  public Integer call() throws Exception {
    IngestBench.Options options = new IngestBench.Options(url, series, samples, batch, concurrency, intervalMs,
        payloadMemoryMb << 20, timeoutMs);
    IngestBench bench = new IngestBench(options, System.currentTimeMillis());
    System.err.println("ingest: " + bench.requests() + " requests of up to " + batch + " samples to " + url);
    IngestBench.Result result = bench.run();
    System.out.println(result.summaryLine());
    return 0;
  }
}
