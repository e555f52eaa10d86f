package io.quiver.raft.route;

import java.util.List;

/**
 * Per-shard outcomes of one routed write, ordered by shard.
 *
 * @param outcomes one entry per shard that received samples
 */
public record WriteResult(List<ShardOutcome> outcomes) {
  /** Copies the list. */
  public WriteResult {
    outcomes = List.copyOf(outcomes);
  }

  /** Whether every shard committed (an empty write trivially did). */
  public boolean allCommitted() {
    return outcomes.stream().allMatch(ShardOutcome::committed);
  }

  /** Whether any shard's outcome is unknown (the caller must not report "failed" for the request). */
  public boolean anyUnknown() {
    return outcomes.stream().anyMatch(o -> o.status() == ShardOutcome.Status.UNKNOWN);
  }

  /** Committed samples. */
  public long committedSamples() {
    return outcomes.stream().filter(ShardOutcome::committed).mapToLong(ShardOutcome::samples).sum();
  }
}
