package io.quiver.web.bench;

import io.quiver.columnar.SeriesSamples;
import io.quiver.index.Labels;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Remote-write load generator ({@code bin/quiver bench ingest}). Sample {@code k} of the run belongs to series
 * {@code k % series} at round {@code k / series} (timestamps {@link Options#intervalMs()} apart, ending now), so no
 * two samples collide and every one is stored. Requests carry {@link Options#batch()} consecutive samples, like a
 * Prometheus shard sending one sample per series. Payloads (protobuf + snappy block) are built before the clock
 * starts, up to {@link Options#payloadMemoryBytes()}; beyond that a builder thread keeps ahead of the senders.
 * {@link Options#concurrency()} threads send over HTTP/1.1 keep-alive; any non-2xx answer or I/O error counts as
 * an error (no retries), and its samples are not counted.
 */
public final class IngestBench {
  /**
   * Run parameters.
   *
   * @param url remote-write endpoint
   * @param series distinct series
   * @param samples total samples
   * @param batch samples per request
   * @param concurrency parallel senders
   * @param intervalMs spacing of a series' samples
   * @param payloadMemoryBytes budget for pre-built payloads
   * @param timeoutMs per-request timeout
   */
  public record Options(URI url, int series, long samples, int batch, int concurrency, long intervalMs,
      long payloadMemoryBytes, long timeoutMs) {
    /** Validates ranges. */
    public Options {
      if (series < 1 || samples < 1 || batch < 1 || concurrency < 1 || intervalMs < 1 || timeoutMs < 1) {
        throw new IllegalArgumentException("series, samples, batch, concurrency, interval and timeout must be"
            + " positive [series=" + series + ", samples=" + samples + ", batch=" + batch + ", concurrency="
            + concurrency + "]");
      }
    }
  }

  /**
   * Outcome of a run.
   *
   * @param samples samples acknowledged with 2xx
   * @param seconds wall time of the sending phase
   * @param p50Ms median request latency
   * @param p99Ms 99th percentile request latency
   * @param errors failed requests
   */
  public record Result(long samples, double seconds, double p50Ms, double p99Ms, long errors) {
    /** The one summary line docs/benchmarks.md quotes. */
    public String summaryLine() {
      long rate = seconds > 0 ? Math.round(samples / seconds) : 0;
      return String.format(Locale.ROOT, "ingest samples=%d samples_per_s=%d p50_ms=%.2f p99_ms=%.2f errors=%d",
          samples, rate, p50Ms, p99Ms, errors);
    }
  }

  private final Options options;
  private final long requests;
  private final long endTimestampMs;
  private final String[] names;

  /** A bench for {@code options}; timestamps end at {@code nowMs}. */
  public IngestBench(Options options, long nowMs) {
    this.options = options;
    this.requests = (options.samples() + options.batch() - 1) / options.batch();
    this.endTimestampMs = nowMs;
    this.names = new String[] {"quiver_bench_a", "quiver_bench_b", "quiver_bench_c", "quiver_bench_d"};
  }

  /** Number of requests the run sends. */
  public long requests() {
    return requests;
  }

  /** The snappy-compressed payload of request {@code index}. */
  public byte[] payload(long index) {
    long from = index * options.batch();
    long to = Math.min(options.samples(), from + options.batch());
    long rounds = (options.samples() + options.series() - 1) / options.series();
    Map<Integer, long[]> bySeries = new LinkedHashMap<>();
    for (long k = from; k < to; k++) {
      int s = (int) (k % options.series());
      long round = k / options.series();
      long ts = endTimestampMs - (rounds - 1 - round) * options.intervalMs();
      long[] cur = bySeries.get(s);
      bySeries.put(s, cur == null ? new long[] {ts} : append(cur, ts));
    }
    List<SeriesSamples> out = new ArrayList<>(bySeries.size());
    for (Map.Entry<Integer, long[]> e : bySeries.entrySet()) {
      int s = e.getKey();
      long[] ts = e.getValue();
      long[] values = new long[ts.length];
      for (int i = 0; i < ts.length; i++) {
        values[i] = Double.doubleToRawLongBits((double) ((ts[i] / options.intervalMs()) % 1000 + s % 7));
      }
      Labels labels = Labels.of("__name__", names[s % names.length], "job", "bench",
          "instance", "host-" + (s / 100), "series", Integer.toString(s));
      out.add(new SeriesSamples(labels, ts, values));
    }
    return RemoteWriteEncoder.snappy(RemoteWriteEncoder.encode(out));
  }

  private static long[] append(long[] a, long v) {
    long[] n = Arrays.copyOf(a, a.length + 1);
    n[a.length] = v;
    return n;
  }

  /** Builds payloads, sends them all, and reports. */
  public Result run() throws InterruptedException {
    BlockingQueue<Payload> queue = new ArrayBlockingQueue<>((int) Math.min(requests + 1, 1 << 20));
    ExecutorService builder = Executors.newSingleThreadExecutor(r -> named(r, "quiver-bench-builder"));
    Future<?> building = builder.submit(() -> build(queue));
    // Wait until the pre-build budget is used or everything is built, so building does not overlap sending.
    long budget = options.payloadMemoryBytes();
    while (!building.isDone() && prebuiltBytes.get() < budget) {
      Thread.sleep(5); // polling the builder's progress before the clock starts; not a correctness wait
    }
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    long[] latencies = new long[(int) requests];
    AtomicLong done = new AtomicLong();
    AtomicLong okSamples = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    ExecutorService senders = Executors.newFixedThreadPool(options.concurrency(),
        r -> named(r, "quiver-bench-sender"));
    long start = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < options.concurrency(); i++) {
      futures.add(senders.submit(() -> send(client, queue, latencies, done, okSamples, errors)));
    }
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("sender failed", e.getCause());
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    senders.shutdownNow();
    builder.shutdownNow();
    int n = (int) done.get();
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    return new Result(okSamples.get(), seconds, percentile(sorted, 0.50), percentile(sorted, 0.99), errors.get());
  }

  private final AtomicLong prebuiltBytes = new AtomicLong();

  /** One request ready to send. */
  private record Payload(long index, byte[] body, int samples) {}

  private void build(BlockingQueue<Payload> queue) {
    try {
      for (long i = 0; i < requests; i++) {
        byte[] body = payload(i);
        int samples = (int) (Math.min(options.samples(), (i + 1) * options.batch()) - i * options.batch());
        queue.put(new Payload(i, body, samples));
        prebuiltBytes.addAndGet(body.length);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Void send(HttpClient client, BlockingQueue<Payload> queue, long[] latencies, AtomicLong done,
      AtomicLong okSamples, AtomicLong errors) throws InterruptedException {
    while (true) {
      long slot = done.get();
      if (slot >= requests) {
        return null;
      }
      Payload p = queue.poll(100, TimeUnit.MILLISECONDS);
      if (p == null) {
        continue;
      }
      HttpRequest req = HttpRequest.newBuilder(options.url())
          .timeout(Duration.ofMillis(options.timeoutMs()))
          .header("Content-Type", "application/x-protobuf")
          .header("Content-Encoding", "snappy")
          .header("X-Prometheus-Remote-Write-Version", "0.1.0")
          .header("User-Agent", "quiver-bench/0.1")
          .POST(HttpRequest.BodyPublishers.ofByteArray(p.body()))
          .build();
      long t0 = System.nanoTime();
      boolean ok;
      try {
        HttpResponse<Void> resp = client.send(req, HttpResponse.BodyHandlers.discarding());
        ok = resp.statusCode() / 100 == 2;
      } catch (java.io.IOException e) {
        ok = false;
      }
      long elapsed = System.nanoTime() - t0;
      int idx = (int) done.getAndIncrement();
      if (idx < latencies.length) {
        latencies[idx] = elapsed;
      }
      if (ok) {
        okSamples.addAndGet(p.samples());
      } else {
        errors.incrementAndGet();
      }
    }
  }

  private static double percentile(long[] sortedNanos, double q) {
    if (sortedNanos.length == 0) {
      return 0;
    }
    int i = (int) Math.min(sortedNanos.length - 1, Math.ceil(q * sortedNanos.length) - 1);
    return sortedNanos[Math.max(0, i)] / 1e6;
  }

  private static Thread named(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
