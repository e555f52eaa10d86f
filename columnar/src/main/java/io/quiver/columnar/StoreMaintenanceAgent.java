package io.quiver.columnar;

import io.quiver.columnar.internal.ColumnarEngine;
import io.quiver.columnar.internal.Segment;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Background duty cycle of one shard store: drops segments past retention and compacts one window of small
 * segments per call. Run it from a scheduler thread (never the apply thread) or step it directly in tests.
 * Readers are never blocked: a compacted window replaces its inputs atomically and the inputs are deleted once no
 * scan and no retained checkpoint uses them.
 */
public final class StoreMaintenanceAgent {
  private final ColumnarEngine engine;
  private final LongSupplier wallClockMs;

  StoreMaintenanceAgent(ColumnarEngine engine, LongSupplier wallClockMs) {
    this.engine = engine;
    this.wallClockMs = wallClockMs;
  }

  /**
   * One step: retention, then at most one window compaction.
   *
   * @param nowNanos monotonic time of the scheduler (unused: retention and the compaction policy use the injected
   *     wall clock)
   * @return the amount of work done (segments dropped plus windows compacted); 0 means idle
   */
  public int doWork(long nowNanos) {
    long now = wallClockMs.getAsLong();
    int work = engine.applyRetention(now);
    List<Segment> plan = engine.planCompaction(now);
    if (!plan.isEmpty()) {
      work += engine.compact(plan);
    }
    return work;
  }
}
