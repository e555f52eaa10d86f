package io.quiver.web;

import io.quiver.columnar.SampleScan;
import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.ShardStore;
import io.quiver.columnar.WriteBatch;
import io.quiver.index.Labels;
import io.quiver.index.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.roaringbitmap.RoaringBitmap;

/**
 * Ingest and query over one local {@link ShardStore}, without Raft: for tests and single-process use. Writes are
 * applied by one named writer thread (the store's single-writer rule) with consecutive log indexes following
 * {@link ShardStore#lastAppliedIndex()}; a write is "committed" once applied in memory (the store seals to disk by
 * its own budget). Reads run on the executor passed in and see whole batches. The caller owns and closes the store
 * and the read executor; {@link #close()} stops the writer after the writes already queued.
 */
public final class LocalShardService implements IngestService, QueryService, AutoCloseable {
  private final ShardStore store;
  private final BufferAllocator allocator;
  private final Executor readers;
  private final ExecutorService writer;
  private final AtomicLong nextIndex;

  /**
   * @param store the store (owned by the caller)
   * @param allocator parent of the per-export child allocators
   * @param readers executor for reads
   */
  public LocalShardService(ShardStore store, BufferAllocator allocator, Executor readers) {
    this.store = store;
    this.allocator = allocator;
    this.readers = readers;
    this.nextIndex = new AtomicLong(store.lastAppliedIndex() + 1);
    this.writer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "quiver-local-writer-" + store.dir().getFileName());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public CompletableFuture<IngestOutcome> write(WriteBatch batch) {
    return CompletableFuture.supplyAsync(() -> {
      store.write(batch, nextIndex.getAndIncrement());
      return IngestOutcome.committed(1);
    }, writer);
  }

  @Override
  public CompletableFuture<List<Labels>> series(List<String> selectors) {
    return CompletableFuture.supplyAsync(() -> {
      TreeSet<Labels> out = new TreeSet<>();
      for (String s : selectors) {
        out.addAll(store.series(Selector.parse(s)));
      }
      return List.copyOf(out);
    }, readers);
  }

  @Override
  public CompletableFuture<List<String>> labelNames() {
    return CompletableFuture.supplyAsync(store::labelNames, readers);
  }

  @Override
  public CompletableFuture<List<String>> labelValues(String name) {
    return CompletableFuture.supplyAsync(() -> store.labelValues(name), readers);
  }

  @Override
  public CompletableFuture<List<SeriesSamples>> export(List<String> selectors, long fromMs, long toMsExclusive,
      long maxSamples) {
    return CompletableFuture.supplyAsync(() -> exportNow(selectors, fromMs, toMsExclusive, maxSamples), readers);
  }

  private List<SeriesSamples> exportNow(List<String> selectors, long fromMs, long toMsExclusive, long maxSamples) {
    RoaringBitmap ids = new RoaringBitmap();
    for (String s : selectors) {
      ids.or(store.selectIds(Selector.parse(s)));
    }
    List<SeriesSamples> out = new ArrayList<>();
    if (ids.isEmpty()) {
      return out;
    }
    SeriesBuilder current = new SeriesBuilder();
    long total = 0;
    try (BufferAllocator child = allocator.newChildAllocator("local-export", 0, Long.MAX_VALUE);
        SampleScan scan = store.scan(ids, fromMs, toMsExclusive, child)) {
      while (scan.next()) {
        VectorSchemaRoot root = scan.root();
        int rows = root.getRowCount();
        total += rows;
        if (total > maxSamples) {
          throw new WebException(ErrorCode.QUERY_TOO_LARGE, "export would return too many samples; narrow the"
              + " selectors or the time range [max=" + maxSamples + "]");
        }
        IntVector series = (IntVector) root.getVector(0);
        TimeStampMilliTZVector ts = (TimeStampMilliTZVector) root.getVector(1);
        // Raw bits straight from the buffer: no double round trip that could touch NaN payloads.
        ArrowBuf values = root.getVector(2).getDataBuffer();
        for (int i = 0; i < rows; i++) {
          int id = series.get(i);
          if (id != current.id) {
            current.flush(out);
            current.start(id, store.labels(id));
          }
          current.add(ts.get(i), values.getLong((long) i * Long.BYTES));
        }
      }
    }
    current.flush(out);
    return out;
  }

  /** Stops the writer thread after the queued writes (waits up to 10 s). Idempotent. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Accumulates the rows of one series id. */
  private static final class SeriesBuilder {
    int id = -1;
    Labels labels;
    long[] ts = new long[64];
    long[] bits = new long[64];
    int size;

    void start(int seriesId, Labels seriesLabels) {
      id = seriesId;
      labels = seriesLabels;
      ts = new long[64];
      bits = new long[64];
      size = 0;
    }

    void add(long t, long b) {
      if (size == ts.length) {
        ts = Arrays.copyOf(ts, size * 2);
        bits = Arrays.copyOf(bits, size * 2);
      }
      ts[size] = t;
      bits[size] = b;
      size++;
    }

    void flush(List<SeriesSamples> out) {
      if (id >= 0 && size > 0) {
        out.add(new SeriesSamples(labels, Arrays.copyOf(ts, size), Arrays.copyOf(bits, size)));
      }
      id = -1;
      size = 0;
    }
  }
}
