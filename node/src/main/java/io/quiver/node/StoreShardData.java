package io.quiver.node;

import io.quiver.columnar.ShardStore;
import io.quiver.columnar.WriteBatch;
import io.quiver.raft.shard.ShardData;
import java.util.List;

/** Adapts the columnar {@link ShardStore} to what the shard state machine drives ({@link ShardData}). */
final class StoreShardData implements ShardData {
  private final ShardStore store;

  StoreShardData(ShardStore store) {
    this.store = store;
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
    io.quiver.columnar.Checkpoint c = store.checkpoint();
    return new Checkpoint(c.index(), List.copyOf(c.files()));
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    return type.isInstance(store) ? type.cast(store) : ShardData.super.unwrap(type);
  }

  @Override
  public void close() {
    store.close();
  }
}
