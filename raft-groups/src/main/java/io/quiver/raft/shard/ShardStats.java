package io.quiver.raft.shard;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one shard replica (exported by /metrics); all monotonic. */
public final class ShardStats {
  final AtomicLong appliedEntries = new AtomicLong();
  final AtomicLong appliedSamples = new AtomicLong();
  final AtomicLong replaySkipped = new AtomicLong();
  final AtomicLong rejected = new AtomicLong();
  final AtomicLong applyFailures = new AtomicLong();
  final AtomicLong snapshots = new AtomicLong();
  final AtomicLong linearizableBarriers = new AtomicLong();
  final AtomicLong barrierEntries = new AtomicLong();
  final AtomicLong barrierNudges = new AtomicLong();
  final AtomicLong staleReadsLocal = new AtomicLong();
  final AtomicLong readFailures = new AtomicLong();
  final AtomicLong readRetries = new AtomicLong();

  /** Write entries applied into the store. */
  public long appliedEntries() {
    return appliedEntries.get();
  }

  /** Samples applied into the store. */
  public long appliedSamples() {
    return appliedSamples.get();
  }

  /** Entries skipped on replay because the store already held them. */
  public long replaySkipped() {
    return replaySkipped.get();
  }

  /** Entries rejected (malformed, oversize, stale epoch). */
  public long rejected() {
    return rejected.get();
  }

  /** Apply failures (storage faults or bugs). */
  public long applyFailures() {
    return applyFailures.get();
  }

  /** Snapshots taken. */
  public long snapshots() {
    return snapshots.get();
  }

  /** Completed linearizable read barriers (reads that waited for a barrier entry). */
  public long linearizableBarriers() {
    return linearizableBarriers.get();
  }

  /** Read-barrier entries applied on this replica (one serves every read that shared it). */
  public long barrierEntries() {
    return barrierEntries.get();
  }

  /** Extra barrier entries a follower proposed so the leader pushes it the commit index of its read barrier. */
  public long barrierNudges() {
    return barrierNudges.get();
  }

  /** Bounded-staleness reads served without a new barrier. */
  public long staleReadsLocal() {
    return staleReadsLocal.get();
  }

  /** Barrier proposals retried because the group had no usable leader at the time. */
  public long readRetries() {
    return readRetries.get();
  }

  /** Failed read barriers. */
  public long readFailures() {
    return readFailures.get();
  }
}
