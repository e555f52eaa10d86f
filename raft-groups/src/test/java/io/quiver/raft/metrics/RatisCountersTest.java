package io.quiver.raft.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.ratis.metrics.LongCounter;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.Timekeeper;
import org.junit.jupiter.api.Test;

class RatisCountersTest {
  private static final MetricRegistryInfo INFO = new MetricRegistryInfo("n1@group-1", "ratis", "log_worker", "test");

  @Test
  void shouldBeTheOnlyMetricsImplementationRatisLoads() {
    assertThat(MetricRegistries.global()).isInstanceOf(RatisCounters.class);
  }

  @Test
  void shouldCountAndTimeUnderTheNamesRatisRegisters() throws Exception {
    RatisCounters registries = new RatisCounters();
    RatisMetricRegistry registry = registries.create(INFO);
    assertThat(registries.create(INFO)).isSameAs(registry);
    assertThat(registries.get(INFO)).containsSame(registry);

    LongCounter counter = registry.counter("appendEntries");
    counter.inc();
    counter.inc(4);
    counter.dec();
    assertThat(registry.counter("appendEntries").getCount()).isEqualTo(4);

    Timekeeper timer = registry.timer("flushTime");
    Timekeeper.Context context = timer.time();
    Thread.sleep(2);
    long elapsed = context.stop();
    RatisCounters.Timer t = (RatisCounters.Timer) registry.timer("flushTime");
    assertThat(elapsed).isGreaterThanOrEqualTo(2_000_000L);
    assertThat(t.count()).isEqualTo(1);
    assertThat(t.totalNanos()).isEqualTo(elapsed);

    registry.gauge("commitIndex", () -> () -> 42L);
    assertThat(((java.util.function.Supplier<?>) ((RatisCounters.Registry) registry).metric("commitIndex")).get())
        .isEqualTo(42L);

    assertThat(registries.remove(INFO)).isTrue();
    assertThat(registries.get(INFO)).isEmpty();
  }
}
