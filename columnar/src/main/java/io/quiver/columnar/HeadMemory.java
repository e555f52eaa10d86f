package io.quiver.columnar;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The memory budget the heads of several stores share: a node holds one replica of many shards in one heap, so
 * a per-store cap ({@link StoreConfig#headMaxBytes()}) alone lets the heads together outgrow the heap (16 shards at
 * the 256 MiB default need 4 GiB). Every store opened with the same budget counts against it; when their heads
 * together pass {@link #limitBytes()}, the largest head seals on its next write, one at a time (see
 * {@link #sealIfOver}). Heads under {@link #MIN_SEAL_BYTES} never seal for the budget, so a node with many idle
 * shards does not write a stream of tiny segments.
 *
 * <p>Thread-safe: stores register on open and leave on close; each apply thread reads the others' head sizes
 * (volatile) when it checks.
 */
public final class HeadMemory {
  /** A head below this size never seals because of the shared budget (only because of its own cap). */
  public static final long MIN_SEAL_BYTES = 1L << 20;

  private final long limitBytes;
  private final CopyOnWriteArrayList<ShardStore> stores = new CopyOnWriteArrayList<>();
  private final AtomicBoolean sealing = new AtomicBoolean();

  /**
   * A budget of {@code limitBytes} for all heads that join it.
   *
   * @throws StoreException {@link ErrorCode#INVALID_REQUEST} if {@code limitBytes} is below {@link #MIN_SEAL_BYTES}
   */
  public HeadMemory(long limitBytes) {
    if (limitBytes < MIN_SEAL_BYTES) {
      throw new StoreException(ErrorCode.INVALID_REQUEST, "invalid heads budget [limitBytes=" + limitBytes
          + ", min=" + MIN_SEAL_BYTES + "]");
    }
    this.limitBytes = limitBytes;
  }

  /** The budget's limit. */
  public long limitBytes() {
    return limitBytes;
  }

  /** Head bytes of every store in the budget now. */
  public long totalBytes() {
    long total = 0;
    for (ShardStore s : stores) {
      total += s.headBytes();
    }
    return total;
  }

  /** Stores counted. */
  public int stores() {
    return stores.size();
  }

  void join(ShardStore store) {
    stores.addIfAbsent(store);
  }

  void leave(ShardStore store) {
    stores.remove(store);
  }

  /**
   * Seals {@code store}'s head if the budget asks for it (called by the store's writer after each write). Over the
   * limit, the largest head seals, and only one store of the budget seals at a time: a seal runs on its shard's
   * apply thread, and heads that grow together would otherwise all seal within the same second, stalling every
   * shard of the node at once (and, since replicas apply the same entries, of the cluster). Over twice the limit
   * any head that is not small seals, concurrently, so a large head that no longer receives writes cannot keep the
   * others from sealing and memory stays bounded when seals fall behind.
   */
  void sealIfOver(ShardStore store, long headBytes) {
    if (headBytes < MIN_SEAL_BYTES) {
      return;
    }
    long total = 0;
    long largest = 0;
    for (ShardStore s : stores) {
      long b = s.headBytes();
      total += b;
      largest = Math.max(largest, b);
    }
    if (total > 2 * limitBytes) {
      store.seal();
    } else if (total > limitBytes && headBytes >= largest && sealing.compareAndSet(false, true)) {
      try {
        store.seal();
      } finally {
        sealing.set(false);
      }
    }
  }
}
