package io.quiver.flight;

import io.quiver.index.Selector;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Read access to one local shard replica that is allowed to serve (the read barrier has passed). Implementations
 * must be safe to use concurrently with writes to the shard.
 */
public interface ShardReader {
  /** The series matching any of {@code selectors} (a union), summarised per metric. */
  SeriesSummary summarize(List<Selector> selectors);

  /**
   * Opens a streaming read of the samples of the series matching {@code selector} with {@code fromMs <= t <
   * toMsExclusive}. The caller closes the cursor; its buffers come from {@code allocator}.
   */
  SelectCursor select(Selector selector, long fromMs, long toMsExclusive, BufferAllocator allocator);
}
