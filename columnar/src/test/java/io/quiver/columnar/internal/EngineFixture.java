package io.quiver.columnar.internal;

import io.quiver.columnar.SampleSchema;
import io.quiver.columnar.StorageIo;
import io.quiver.columnar.StoreConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.roaringbitmap.RoaringBitmap;

/** Helpers to drive a {@link ColumnarEngine} directly in tests. */
final class EngineFixture {
  private EngineFixture() {}

  static ColumnarEngine open(Path dir, BufferAllocator allocator, StoreConfig config, StorageIo io) {
    return ColumnarEngine.open(dir, RecoveryPlan.of(dir), allocator, config, io);
  }

  static void write(ColumnarEngine e, int series, long[] ts, long[] bits, long logIndex) {
    e.batchLock().writeLock().lock();
    try {
      e.append(series, ts, bits);
      e.applied(logIndex);
    } finally {
      e.batchLock().writeLock().unlock();
    }
  }

  /** Runs a scan to the end and returns rows (series, ts, bits). */
  static List<long[]> scan(ColumnarEngine e, RoaringBitmap series, long from, long to, BufferAllocator allocator,
      int batchRows) {
    List<long[]> out = new ArrayList<>();
    try (TimeStampMilliTZVector ts = new TimeStampMilliTZVector(SampleSchema.TIMESTAMP_FIELD, allocator);
        Float8Vector vs = new Float8Vector(SampleSchema.VALUE_FIELD, allocator);
        IntVector ids = new IntVector(SampleSchema.SERIES_ID_FIELD, allocator);
        ColumnarEngine.Scan scan = e.scan(series, from, to, allocator)) {
      SampleBatchBuilder b = new SampleBatchBuilder(ts, vs, ids);
      while (true) {
        b.reset(batchRows);
        if (!scan.fill(b, batchRows)) {
          break;
        }
        b.finish();
        for (int i = 0; i < b.rowCount(); i++) {
          out.add(new long[] {ids.get(i), ts.get(i), vs.getDataBuffer().getLong(8L * i)});
        }
      }
    }
    return out;
  }
}
