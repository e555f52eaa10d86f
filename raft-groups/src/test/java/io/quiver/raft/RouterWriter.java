package io.quiver.raft;

import io.quiver.columnar.WriteBatch;
import io.quiver.raft.route.ShardRouter;
import io.quiver.raft.route.WriteResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A background writer for router tests: writes {@code batch(id)} for ids {@code firstId, firstId + 1, ...} through a
 * {@link ShardRouter}, one at a time, and records each write's result (an empty result when the write threw or took
 * longer than a minute). The router does its own retries; this class never retries.
 */
public final class RouterWriter implements AutoCloseable {
  private final Map<Long, WriteResult> results = new ConcurrentHashMap<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicLong nextId;
  private final Thread thread;

  /** Starts writing at once. */
  public RouterWriter(ShardRouter router, long firstId, LongFunction<WriteBatch> batch) {
    this.nextId = new AtomicLong(firstId);
    this.thread = new Thread(() -> {
      while (!stop.get()) {
        long id = nextId.getAndIncrement();
        try {
          results.put(id, router.write(batch.apply(id)).get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
          results.put(id, new WriteResult(List.of()));
        }
      }
    }, "router-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /** Results so far, by id (live view). */
  public Map<Long, WriteResult> results() {
    return results;
  }

  /** The id the next write will use. */
  public long nextId() {
    return nextId.get();
  }

  /** Stops after the write in progress and waits for it (bounded by the write's own minute plus slack). */
  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    thread.join(TimeUnit.SECONDS.toMillis(70));
  }
}
