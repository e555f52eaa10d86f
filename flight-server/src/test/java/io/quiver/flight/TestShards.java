package io.quiver.flight;

import java.util.ArrayList;
import java.util.List;

/** Shard factories for tests outside this package. */
public final class TestShards {
  private TestShards() {}

  /** {@code count} in-memory shards producing batches of up to {@code batchRows} rows. */
  public static List<LocalFlightBackend.LocalShard> memory(int count, int batchRows) {
    List<LocalFlightBackend.LocalShard> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new MemoryShard(batchRows));
    }
    return out;
  }
}
