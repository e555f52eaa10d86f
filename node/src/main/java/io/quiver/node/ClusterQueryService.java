package io.quiver.node;

import io.quiver.columnar.SelectResult;
import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.ShardStore;
import io.quiver.index.Labels;
import io.quiver.index.Selector;
import io.quiver.raft.ClusterView;
import io.quiver.raft.shard.Consistency;
import io.quiver.web.QueryService;
import io.quiver.web.WebException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The HTTP read-back API over the cluster: every shard is read linearizably from this node's replica, and results
 * are merged. Scans run on the given executor, never on an event loop.
 *
 * <p>Limitation: a shard this node holds no replica of fails the request with {@code GROUP_NOT_FOUND} (503); with
 * RF equal to the node count every node holds every shard. Bulk reads go through Arrow Flight, whose endpoints
 * name the replicas to read from.
 */
final class ClusterQueryService implements QueryService {
  private final LocalShards shards;
  private final Supplier<CompletableFuture<ClusterView>> view;
  private final BufferAllocator allocator;
  private final Executor executor;

  ClusterQueryService(LocalShards shards, Supplier<CompletableFuture<ClusterView>> view, BufferAllocator allocator,
      Executor executor) {
    this.shards = shards;
    this.view = view;
    this.allocator = allocator;
    this.executor = executor;
  }

  @Override
  public CompletableFuture<List<Labels>> series(List<String> selectors) {
    List<Selector> parsed = parse(selectors);
    return perShard(store -> {
      TreeSet<Labels> out = new TreeSet<>();
      for (Selector s : parsed) {
        out.addAll(store.series(s));
      }
      return out;
    }).thenApply(parts -> new ArrayList<>(merge(parts)));
  }

  @Override
  public CompletableFuture<List<String>> labelNames() {
    return perShard(ShardStore::labelNames).thenApply(parts -> new ArrayList<>(merge(parts)));
  }

  @Override
  public CompletableFuture<List<String>> labelValues(String name) {
    return perShard(store -> store.labelValues(name)).thenApply(parts -> new ArrayList<>(merge(parts)));
  }

  @Override
  public CompletableFuture<List<SeriesSamples>> export(List<String> selectors, long fromMs, long toMsExclusive,
      long maxSamples) {
    List<Selector> parsed = parse(selectors);
    return perShard(store -> {
      List<SeriesSamples> out = new ArrayList<>();
      for (Selector s : parsed) {
        try (SelectResult r = store.select(s, fromMs, toMsExclusive, allocator)) {
          readAll(r, out, maxSamples);
        }
      }
      return out;
    }).thenApply(parts -> {
      // One series lives in exactly one shard; several selectors may select it twice, keep the first.
      TreeSet<Labels> seen = new TreeSet<>();
      List<SeriesSamples> all = new ArrayList<>();
      long total = 0;
      for (List<SeriesSamples> part : parts) {
        for (SeriesSamples s : part) {
          if (seen.add(s.labels())) {
            total += s.size();
            if (total > maxSamples) {
              throw tooLarge(maxSamples);
            }
            all.add(s);
          }
        }
      }
      return all;
    });
  }

  private static WebException tooLarge(long maxSamples) {
    return new WebException(io.quiver.web.ErrorCode.QUERY_TOO_LARGE, "export exceeds the sample limit [limit="
        + maxSamples + "]; narrow the selector or the time range, or read over Arrow Flight");
  }

  private static List<Selector> parse(List<String> selectors) {
    List<Selector> parsed = new ArrayList<>();
    for (String s : selectors) {
      parsed.add(Selector.parse(s));
    }
    return parsed;
  }

  private <T> CompletableFuture<List<T>> perShard(Function<ShardStore, T> work) {
    return view.get().thenCompose(v -> {
      List<CompletableFuture<T>> futures = new ArrayList<>();
      for (int shard = 0; shard < v.shardCount(); shard++) {
        futures.add(shards.read(shard, Consistency.LINEARIZABLE, 0)
            .thenApplyAsync(work, executor));
      }
      return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
          .thenApply(x -> futures.stream().map(CompletableFuture::join).toList());
    });
  }

  private static <T extends Comparable<T>> TreeSet<T> merge(List<? extends Collection<T>> parts) {
    TreeSet<T> out = new TreeSet<>();
    parts.forEach(out::addAll);
    return out;
  }

  /** Turns Arrow batches (rows ordered by series then time) back into one SeriesSamples per series. */
  private static void readAll(SelectResult r, List<SeriesSamples> out, long maxSamples) {
    long total = 0;
    SeriesBuilder current = null;
    while (r.next()) {
      VectorSchemaRoot root = r.root();
      TimeStampVector ts = (TimeStampVector) root.getVector("timestamp");
      FieldVector value = root.getVector("value");
      List<Field> labelFields = root.getSchema().getFields().stream()
          .filter(f -> f.getDictionary() != null).toList();
      for (int row = 0; row < root.getRowCount(); row++) {
        Labels labels = labelsAt(root, labelFields, r, row);
        if (current == null || !current.labels.equals(labels)) {
          if (current != null) {
            out.add(current.build());
          }
          current = new SeriesBuilder(labels);
        }
        current.add(ts.get(row), value.getDataBuffer().getLong((long) row * Double.BYTES));
        if (++total > maxSamples) {
          throw tooLarge(maxSamples);
        }
      }
    }
    if (current != null) {
      out.add(current.build());
    }
  }

  private static Labels labelsAt(VectorSchemaRoot root, List<Field> labelFields, SelectResult r, int row) {
    Labels.Builder b = Labels.builder();
    for (Field f : labelFields) {
      BaseIntVector idx = (BaseIntVector) root.getVector(f.getName());
      if (((FieldVector) idx).isNull(row)) {
        continue;
      }
      Dictionary d = r.dictionaries().lookup(f.getDictionary().getId());
      VarCharVector values = (VarCharVector) d.getVector();
      b.add(f.getName(), new String(values.get((int) idx.getValueAsLong(row)), java.nio.charset.StandardCharsets.UTF_8));
    }
    return b.build();
  }

  private static final class SeriesBuilder {
    final Labels labels;
    long[] ts = new long[16];
    long[] bits = new long[16];
    int n;

    SeriesBuilder(Labels labels) {
      this.labels = labels;
    }

    void add(long t, long v) {
      if (n == ts.length) {
        ts = java.util.Arrays.copyOf(ts, n * 2);
        bits = java.util.Arrays.copyOf(bits, n * 2);
      }
      ts[n] = t;
      bits[n] = v;
      n++;
    }

    SeriesSamples build() {
      return new SeriesSamples(labels, java.util.Arrays.copyOf(ts, n), java.util.Arrays.copyOf(bits, n));
    }
  }
}
