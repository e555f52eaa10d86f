package io.quiver.columnar.internal;

import io.quiver.columnar.ErrorCode;
import io.quiver.columnar.StorageIo;
import io.quiver.columnar.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.roaringbitmap.RoaringBitmap;

/**
 * An open, verified, immutable segment file. {@link #open} checks the whole-file CRC32C, the tail and the block
 * index; {@link #loadBlock} checks each record batch's own CRC32C again before decoding, so bytes that change on
 * disk after open are still caught. Reference counted: the store view holds one reference, each scan one more; the
 * channel closes when the count reaches zero.
 */
public final class Segment {
  private final Path file;
  private final SegmentMeta meta;
  private final RoaringBitmap series;
  private final int[] blockFirstSeries;
  private final int[] blockLastSeries;
  private final int[] blockFirstRow;
  private final long[] blockOffset;
  private final int[] blockMetaLength;
  private final long[] blockBodyLength;
  private final int[] blockCrc;
  private final FileChannel channel;
  private final AtomicInteger refs = new AtomicInteger(1);

  private Segment(Path file, SegmentMeta meta, RoaringBitmap series, ByteBuffer index, int blocks,
      FileChannel channel) {
    this.file = file;
    this.meta = meta;
    this.series = series;
    this.channel = channel;
    blockFirstSeries = new int[blocks];
    blockLastSeries = new int[blocks];
    blockFirstRow = new int[blocks];
    blockOffset = new long[blocks];
    blockMetaLength = new int[blocks];
    blockBodyLength = new long[blocks];
    blockCrc = new int[blocks];
    for (int i = 0; i < blocks; i++) {
      blockFirstSeries[i] = index.getInt();
      blockLastSeries[i] = index.getInt();
      blockFirstRow[i] = index.getInt();
      blockOffset[i] = index.getLong();
      blockMetaLength[i] = index.getInt();
      blockBodyLength[i] = index.getLong();
      blockCrc[i] = index.getInt();
    }
  }

  static StoreException corrupt(Path file, String what) {
    return new StoreException(ErrorCode.CORRUPT_SEGMENT, "corrupt segment file [file=" + file + ", problem="
        + what + "]");
  }

  /** Opens and fully verifies a segment file. */
  static Segment open(Path file, StorageIo io) {
    FileChannel ch = null;
    try {
      ch = io.openRead(file);
      Segment s = verify(file, ch);
      ch = null;
      return s;
    } catch (IOException e) {
      throw new StoreException(ErrorCode.IO, "cannot read segment file [file=" + file + "]", e);
    } finally {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // already failing
        }
      }
    }
  }

  private static Segment verify(Path file, FileChannel ch) throws IOException {
    long size = ch.size();
    if (size < SegmentFormat.TAIL_BYTES) {
      throw corrupt(file, "truncated [size=" + size + "]");
    }
    ByteBuffer tail = readFully(ch, size - SegmentFormat.TAIL_BYTES, SegmentFormat.TAIL_BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    if (tail.getLong(SegmentFormat.TAIL_BYTES - 8) != SegmentFormat.MAGIC) {
      throw corrupt(file, "bad magic (truncated or not a segment)");
    }
    int storedCrc = tail.getInt(SegmentFormat.TAIL_BYTES - SegmentFormat.CRC_FROM_END);
    CRC32C crc = new CRC32C();
    ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
    long pos = 0;
    long end = size - SegmentFormat.CRC_FROM_END;
    while (pos < end) {
      chunk.clear().limit((int) Math.min(chunk.capacity(), end - pos));
      int n = ch.read(chunk, pos);
      if (n < 0) {
        throw corrupt(file, "short read");
      }
      chunk.flip();
      crc.update(chunk);
      pos += n;
    }
    if ((int) crc.getValue() != storedCrc) {
      throw corrupt(file, "checksum mismatch");
    }
    int version = tail.getInt();
    if (version != SegmentFormat.VERSION) {
      throw corrupt(file, "unsupported version [version=" + version + "]");
    }
    long ipcLength = tail.getLong();
    int bitmapLength = tail.getInt();
    int blocks = tail.getInt();
    long windowStart = tail.getLong();
    long seq = tail.getLong();
    long minTs = tail.getLong();
    long maxTs = tail.getLong();
    long samples = tail.getLong();
    int seriesCount = tail.getInt();
    long indexBytes = (long) blocks * SegmentFormat.BLOCK_ENTRY_BYTES;
    if (ipcLength + bitmapLength + indexBytes + SegmentFormat.TAIL_BYTES != size) {
      throw corrupt(file, "inconsistent section lengths");
    }
    ByteBuffer bitmapBytes = readFully(ch, ipcLength, bitmapLength);
    RoaringBitmap bitmap = new RoaringBitmap();
    bitmap.deserialize(bitmapBytes);
    if (bitmap.getCardinality() != seriesCount) {
      throw corrupt(file, "series bitmap disagrees with tail");
    }
    ByteBuffer index = readFully(ch, ipcLength + bitmapLength, (int) indexBytes).order(ByteOrder.LITTLE_ENDIAN);
    String name = file.getFileName().toString();
    SegmentMeta meta = new SegmentMeta(name, seq, windowStart, minTs, maxTs, samples, seriesCount, size);
    return new Segment(file, meta, bitmap, index, blocks, ch);
  }

  private static ByteBuffer readFully(FileChannel ch, long position, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length);
    while (b.hasRemaining()) {
      if (ch.read(b, position + b.position()) < 0) {
        throw new IOException("unexpected end of file");
      }
    }
    b.flip();
    return b;
  }

  Path file() {
    return file;
  }

  SegmentMeta meta() {
    return meta;
  }

  RoaringBitmap series() {
    return series;
  }

  int blockCount() {
    return blockOffset.length;
  }

  int blockFirstSeries(int b) {
    return blockFirstSeries[b];
  }

  int blockLastSeries(int b) {
    return blockLastSeries[b];
  }

  /**
   * Reads, verifies (CRC32C) and decodes record batch {@code b} into {@code out}.
   *
   * @throws StoreException {@link ErrorCode#CORRUPT_SEGMENT} naming the file if the block is damaged
   */
  void readBlock(int b, DecodedBlock out) {
    int length = (int) (blockMetaLength[b] + blockBodyLength[b]);
    byte[] bytes;
    try {
      bytes = readFully(channel, blockOffset[b], length).array();
    } catch (IOException e) {
      throw new StoreException(ErrorCode.IO, "cannot read segment block [file=" + file + ", block=" + b + "]", e);
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, length);
    if ((int) crc.getValue() != blockCrc[b]) {
      throw corrupt(file, "block checksum mismatch [block=" + b + "]");
    }
    String problem;
    try {
      problem = out.decode(bytes, blockMetaLength[b], length);
    } catch (RuntimeException e) {
      problem = e.toString();
    }
    if (problem != null) {
      throw corrupt(file, problem + " [block=" + b + "]");
    }
  }

  boolean retain() {
    while (true) {
      int r = refs.get();
      if (r <= 0) {
        return false;
      }
      if (refs.compareAndSet(r, r + 1)) {
        return true;
      }
    }
  }

  void release() {
    if (refs.decrementAndGet() == 0) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // read-only channel; nothing was buffered
      }
    }
  }
}
