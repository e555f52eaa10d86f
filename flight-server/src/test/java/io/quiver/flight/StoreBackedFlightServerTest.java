package io.quiver.flight;

import io.quiver.columnar.ShardStore;
import io.quiver.columnar.StoreConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@link QuiverFlightServerTest} against real columnar {@link ShardStore}s (a small head, so reads cover
 * sealed segments and the head). The stores always produce int32 dictionary indices (pass-through path).
 */
class StoreBackedFlightServerTest extends QuiverFlightServerTest {
  @TempDir Path dir;
  private final List<ShardStore> stores = new ArrayList<>();
  private BufferAllocator storeAllocator;

  @Override
  protected List<LocalFlightBackend.LocalShard> newShards(int count, int batchRows, ArrowType.Int indexType) {
    storeAllocator = rootAllocator().newChildAllocator("stores", 0, Long.MAX_VALUE);
    StoreConfig config = StoreConfig.builder().fsync(false).batchRows(batchRows).headMaxBytes(1 << 16)
        .segmentWindowMs(1_000).build();
    List<LocalFlightBackend.LocalShard> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ShardStore store = ShardStore.open(dir.resolve("shard-" + i), storeAllocator, config);
      stores.add(store);
      out.add(StoreShards.local(store));
    }
    return out;
  }

  @Override
  protected void closeShards() {
    for (int i = stores.size() - 1; i >= 0; i--) {
      stores.get(i).close();
    }
    stores.clear();
    if (storeAllocator != null) {
      storeAllocator.close();
    }
  }
}
