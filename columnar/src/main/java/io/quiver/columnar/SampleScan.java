package io.quiver.columnar;

import io.quiver.columnar.internal.ColumnarEngine;
import io.quiver.columnar.internal.SampleBatchBuilder;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A raw scan by series id: batches of {@link SampleSchema#SAMPLES} ({@code series_id, timestamp, value}) ordered
 * by series then time, deduplicated (newest write wins). {@link #root()} is reused: each {@link #next()} overwrites
 * it. Close it (try-with-resources) to free its buffers and release the segments it reads.
 */
public final class SampleScan implements AutoCloseable {
  private final ColumnarEngine.Scan scan;
  private final VectorSchemaRoot root;
  private final SampleBatchBuilder builder;
  private final int batchRows;
  private long rows;
  private boolean closed;

  SampleScan(ColumnarEngine.Scan scan, BufferAllocator allocator, int batchRows) {
    this.scan = scan;
    this.batchRows = batchRows;
    this.root = VectorSchemaRoot.create(SampleSchema.SAMPLES, allocator);
    this.builder = new SampleBatchBuilder((TimeStampMilliTZVector) root.getVector(1), (Float8Vector) root.getVector(2),
        (IntVector) root.getVector(0));
  }

  /** The batch most recently loaded by {@link #next()}. */
  public VectorSchemaRoot root() {
    return root;
  }

  /** Loads the next batch into {@link #root()}; false at the end. */
  public boolean next() {
    builder.reset(batchRows);
    boolean any = scan.fill(builder, batchRows);
    builder.finish();
    root.setRowCount(builder.rowCount());
    rows += builder.rowCount();
    return any;
  }

  /** Rows returned so far. */
  public long rowsRead() {
    return rows;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      scan.close();
    } finally {
      root.close();
    }
  }
}
