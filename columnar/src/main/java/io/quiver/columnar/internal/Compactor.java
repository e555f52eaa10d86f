package io.quiver.columnar.internal;

import io.quiver.columnar.SampleSchema;
import io.quiver.columnar.StorageIo;
import io.quiver.columnar.StoreConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMilliTZVector;

/**
 * Merges the segments of one window into one: the same merge a scan performs (newest seq wins per timestamp),
 * re-encoded as whole per-series chunks.
 */
final class Compactor {
  private Compactor() {}

  static SegmentMeta merge(List<Segment> inputs, BufferAllocator allocator, StoreConfig config, long windowStartMs,
      long seq, long fileNo, Path dir, StorageIo io) throws IOException {
    try (TimeStampMilliTZVector tsv = new TimeStampMilliTZVector(SampleSchema.TIMESTAMP_FIELD, allocator);
        Float8Vector vv = new Float8Vector(SampleSchema.VALUE_FIELD, allocator);
        Scanner scanner = new Scanner(inputs, null, null, Long.MIN_VALUE, Long.MAX_VALUE, allocator);
        SegmentWriter writer = new SegmentWriter(allocator, config.chunksPerBlock(), windowStartMs, seq, fileNo)) {
      SampleBatchBuilder out = new SampleBatchBuilder(tsv, vv, null);
      long[] ts = new long[1024];
      long[] vs = new long[1024];
      int current = -1;
      int n = 0;
      while (true) {
        out.reset(config.batchRows());
        if (!scanner.fill(out, config.batchRows())) {
          break;
        }
        long tsBase = out.timestampAddress(0);
        long vBase = out.valueAddress(0);
        for (int r = 0; r < out.runCount(); r++) {
          int s = out.runSeries(r);
          if (s != current) {
            if (n > 0) {
              writer.add(current, ts, vs, 0, n);
            }
            current = s;
            n = 0;
          }
          int len = out.runLength(r);
          if (ts.length < n + len) {
            ts = java.util.Arrays.copyOf(ts, Math.max(n + len, ts.length * 2));
            vs = java.util.Arrays.copyOf(vs, ts.length);
          }
          int start = out.runStart(r);
          for (int i = 0; i < len; i++) {
            ts[n + i] = MemoryUtil.getLong(tsBase + 8L * (start + i));
            vs[n + i] = MemoryUtil.getLong(vBase + 8L * (start + i));
          }
          n += len;
        }
      }
      if (n > 0) {
        writer.add(current, ts, vs, 0, n);
      }
      return writer.finish(dir, io, config.fsync());
    }
  }
}
