package io.quiver.columnar;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The memory budget the heads of several stores share: a node holds one replica of many shards in one heap, so
 * a per-store cap ({@link StoreConfig#headMaxBytes()}) alone lets the heads together outgrow the heap (16 shards at
 * the 256 MiB default need 4 GiB). Every store opened with the same budget counts against it; when their heads
 * together pass {@link #limitBytes()}, a store whose head holds at least its fair share (total / stores) seals on
 * its next write. The largest heads go first; small ones never seal for the budget, so a node with many idle shards
 * does not write a stream of tiny segments.
 *
 * <p>Thread-safe: stores register on open and leave on close; each apply thread reads the others' head sizes
 * (volatile) when it checks.
 */
public final class HeadMemory {
  /** A head below this size never seals because of the shared budget (only because of its own cap). */
  public static final long MIN_SEAL_BYTES = 1L << 20;

  private final long limitBytes;
  private final CopyOnWriteArrayList<ShardStore> stores = new CopyOnWriteArrayList<>();

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

  /** Whether a head of {@code headBytes} should seal now: the budget is exceeded and this head is not small. */
  boolean shouldSeal(long headBytes) {
    if (headBytes < MIN_SEAL_BYTES) {
      return false;
    }
    long total = 0;
    int n = 0;
    for (ShardStore s : stores) {
      total += s.headBytes();
      n++;
    }
    return total > limitBytes && headBytes * Math.max(n, 1) >= total;
  }
}
