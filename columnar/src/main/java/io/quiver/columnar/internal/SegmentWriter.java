package io.quiver.columnar.internal;

import io.quiver.columnar.StorageIo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.roaringbitmap.RoaringBitmap;

/**
 * Writes one segment file from series chunks added in ascending series order (each chunk sorted by time and free of
 * duplicate timestamps). The file is assembled in memory, then written to a temp file, fsync'd and renamed.
 */
final class SegmentWriter implements AutoCloseable {
  private final VectorSchemaRoot root;
  private final IntVector seriesIds;
  private final TimeStampMilliTZVector minTs;
  private final TimeStampMilliTZVector maxTs;
  private final IntVector counts;
  private final VarBinaryVector tsBlocks;
  private final VarBinaryVector valueBlocks;
  private final int chunksPerBlock;
  private final long windowStartMs;
  private final long seq;
  private final long fileNo;
  private final ByteArrayOutputStream ipc = new ByteArrayOutputStream(1 << 20);
  private final ArrowFileWriter writer;
  private final RoaringBitmap bitmap = new RoaringBitmap();
  private final List<int[]> blockSeries = new ArrayList<>();
  private final ByteSink tsSink = new ByteSink(1024);
  private final ByteSink valueSink = new ByteSink(1024);
  private long[] mantissas = new long[256];
  private int rows;
  private int totalRows;
  private int firstSeriesOfBlock;
  private int lastSeries = -1;
  private long segMinTs = Long.MAX_VALUE;
  private long segMaxTs = Long.MIN_VALUE;
  private long samples;

  SegmentWriter(BufferAllocator allocator, int chunksPerBlock, long windowStartMs, long seq, long fileNo) {
    this.root = VectorSchemaRoot.create(SegmentFormat.SCHEMA, allocator);
    this.seriesIds = (IntVector) root.getVector(0);
    this.minTs = (TimeStampMilliTZVector) root.getVector(1);
    this.maxTs = (TimeStampMilliTZVector) root.getVector(2);
    this.counts = (IntVector) root.getVector(3);
    this.tsBlocks = (VarBinaryVector) root.getVector(4);
    this.valueBlocks = (VarBinaryVector) root.getVector(5);
    this.chunksPerBlock = chunksPerBlock;
    this.windowStartMs = windowStartMs;
    this.seq = seq;
    this.fileNo = fileNo;
    this.writer = new ArrowFileWriter(root, null, Channels.newChannel(ipc), null, IpcOption.DEFAULT,
        ZstdArrowCodec.FACTORY, CompressionUtil.CodecType.ZSTD);
    root.allocateNew();
  }

  boolean isEmpty() {
    return totalRows == 0 && rows == 0;
  }

  long sampleCount() {
    return samples;
  }

  /** Adds the chunk {@code ts/values[off..off+n)}, n >= 1, of a series greater than every series added before. */
  void add(int seriesId, long[] ts, long[] values, int off, int n) throws IOException {
    if (seriesId <= lastSeries || n < 1) {
      throw new IllegalArgumentException("chunks out of order [series=" + seriesId + ", last=" + lastSeries + "]");
    }
    if (rows == 0) {
      if (totalRows == 0) {
        writer.start();
      }
      firstSeriesOfBlock = seriesId;
    }
    lastSeries = seriesId;
    bitmap.add(seriesId);
    tsSink.reset();
    TimestampCodec.encode(ts, off, n, tsSink);
    valueSink.reset();
    if (mantissas.length < n) {
      mantissas = new long[Math.max(n, mantissas.length * 2)];
    }
    ValueCodec.encode(values, off, n, mantissas, valueSink);
    seriesIds.setSafe(rows, seriesId);
    minTs.setSafe(rows, ts[off]);
    maxTs.setSafe(rows, ts[off + n - 1]);
    counts.setSafe(rows, n);
    tsBlocks.setSafe(rows, tsSink.array(), 0, tsSink.length());
    valueBlocks.setSafe(rows, valueSink.array(), 0, valueSink.length());
    rows++;
    samples += n;
    segMinTs = Math.min(segMinTs, ts[off]);
    segMaxTs = Math.max(segMaxTs, ts[off + n - 1]);
    if (rows == chunksPerBlock) {
      flushBlock();
    }
  }

  private void flushBlock() throws IOException {
    root.setRowCount(rows);
    writer.writeBatch();
    blockSeries.add(new int[] {firstSeriesOfBlock, lastSeries, totalRows});
    totalRows += rows;
    rows = 0;
    root.allocateNew();
  }

  /** Writes the file atomically into {@code dir} and returns its metadata; the writer must not be empty. */
  SegmentMeta finish(Path dir, StorageIo io, boolean fsync) throws IOException {
    if (rows > 0) {
      flushBlock();
    }
    writer.end();
    byte[] ipcBytes = ipc.toByteArray();
    List<ArrowBlock> blocks = writer.getRecordBlocks();
    bitmap.runOptimize();
    ByteBuffer bitmapBytes = ByteBuffer.allocate(bitmap.serializedSizeInBytes());
    bitmap.serialize(bitmapBytes);
    bitmapBytes.flip();
    ByteBuffer index = ByteBuffer.allocate(blocks.size() * SegmentFormat.BLOCK_ENTRY_BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    CRC32C blockCrc = new CRC32C();
    for (int i = 0; i < blocks.size(); i++) {
      ArrowBlock b = blocks.get(i);
      int[] s = blockSeries.get(i);
      blockCrc.reset();
      blockCrc.update(ipcBytes, (int) b.getOffset(), (int) (b.getMetadataLength() + b.getBodyLength()));
      index.putInt(s[0]).putInt(s[1]).putInt(s[2]).putLong(b.getOffset()).putInt(b.getMetadataLength())
          .putLong(b.getBodyLength()).putInt((int) blockCrc.getValue());
    }
    index.flip();
    ByteBuffer tail = ByteBuffer.allocate(SegmentFormat.TAIL_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    tail.putInt(SegmentFormat.VERSION).putLong(ipcBytes.length).putInt(bitmapBytes.remaining())
        .putInt(blocks.size()).putLong(windowStartMs).putLong(seq).putLong(segMinTs).putLong(segMaxTs)
        .putLong(samples).putInt(bitmap.getCardinality());
    CRC32C crc = new CRC32C();
    crc.update(ipcBytes);
    crc.update(bitmapBytes.duplicate());
    crc.update(index.duplicate());
    crc.update(tail.array(), 0, tail.position());
    tail.putInt((int) crc.getValue()).putLong(SegmentFormat.MAGIC);
    tail.flip();
    String name = SegmentMeta.fileNameFor(fileNo);
    List<ByteBuffer> parts = List.of(ByteBuffer.wrap(ipcBytes), bitmapBytes, index, tail);
    AtomicFiles.write(io, dir, name, parts, fsync);
    long fileBytes = (long) ipcBytes.length + bitmapBytes.remaining() + index.remaining() + tail.remaining();
    return new SegmentMeta(name, seq, windowStartMs, segMinTs, segMaxTs, samples, bitmap.getCardinality(),
        fileBytes);
  }

  @Override
  public void close() {
    try {
      writer.close();
    } catch (RuntimeException e) {
      // the channel is in memory; nothing to recover
    }
    root.close();
  }
}
