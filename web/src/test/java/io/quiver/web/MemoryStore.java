package io.quiver.web;

import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.WriteBatch;
import io.quiver.index.Labels;
import io.quiver.index.Matcher;
import io.quiver.index.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A reference in-memory store for HTTP tests: (series, timestamp) stored once, last write wins; selectors evaluated
 * with the index module's parser and matchers. {@link #outcome} lets a test replace the commit result.
 */
public final class MemoryStore implements IngestService, QueryService {
  private final Map<Labels, TreeMap<Long, Long>> data = new TreeMap<>();
  private volatile Function<WriteBatch, CompletableFuture<IngestOutcome>> outcome;
  private int writes;

  /** Replaces the outcome of subsequent writes (nothing is stored unless the function calls {@link #apply}). */
  public void outcome(Function<WriteBatch, CompletableFuture<IngestOutcome>> f) {
    this.outcome = f;
  }

  /** Number of write calls that reached the store. */
  public synchronized int writes() {
    return writes;
  }

  /** Total samples stored. */
  public synchronized long sampleCount() {
    return data.values().stream().mapToLong(Map::size).sum();
  }

  /** Stores a batch. */
  public synchronized void apply(WriteBatch batch) {
    writes++;
    for (SeriesSamples s : batch.series()) {
      TreeMap<Long, Long> m = data.computeIfAbsent(s.labels(), k -> new TreeMap<>());
      for (int i = 0; i < s.size(); i++) {
        m.put(s.timestampsMs()[i], s.valueBits()[i]);
      }
    }
  }

  @Override
  public CompletableFuture<IngestOutcome> write(WriteBatch batch) {
    Function<WriteBatch, CompletableFuture<IngestOutcome>> f = outcome;
    if (f != null) {
      return f.apply(batch);
    }
    apply(batch);
    return CompletableFuture.completedFuture(IngestOutcome.committed(1));
  }

  private static boolean matches(Labels labels, List<Selector> selectors) {
    for (Selector sel : selectors) {
      boolean all = true;
      for (Matcher m : sel.matchers()) {
        String v = labels.get(m.name());
        all &= m.matches(v == null ? "" : v);
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  private static List<Selector> parse(List<String> selectors) {
    return selectors.stream().map(Selector::parse).toList();
  }

  @Override
  public synchronized CompletableFuture<List<Labels>> series(List<String> selectors) {
    try {
      List<Selector> sel = parse(selectors);
      return CompletableFuture.completedFuture(data.keySet().stream().filter(l -> matches(l, sel)).toList());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public synchronized CompletableFuture<List<String>> labelNames() {
    TreeSet<String> names = new TreeSet<>();
    data.keySet().forEach(l -> l.toMap().keySet().forEach(names::add));
    return CompletableFuture.completedFuture(List.copyOf(names));
  }

  @Override
  public synchronized CompletableFuture<List<String>> labelValues(String name) {
    TreeSet<String> values = new TreeSet<>();
    data.keySet().forEach(l -> {
      if (l.get(name) != null) {
        values.add(l.get(name));
      }
    });
    return CompletableFuture.completedFuture(List.copyOf(values));
  }

  @Override
  public synchronized CompletableFuture<List<SeriesSamples>> export(List<String> selectors, long fromMs,
      long toMsExclusive, long maxSamples) {
    try {
      List<Selector> sel = parse(selectors);
      List<SeriesSamples> out = new ArrayList<>();
      long total = 0;
      for (Map.Entry<Labels, TreeMap<Long, Long>> e : data.entrySet()) {
        if (!matches(e.getKey(), sel)) {
          continue;
        }
        var range = e.getValue().subMap(fromMs, true, toMsExclusive, false);
        if (range.isEmpty()) {
          continue;
        }
        total += range.size();
        if (total > maxSamples) {
          throw new WebException(ErrorCode.QUERY_TOO_LARGE, "too many samples [max=" + maxSamples + "]");
        }
        long[] ts = range.keySet().stream().mapToLong(Long::longValue).toArray();
        long[] vs = range.values().stream().mapToLong(Long::longValue).toArray();
        out.add(new SeriesSamples(e.getKey(), ts, vs));
      }
      return CompletableFuture.completedFuture(out);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
