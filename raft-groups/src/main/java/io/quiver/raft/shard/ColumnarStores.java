package io.quiver.raft.shard;

import io.quiver.columnar.HeadMemory;
import io.quiver.columnar.ShardStore;
import io.quiver.columnar.StoreConfig;
import io.quiver.columnar.StoreMaintenanceAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shard stores of one node: opens them (as {@link ShardData.Opener}) against one shared {@link HeadMemory}, and
 * runs their maintenance (retention, compaction) on one background thread. Every {@code interval} the thread steps
 * each open store's {@link StoreMaintenanceAgent} until it is idle, at most {@link #MAX_STEPS_PER_ROUND} steps (one
 * window compaction each) per store and round, so one busy store cannot starve the others.
 *
 * <p>A store is closed under its maintenance lock, after any step in progress on it has finished: a compaction must
 * not publish a manifest into a directory that a snapshot install has meanwhile reopened or a shard move deleted.
 */
public final class ColumnarStores implements ShardData.Opener, AutoCloseable {
  /** Maintenance steps per store and round. */
  public static final int MAX_STEPS_PER_ROUND = 4;
  private static final Logger LOG = LoggerFactory.getLogger(ColumnarStores.class);

  private final BufferAllocator allocator;
  private final StoreConfig config;
  private final HeadMemory heads;
  private final Map<ShardStore, Maintained> open = new ConcurrentHashMap<>();
  private final ScheduledExecutorService maintenance;
  private final AtomicLong steps = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  private ColumnarStores(BufferAllocator allocator, StoreConfig config, Duration interval) {
    this.allocator = Objects.requireNonNull(allocator, "allocator");
    this.config = Objects.requireNonNull(config, "config");
    this.heads = new HeadMemory(config.headsMaxBytes());
    if (interval == null) {
      this.maintenance = null;
    } else {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("maintenance interval must be positive [interval=" + interval + "]");
      }
      this.maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "quiver-store-maintenance");
        t.setDaemon(true);
        return t;
      });
      long ms = interval.toMillis();
      maintenance.scheduleWithFixedDelay(this::round, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Stores with maintenance every {@code interval} (the node's).
   *
   * @param allocator the node's stores allocator; each store takes a child
   * @param config settings shared by the node's shards
   */
  public static ColumnarStores withMaintenance(BufferAllocator allocator, StoreConfig config, Duration interval) {
    return new ColumnarStores(allocator, config, Objects.requireNonNull(interval, "interval"));
  }

  /** Stores without background maintenance (tests step {@link ShardStore#maintenanceAgent} themselves). */
  public static ColumnarStores withoutMaintenance(BufferAllocator allocator, StoreConfig config) {
    return new ColumnarStores(allocator, config, null);
  }

  @Override
  public ShardData open(Path dir) {
    ShardStore store = ShardStore.open(dir, allocator, config, heads);
    open.put(store, new Maintained(store.maintenanceAgent(System::currentTimeMillis)));
    return new ColumnarShardData(store, this::close);
  }

  /** The heads budget the stores share. */
  public HeadMemory heads() {
    return heads;
  }

  /** Maintenance steps that did work, since start. */
  public long maintenanceSteps() {
    return steps.get();
  }

  /** Maintenance steps that failed (logged), since start. */
  public long maintenanceFailures() {
    return failures.get();
  }

  /** One pass over the open stores (the maintenance thread; tests may call it directly). */
  void round() {
    for (Map.Entry<ShardStore, Maintained> e : open.entrySet()) {
      ShardStore store = e.getKey();
      Maintained m = e.getValue();
      synchronized (m) {
        if (m.closed) {
          continue;
        }
        try {
          for (int i = 0; i < MAX_STEPS_PER_ROUND && m.agent.doWork(System.nanoTime()) > 0; i++) {
            steps.incrementAndGet();
          }
        } catch (RuntimeException ex) {
          // Log and go on: the store keeps serving; the next round retries (the agent leaves no partial state).
          failures.incrementAndGet();
          LOG.warn("store maintenance failed [dir={}]", store.dir(), ex);
        }
      }
    }
  }

  /** Closes {@code store} once no maintenance step runs on it. */
  private void close(ShardStore store) {
    Maintained m = open.remove(store);
    if (m == null) {
      store.close();
      return;
    }
    synchronized (m) {
      m.closed = true;
      store.close();
    }
  }

  /**
   * Stops maintenance: a round in progress finishes its current steps (30 s at most, then it is interrupted);
   * stores stay open until their replicas close them.
   */
  @Override
  public void close() throws InterruptedException {
    if (maintenance != null) {
      maintenance.shutdown();
      if (!maintenance.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("store maintenance did not finish within 30 s; interrupting it");
        maintenance.shutdownNow();
      }
    }
  }

  /** A store's agent and the lock its steps and its close take. */
  private static final class Maintained {
    final StoreMaintenanceAgent agent;
    boolean closed;

    Maintained(StoreMaintenanceAgent agent) {
      this.agent = agent;
    }
  }
}
