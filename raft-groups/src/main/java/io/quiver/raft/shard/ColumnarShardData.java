package io.quiver.raft.shard;

import io.quiver.columnar.ShardStore;
import io.quiver.columnar.StoreConfig;
import io.quiver.columnar.WriteBatch;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The production {@link ShardData}: the columnar {@link ShardStore} of one shard replica. Flight/HTTP readers get the
 * store with {@code readBarrier(...).thenApply(d -> d.unwrap(ShardStore.class))}.
 */
public final class ColumnarShardData implements ShardData {
  private final ShardStore store;
  private final Consumer<ShardStore> closer;

  ColumnarShardData(ShardStore store, Consumer<ShardStore> closer) {
    this.store = store;
    this.closer = closer;
  }

  /**
   * Opens shard stores under the group's state-machine directory with a child of {@code allocator}, sharing one
   * heads budget, without background maintenance ({@link ColumnarStores#withoutMaintenance}; a node uses
   * {@link ColumnarStores#withMaintenance}).
   *
   * @param allocator the node's root (or a per-shard parent) allocator; the store takes a child
   * @param config store settings shared by the node's shards
   */
  public static Opener opener(BufferAllocator allocator, StoreConfig config) {
    return ColumnarStores.withoutMaintenance(allocator, config);
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
    closer.accept(store);
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
