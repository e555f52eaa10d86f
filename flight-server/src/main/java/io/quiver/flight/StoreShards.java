package io.quiver.flight;

import io.quiver.columnar.SelectResult;
import io.quiver.columnar.ShardStore;
import io.quiver.columnar.WriteBatch;
import io.quiver.index.Labels;
import io.quiver.index.Selector;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Adapters from {@link ShardStore} to the Flight edge's reader types: {@link #reader(ShardStore)} for a cluster
 * backend's {@code readBarrier} (the store is read-only here), {@link #local(ShardStore)} for
 * {@link LocalFlightBackend}. The store stays owned by its opener.
 */
public final class StoreShards {
  private StoreShards() {}

  /** A reader over {@code store}; safe concurrently with the store's single writer. */
  public static ShardReader reader(ShardStore store) {
    return new StoreShard(store);
  }

  /** A readable and writable shard over {@code store}, for {@link LocalFlightBackend}. */
  public static LocalFlightBackend.LocalShard local(ShardStore store) {
    return new StoreShard(store);
  }

  private record StoreShard(ShardStore store) implements LocalFlightBackend.LocalShard {
    StoreShard {
      Objects.requireNonNull(store, "store");
    }

    @Override
    public SeriesSummary summarize(List<Selector> selectors) {
      if (selectors.size() == 1) {
        // One selector: its series are distinct already, no set needed.
        return SeriesSummary.of(store.series(selectors.get(0)));
      }
      Set<Labels> series = new LinkedHashSet<>();
      for (Selector s : selectors) {
        series.addAll(store.series(s));
      }
      return SeriesSummary.of(series);
    }

    @Override
    public SelectCursor select(Selector selector, long fromMs, long toMsExclusive, BufferAllocator allocator) {
      return new ResultCursor(store.select(selector, fromMs, toMsExclusive, allocator));
    }

    @Override
    public void write(WriteBatch batch, long logIndex) {
      store.write(batch, logIndex);
    }
  }

  /** {@link SelectResult} as a {@link SelectCursor}; owns the result. */
  private record ResultCursor(SelectResult result) implements SelectCursor {
    @Override
    public Schema schema() {
      return result.schema();
    }

    @Override
    public DictionaryProvider dictionaries() {
      return result.dictionaries();
    }

    @Override
    public VectorSchemaRoot root() {
      return result.root();
    }

    @Override
    public boolean next() {
      return result.next();
    }

    @Override
    public void close() {
      result.close();
    }
  }
}
