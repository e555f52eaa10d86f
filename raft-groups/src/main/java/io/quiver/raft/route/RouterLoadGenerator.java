package io.quiver.raft.route;

import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.WriteBatch;
import io.quiver.index.Labels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Load generator behind {@code bin/quiver bench raft}: drives a {@link ShardRouter} with remote-write-shaped batches
 * (one sample per series per batch, series drawn round-robin from a fixed pool, timestamps advancing) and measures
 * committed samples/s and per-batch commit latency (a batch counts when every shard it touched committed).
 *
 * <p>Not thread-safe; one run at a time. The caller owns the router and the cluster.
 */
public final class RouterLoadGenerator {
  private final ShardRouter router;
  private final Labels[] pool;

  /**
   * @param router the router to drive
   * @param seriesPool number of distinct series (e.g. 100,000); each batch takes the next {@code batch} of them
   */
  public RouterLoadGenerator(ShardRouter router, int seriesPool) {
    this.router = router;
    this.pool = new Labels[seriesPool];
    for (int i = 0; i < seriesPool; i++) {
      pool[i] = Labels.of("__name__", "bench_metric_" + (i % 50), "instance", "host-" + (i / 50) + ":9100",
          "job", "bench");
    }
  }

  /**
   * Options of one phase.
   *
   * @param seconds duration
   * @param batchSamples samples per routed write (= series per write)
   * @param maxInFlight concurrent routed writes
   * @param targetSamplesPerSec pacing; 0 = as fast as the in-flight limit allows
   */
  public record Phase(int seconds, int batchSamples, int maxInFlight, long targetSamplesPerSec) {}

  /**
   * Result of one phase.
   *
   * @param committedSamples samples of batches that fully committed
   * @param samplesPerSec committed samples per second over the phase
   * @param p50Ms median batch latency
   * @param p99Ms 99th percentile batch latency
   * @param batches batches sent
   * @param unknownBatches batches with an UNKNOWN shard outcome
   * @param failedBatches batches with a FAILED shard outcome (and none unknown)
   */
  public record Report(long committedSamples, double samplesPerSec, double p50Ms, double p99Ms, long batches,
      long unknownBatches, long failedBatches) {}

  private long nextSeries;
  private long nextTs = System.currentTimeMillis();

  /** Builds the next batch: {@code samples} series with one sample each. */
  public WriteBatch nextBatch(int samples) {
    List<SeriesSamples> series = new ArrayList<>(samples);
    long ts = nextTs;
    for (int i = 0; i < samples; i++) {
      int idx = (int) (nextSeries++ % pool.length);
      if (idx == 0) {
        ts = ++nextTs;
      }
      series.add(SeriesSamples.of(pool[idx], ts, (double) (nextSeries & 0xFFFF)));
    }
    return new WriteBatch(series);
  }

  /** Runs one phase and reports. */
  public Report run(Phase phase) throws InterruptedException {
    Semaphore inFlight = new Semaphore(phase.maxInFlight());
    AtomicLong committed = new AtomicLong();
    AtomicLong unknown = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long[] latenciesNanos = new long[1 << 20];
    AtomicLong latencyCount = new AtomicLong();
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(phase.seconds());
    long intervalNanos = phase.targetSamplesPerSec() <= 0 ? 0
        : (long) (1e9 * phase.batchSamples() / phase.targetSamplesPerSec());
    long nextSend = start;
    long batches = 0;
    List<CompletableFuture<?>> pending = new ArrayList<>();
    while (System.nanoTime() < end) {
      if (intervalNanos > 0) {
        long wait = nextSend - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait); // pacing of an open-loop generator, not a wait for a condition
        }
        nextSend += intervalNanos;
      }
      WriteBatch batch = nextBatch(phase.batchSamples());
      inFlight.acquire();
      batches++;
      long sentAt = System.nanoTime();
      CompletableFuture<?> f = router.write(batch).whenComplete((r, e) -> {
        inFlight.release();
        if (e != null || r.anyUnknown()) {
          unknown.incrementAndGet();
          return;
        }
        if (!r.allCommitted()) {
          failed.incrementAndGet();
          return;
        }
        long now = System.nanoTime();
        if (now <= end) {
          committed.addAndGet(batch.sampleCount());
        }
        long i = latencyCount.getAndIncrement();
        if (i < latenciesNanos.length) {
          latenciesNanos[(int) i] = now - sentAt;
        }
      });
      pending.add(f);
      if (pending.size() > 4096) {
        pending.removeIf(CompletableFuture::isDone);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).handle((x, e) -> null).join();
    int n = (int) Math.min(latencyCount.get(), latenciesNanos.length);
    long[] sorted = Arrays.copyOf(latenciesNanos, n);
    Arrays.sort(sorted);
    return new Report(committed.get(), committed.get() / seconds, percentileMs(sorted, 0.50),
        percentileMs(sorted, 0.99), batches, unknown.get(), failed.get());
  }

  /**
   * Failover time of one shard: keeps writing small batches that all land on {@code shard}, calls {@code kill}, and
   * returns the milliseconds from the kill until that shard commits a write sent after the kill.
   */
  public long measureFailoverMs(int shard, Runnable kill, long timeoutMs) throws InterruptedException {
    List<SeriesSamples> onShard = new ArrayList<>();
    for (Labels l : pool) {
      if (router.shardOf(l) == shard) {
        onShard.add(SeriesSamples.of(l, 0, 0));
        if (onShard.size() == 10) {
          break;
        }
      }
    }
    long killedAt = System.nanoTime();
    kill.run();
    long deadline = killedAt + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (System.nanoTime() < deadline) {
      long ts = ++nextTs;
      List<SeriesSamples> series = new ArrayList<>();
      for (SeriesSamples s : onShard) {
        series.add(SeriesSamples.of(s.labels(), ts, 1.0));
      }
      WriteResult r = router.writeShard(shard, new WriteBatch(series))
          .thenApply(o -> new WriteResult(List.of(o))).handle((x, e) -> x).join();
      if (r != null && r.allCommitted()) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
      }
    }
    return -1;
  }

  /**
   * The sequence behind {@code bin/quiver bench raft}.
   *
   * @param warmupSeconds full speed, not measured (JIT compilation of every JVM involved)
   * @param seconds full-speed phase, which gives the throughput
   * @param batchSamples samples per routed write
   * @param inflight routed writes in flight
   */
  public record Sequence(int warmupSeconds, int seconds, int batchSamples, int inflight) {}

  /**
   * Figures of one {@link Sequence}.
   *
   * @param full the full-speed phase
   * @param half the phase paced at half the full-speed rate (its latency percentiles are the reported ones)
   * @param failoverMs from the kill until shard 0 committed a write sent after it; -1 if it never did
   * @param entries Raft entries the router proposed during the full-speed phase
   * @param cpuSeconds CPU the measured processes used during the full-speed phase
   */
  public record Figures(Report full, Report half, long failoverMs, long entries, double cpuSeconds) {
    /** CPU microseconds per committed sample at full speed: the figure that does not depend on machine load. */
    public double cpuMicrosPerSample() {
      return cpuSeconds * 1e6 / Math.max(1, full.committedSamples());
    }

    /** Committed samples per Raft entry at full speed. */
    public double samplesPerEntry() {
      return full.committedSamples() / (double) Math.max(1, entries);
    }

    /** The final line {@code bin/quiver bench raft} prints. */
    public String line() {
      return RouterLoadGenerator.line(full.samplesPerSec(), half.p50Ms(), half.p99Ms(), failoverMs);
    }
  }

  /**
   * Runs warm-up, the full-speed phase, the half-speed paced phase, then the failover measurement, reporting progress
   * lines to {@code progress}.
   *
   * @param killShard0Leader finds shard 0's leader now and returns the action that kills it (the failover clock
   *     starts when that action runs, not while the leader is looked up)
   * @param cpu CPU used so far by everything the benchmark drives (sampled around the full-speed phase)
   */
  public Figures runSequence(Sequence seq, Supplier<Runnable> killShard0Leader, Supplier<Duration> cpu,
      Consumer<String> progress) throws InterruptedException {
    run(new Phase(seq.warmupSeconds(), seq.batchSamples(), seq.inflight(), 0));
    long entriesBefore = router.stats().entries();
    Duration cpuBefore = cpu.get();
    Report full = run(new Phase(seq.seconds(), seq.batchSamples(), seq.inflight(), 0));
    long entries = router.stats().entries() - entriesBefore;
    double cpuSeconds = cpu.get().minus(cpuBefore).toNanos() / 1e9;
    progress.accept(String.format(Locale.ROOT, "full speed %s entries=%d samples_per_entry=%.0f cpu_s=%.1f "
        + "cpu_us_per_sample=%.1f", full, entries, full.committedSamples() / (double) Math.max(1, entries), cpuSeconds,
        cpuSeconds * 1e6 / Math.max(1, full.committedSamples())));
    Report half = run(new Phase(Math.max(5, seq.seconds() / 2), seq.batchSamples(), seq.inflight(),
        Math.max(1, (long) (full.samplesPerSec() / 2))));
    progress.accept("half speed " + half);
    long failover = measureFailoverMs(0, killShard0Leader.get(), 30_000);
    return new Figures(full, half, failover, entries, cpuSeconds);
  }

  private static double percentileMs(long[] sortedNanos, double q) {
    if (sortedNanos.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.min(sortedNanos.length - 1, Math.ceil(q * sortedNanos.length) - 1);
    return sortedNanos[Math.max(0, i)] / 1e6;
  }

  /** The final line {@code bin/quiver bench raft} prints. */
  public static String line(double samplesPerSec, double p50Ms, double p99Ms, long failoverMs) {
    return String.format(Locale.ROOT, "raft commit_samples_per_s=%d p50_ms=%.1f p99_ms=%.1f failover_ms=%d",
        Math.round(samplesPerSec), p50Ms, p99Ms, failoverMs);
  }
}
