package io.quiver.raft.metrics;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.ratis.metrics.LongCounter;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.Timekeeper;
import org.apache.ratis.util.TimeDuration;

/**
 * Ratis' metrics implementation for Quiver, registered through {@code META-INF/services}: counters and timers are
 * {@link LongAdder}s (a timer keeps its count and total nanoseconds), gauges keep their supplier, and nothing is
 * reported to JMX.
 *
 * <p>Why not {@code ratis-metrics-default}: it backs every timer with a Dropwizard histogram whose exponentially
 * decaying reservoir takes a lock, draws a random number and inserts into a skip list on each update, and Ratis times
 * every log write, flush, append and request of every group. With 17 groups per node that was 5-6 % of a node's
 * CPU when entries are small (docs/benchmarks.md). Quiver's own {@code /metrics} reads shard state from the
 * divisions, not from these registries.
 */
public final class RatisCounters extends MetricRegistries {
  private final Map<MetricRegistryInfo, Registry> registries = new ConcurrentHashMap<>();

  @Override
  public void clear() {
    registries.clear();
  }

  @Override
  public RatisMetricRegistry create(MetricRegistryInfo info) {
    return registries.computeIfAbsent(info, Registry::new);
  }

  @Override
  public boolean remove(MetricRegistryInfo key) {
    return registries.remove(key) != null;
  }

  @Override
  public Optional<RatisMetricRegistry> get(MetricRegistryInfo info) {
    return Optional.ofNullable(registries.get(info));
  }

  @Override
  public Set<MetricRegistryInfo> getMetricRegistryInfos() {
    return Collections.unmodifiableSet(registries.keySet());
  }

  @Override
  public Collection<RatisMetricRegistry> getMetricRegistries() {
    return Collections.unmodifiableCollection(registries.values());
  }

  /** Reporters are not supported: the registrations are ignored. */
  @Override
  public void addReporterRegistration(Consumer<RatisMetricRegistry> reporterRegistration,
      Consumer<RatisMetricRegistry> stopReporter) {}

  /** No JMX reporting. */
  @Override
  public void enableJmxReporter() {}

  /** No console reporting. */
  @Override
  public void enableConsoleReporter(TimeDuration consoleReportRate) {}

  /** One registry: named counters, timers and gauges. */
  static final class Registry implements RatisMetricRegistry {
    private final MetricRegistryInfo info;
    private final Map<String, Object> metrics = new ConcurrentHashMap<>();

    Registry(MetricRegistryInfo info) {
      this.info = info;
    }

    @Override
    public Timekeeper timer(String name) {
      return (Timekeeper) metrics.computeIfAbsent(name, n -> new Timer());
    }

    @Override
    public LongCounter counter(String name) {
      return (LongCounter) metrics.computeIfAbsent(name, n -> new Counter());
    }

    @Override
    public boolean remove(String name) {
      return metrics.remove(name) != null;
    }

    @Override
    public <T> void gauge(String name, Supplier<Supplier<T>> gaugeSupplier) {
      metrics.put(name, gaugeSupplier.get());
    }

    @Override
    public MetricRegistryInfo getMetricRegistryInfo() {
      return info;
    }

    /** The metric registered under {@code name} (a {@link Timer}, {@link Counter} or gauge supplier), or null. */
    Object metric(String name) {
      return metrics.get(name);
    }
  }

  /** A counter. */
  static final class Counter implements LongCounter {
    private final LongAdder count = new LongAdder();

    @Override
    public void inc(long n) {
      count.add(n);
    }

    @Override
    public void dec(long n) {
      count.add(-n);
    }

    @Override
    public long getCount() {
      return count.sum();
    }
  }

  /** A timer: how many timings stopped and their total duration. */
  static final class Timer implements Timekeeper {
    private final LongAdder count = new LongAdder();
    private final LongAdder totalNanos = new LongAdder();

    @Override
    public Context time() {
      long start = System.nanoTime();
      return () -> {
        long elapsed = System.nanoTime() - start;
        count.increment();
        totalNanos.add(elapsed);
        return elapsed;
      };
    }

    long count() {
      return count.sum();
    }

    long totalNanos() {
      return totalNanos.sum();
    }
  }
}
