package io.quiver.index.internal;

import io.quiver.index.ErrorCode;
import io.quiver.index.IndexException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable series catalog of one shard: an append-only file of checksummed batches ({@link CatalogCodec}).
 *
 * <p>{@link #commit(MemIndex)} appends one frame holding every series and symbol created since the previous commit
 * and fsyncs it, so ingestion never touches the disk for the catalog. After a crash the file ends at the last
 * completed commit, possibly followed by a torn, unacknowledged frame, which {@link #open} cuts off; the caller's
 * Raft log replay then re-creates the later series in the same order, hence with the same ids.
 *
 * <p>A damaged frame that is not the last one (bit rot, not a torn append) is reported as
 * {@link ErrorCode#CORRUPT_INDEX}: the shard must be restored from a snapshot rather than silently lose series.
 */
public final class CatalogLog implements AutoCloseable {
  /** Name of the catalog file inside the index directory. */
  public static final String FILE_NAME = "catalog.qcl";

  static final byte[] MAGIC = "QVCATLG1".getBytes(StandardCharsets.US_ASCII);
  private static final Logger LOG = LoggerFactory.getLogger(CatalogLog.class);

  private final Path file;
  private final FileChannel channel;
  private long end;
  private int committedSeries;
  private int committedSymbols;
  private boolean closed;

  private CatalogLog(Path file, FileChannel channel, long end, int series, int symbols) {
    this.file = file;
    this.channel = channel;
    this.end = end;
    this.committedSeries = series;
    this.committedSymbols = symbols;
  }

  /** Opens (creating if absent) the catalog in {@code dir} and loads it into the empty {@code mem}. */
  public static CatalogLog open(Path dir, MemIndex mem) {
    Path file = dir.resolve(FILE_NAME);
    try {
      Files.createDirectories(dir);
      if (!Files.exists(file)) {
        FileIo.writeAtomically(file, MAGIC, MAGIC.length);
      }
      byte[] data = Files.readAllBytes(file);
      CatalogCodec.checkMagic(data, MAGIC, file.toString());
      long good = load(data, file, mem);
      FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE);
      if (good < data.length) {
        LOG.warn("catalog torn tail cut [file={}, keptBytes={}, droppedBytes={}, series={}]", file, good,
            data.length - good, mem.seriesCount());
        ch.truncate(good);
        ch.force(true);
      }
      return new CatalogLog(file, ch, good, mem.seriesCount(), mem.symbolCount());
    } catch (IOException e) {
      throw new IndexException(ErrorCode.IO, "cannot open catalog [file=" + file + ", error=" + e + "]", e);
    }
  }

  /** Loads every complete frame; returns the offset after the last one. */
  private static long load(byte[] data, Path file, MemIndex mem) {
    CatalogLoader loader = new CatalogLoader(mem);
    int pos = MAGIC.length;
    int[] bounds = new int[2];
    while (true) {
      CatalogCodec.FrameStatus status = CatalogCodec.readFrame(data, pos, bounds);
      if (status == CatalogCodec.FrameStatus.END) {
        return pos;
      }
      if (status != CatalogCodec.FrameStatus.OK) {
        if (isTornTail(data, pos)) {
          return pos;
        }
        throw corrupt(file, "damaged frame before the end of the catalog [offset=" + pos + ", status=" + status
            + ", fileBytes=" + data.length + "]", null);
      }
      try {
        CatalogCodec.decodeBatch(data, bounds[0], bounds[1], mem.seriesCount(), mem.symbolCount(), loader);
      } catch (ByteSource.Malformed e) {
        throw corrupt(file, e.getMessage() + " [offset=" + pos + "]", e);
      }
      pos = bounds[1];
    }
  }

  /**
   * Whether the bad frame at {@code pos} can only be an interrupted append: its declared extent reaches the end of
   * the file, or its header is unreadable and nothing but zeros follows (space allocated, data never written).
   */
  private static boolean isTornTail(byte[] data, int pos) {
    if (data.length - pos >= 4) {
      long length = ((data[pos] & 0xFFL) << 24) | ((data[pos + 1] & 0xFFL) << 16) | ((data[pos + 2] & 0xFFL) << 8)
          | (data[pos + 3] & 0xFFL);
      if (length >= 1 && pos + CatalogCodec.FRAME_HEADER_BYTES + length >= data.length) {
        return true;
      }
    } else {
      return true;
    }
    for (int i = pos; i < data.length; i++) {
      if (data[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Appends and fsyncs everything created since the last commit. Safe to call from any thread, concurrently with
   * the writer: it encodes the series published when it starts.
   */
  public synchronized void commit(MemIndex mem) {
    if (closed) {
      throw new IllegalStateException("catalog closed [file=" + file + "]");
    }
    int series = mem.seriesCount();
    int symbols = mem.symbolCount(); // read after the series count: covers every symbol those series use
    if (series == committedSeries && symbols == committedSymbols) {
      return;
    }
    ByteSink batch = new ByteSink(64 + (series - committedSeries) * 24);
    CatalogCodec.encodeBatch(source(mem), committedSeries, series, committedSymbols, symbols, batch);
    ByteSink frame = new ByteSink(batch.size() / 3 + 64);
    CatalogCodec.appendBatchFrame(batch, frame);
    try {
      ByteBuffer buf = ByteBuffer.wrap(frame.array(), 0, frame.size());
      long at = end;
      while (buf.hasRemaining()) {
        at += channel.write(buf, at);
      }
      channel.force(false);
      end = at;
      committedSeries = series;
      committedSymbols = symbols;
    } catch (IOException e) {
      try {
        channel.truncate(end); // drop the partial frame so a later commit appends cleanly
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new IndexException(ErrorCode.IO, "catalog commit failed [file=" + file + ", error=" + e + "]", e);
    }
  }

  /** Series durable in the file. */
  public synchronized int committedSeries() {
    return committedSeries;
  }

  /** Bytes of the catalog file. */
  public synchronized long fileBytes() {
    return end;
  }

  static CatalogCodec.SeriesSource source(MemIndex mem) {
    return new CatalogCodec.SeriesSource() {
      @Override
      public int[] symbolRefs(int seriesId) {
        return mem.symbolIds(mem.labels(seriesId));
      }

      @Override
      public String symbol(int symbolId) {
        return mem.symbol(symbolId);
      }
    };
  }

  static IndexException corrupt(Path file, String what, Throwable cause) {
    return new IndexException(ErrorCode.CORRUPT_INDEX, "corrupt catalog: " + what + " [file=" + file + "]", cause);
  }

  /** Closes the file; does not commit (the facade does). Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      throw new IndexException(ErrorCode.IO, "cannot close catalog [file=" + file + "]", e);
    }
  }
}
