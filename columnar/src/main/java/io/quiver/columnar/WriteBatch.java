package io.quiver.columnar;

import java.util.List;

/**
 * A batch of samples for one shard (or, before routing, for a whole ingest request): the unit that is validated,
 * replicated as one Raft log entry and applied atomically.
 *
 * @param series the series and their samples; one series may appear more than once
 */
public record WriteBatch(List<SeriesSamples> series) {
  /** Copies the list; rejects nulls. */
  public WriteBatch {
    series = List.copyOf(series);
  }

  /** Total number of samples. */
  public long sampleCount() {
    long n = 0;
    for (int i = 0; i < series.size(); i++) {
      n += series.get(i).size();
    }
    return n;
  }

  /** Whether the batch carries no samples. */
  public boolean isEmpty() {
    return sampleCount() == 0;
  }
}
