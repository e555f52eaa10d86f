package io.quiver.raft.shard;

import io.quiver.columnar.HeadMemory;
import io.quiver.columnar.ShardStore;
import io.quiver.columnar.StoreConfig;
import io.quiver.columnar.WriteBatch;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The production {@link ShardData}: the columnar {@link ShardStore} of one shard replica. Flight/HTTP readers get the
 * store with {@code readBarrier(...).thenApply(d -> d.unwrap(ShardStore.class))}.
 */
public final class ColumnarShardData implements ShardData {
  private final ShardStore store;

  private ColumnarShardData(ShardStore store) {
    this.store = store;
  }

  /**
   * Opens shard stores under the group's state-machine directory with a child of {@code allocator}. Every store
   * this opener opens shares one {@link HeadMemory} of {@link StoreConfig#headsMaxBytes()}: a node's replicas live
   * in one heap.
   *
   * @param allocator the node's root (or a per-shard parent) allocator; the store takes a child
   * @param config store settings shared by the node's shards
   */
  public static Opener opener(BufferAllocator allocator, StoreConfig config) {
    Objects.requireNonNull(allocator, "allocator");
    Objects.requireNonNull(config, "config");
    HeadMemory heads = new HeadMemory(config.headsMaxBytes());
    return dir -> new ColumnarShardData(ShardStore.open(dir, allocator, config, heads));
  }

  /** The underlying store (reads go here after a read barrier). */
  public ShardStore store() {
    return store;
  }

  @Override
  public void write(WriteBatch batch, long logIndex) {
    store.write(batch, logIndex);
  }

  @Override
  public long lastAppliedIndex() {
    return store.lastAppliedIndex();
  }

  @Override
  public long lastDurableIndex() {
    return store.lastDurableIndex();
  }

  @Override
  public Checkpoint checkpoint() {
    io.quiver.columnar.Checkpoint cp = store.checkpoint();
    return new Checkpoint(cp.index(), cp.files());
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(store)) {
      return type.cast(store);
    }
    return ShardData.super.unwrap(type);
  }

  @Override
  public void close() {
    store.close();
  }

  /** For logs. */
  @Override
  public String toString() {
    return "ColumnarShardData[" + store.dir() + "]";
  }

  static Path unused(Path p) {
    return p;
  }
}
