package io.quiver.index.internal;

import io.quiver.index.IndexException;
import java.util.Arrays;
import java.util.zip.CRC32C;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Binary format of catalog batches, shared by the catalog store (one frame per commit) and catalog snapshots.
 *
 * <pre>
 * file    := magic(8) frame*
 * frame   := length:int32 crc32c(payload):int32 payload[length]          (big-endian ints)
 * payload := kind:byte body
 *   kind 1 = batch, body = batch;  kind 2 = batch, body = rawLength:varint deflate(batch)
 *   kind 3 = footer (snapshots only), body = seriesCount:varint symbolCount:varint
 * batch   := firstSeriesId:varint firstSymbolId:varint symbolCount:varint (utf8Length:varint utf8)*
 *            seriesCount:varint (labelCount:varint (nameSymbol:varint valueSymbol:varint)*)*
 * </pre>
 *
 * A batch appends symbols (strings, ids continuing from {@code firstSymbolId}) and series (ids continuing from
 * {@code firstSeriesId}), each series as symbol references in label-name order. Label strings are thus stored
 * once per shard and a series costs about one to three bytes per label before compression.
 */
final class CatalogCodec {
  static final int KIND_BATCH = 1;
  static final int KIND_BATCH_DEFLATED = 2;
  static final int KIND_FOOTER = 3;
  static final int FRAME_HEADER_BYTES = 8;
  /** A frame larger than this is rejected as corrupt rather than allocated. */
  static final int MAX_FRAME_BYTES = 1 << 30;

  private CatalogCodec() {}

  /** Source of series and symbols for encoding. */
  interface SeriesSource {
    /** Symbol ids of the names and values of series {@code seriesId}, alternating, in label order. */
    int[] symbolRefs(int seriesId);

    String symbol(int symbolId);
  }

  /** Receiver of decoded symbols and series. */
  interface Sink {
    void symbol(int id, String value) throws ByteSource.Malformed;

    void series(int id, int[] symbolRefs) throws ByteSource.Malformed;
  }

  /** The series and symbols of {@code mem} as an encoding source. */
  static SeriesSource source(MemIndex mem) {
    return new SeriesSource() {
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

  /** Encodes series {@code [fromSeries, toSeries)} and symbols {@code [fromSymbol, toSymbol)} as one batch. */
  static void encodeBatch(SeriesSource src, int fromSeries, int toSeries, int fromSymbol, int toSymbol,
      ByteSink out) {
    out.writeVarint(fromSeries);
    out.writeVarint(fromSymbol);
    out.writeVarint(toSymbol - fromSymbol);
    for (int s = fromSymbol; s < toSymbol; s++) {
      out.writeString(src.symbol(s));
    }
    out.writeVarint(toSeries - fromSeries);
    for (int id = fromSeries; id < toSeries; id++) {
      int[] refs = src.symbolRefs(id);
      out.writeVarint(refs.length / 2);
      for (int ref : refs) {
        out.writeVarint(ref);
      }
    }
  }

  /** Appends a framed, deflated batch payload to {@code file}. */
  static void appendBatchFrame(ByteSink batch, ByteSink file) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
    try {
      deflater.setInput(batch.array(), 0, batch.size());
      deflater.finish();
      ByteSink payload = new ByteSink(batch.size() / 3 + 64);
      payload.writeByte(KIND_BATCH_DEFLATED);
      payload.writeVarint(batch.size());
      byte[] chunk = new byte[64 * 1024];
      while (!deflater.finished()) {
        int n = deflater.deflate(chunk);
        payload.writeBytes(chunk, 0, n);
      }
      appendFrame(payload, file);
    } finally {
      deflater.end();
    }
  }

  /** Appends {@code payload} as a frame (length, CRC32C, bytes). */
  static void appendFrame(ByteSink payload, ByteSink file) {
    CRC32C crc = new CRC32C();
    crc.update(payload.array(), 0, payload.size());
    file.writeInt(payload.size());
    file.writeInt((int) crc.getValue());
    file.writeBytes(payload.array(), 0, payload.size());
  }

  /** Result of reading one frame. */
  enum FrameStatus { OK, END, TRUNCATED, BAD_CHECKSUM }

  /** Reads the frame at {@code pos}; on {@link FrameStatus#OK}, {@code bounds} gets payload start and end. */
  static FrameStatus readFrame(byte[] data, int pos, int[] bounds) {
    if (pos == data.length) {
      return FrameStatus.END;
    }
    if (data.length - pos < FRAME_HEADER_BYTES) {
      return FrameStatus.TRUNCATED;
    }
    int length = ((data[pos] & 0xFF) << 24) | ((data[pos + 1] & 0xFF) << 16) | ((data[pos + 2] & 0xFF) << 8)
        | (data[pos + 3] & 0xFF);
    int crc = ((data[pos + 4] & 0xFF) << 24) | ((data[pos + 5] & 0xFF) << 16) | ((data[pos + 6] & 0xFF) << 8)
        | (data[pos + 7] & 0xFF);
    if (length < 1 || length > MAX_FRAME_BYTES) {
      return FrameStatus.BAD_CHECKSUM;
    }
    if ((long) data.length - pos - FRAME_HEADER_BYTES < length) {
      return FrameStatus.TRUNCATED;
    }
    CRC32C c = new CRC32C();
    c.update(data, pos + FRAME_HEADER_BYTES, length);
    if ((int) c.getValue() != crc) {
      return FrameStatus.BAD_CHECKSUM;
    }
    bounds[0] = pos + FRAME_HEADER_BYTES;
    bounds[1] = bounds[0] + length;
    return FrameStatus.OK;
  }

  /** Kind byte of a verified payload. */
  static int kind(byte[] data, int payloadStart) {
    return data[payloadStart] & 0xFF;
  }

  /**
   * Decodes a batch payload (kind 1 or 2), checking that it continues at {@code expectedSeries} and
   * {@code expectedSymbols}; returns the new {series count, symbol count}.
   */
  static int[] decodeBatch(byte[] data, int from, int to, int expectedSeries, int expectedSymbols, Sink sink)
      throws ByteSource.Malformed {
    int kind = data[from] & 0xFF;
    ByteSource in;
    if (kind == KIND_BATCH) {
      in = new ByteSource(data, from + 1, to);
    } else if (kind == KIND_BATCH_DEFLATED) {
      ByteSource header = new ByteSource(data, from + 1, to);
      int rawLength = header.readVarint();
      if (rawLength > MAX_FRAME_BYTES) {
        throw new ByteSource.Malformed("batch too large [rawLength=" + rawLength + "]");
      }
      byte[] raw = inflate(data, header.position(), to, rawLength);
      in = new ByteSource(raw, 0, raw.length);
    } else {
      throw new ByteSource.Malformed("unexpected frame kind [kind=" + kind + "]");
    }
    int firstSeries = in.readVarint();
    int firstSymbol = in.readVarint();
    if (firstSeries != expectedSeries || firstSymbol != expectedSymbols) {
      throw new ByteSource.Malformed("batch does not continue the catalog [firstSeries=" + firstSeries
          + ", expectedSeries=" + expectedSeries + ", firstSymbol=" + firstSymbol + ", expectedSymbol="
          + expectedSymbols + "]");
    }
    int symbols = in.readVarint();
    for (int i = 0; i < symbols; i++) {
      sink.symbol(firstSymbol + i, in.readString());
    }
    int symbolLimit = firstSymbol + symbols;
    int series = in.readVarint();
    for (int i = 0; i < series; i++) {
      int pairs = in.readVarint();
      if (pairs > in.remaining()) {
        throw new ByteSource.Malformed("label count overruns batch [series=" + (firstSeries + i) + "]");
      }
      int[] refs = new int[pairs * 2];
      for (int j = 0; j < refs.length; j++) {
        refs[j] = in.readVarint();
        if (refs[j] >= symbolLimit) {
          throw new ByteSource.Malformed("unknown symbol [series=" + (firstSeries + i) + ", symbol=" + refs[j] + "]");
        }
      }
      sink.series(firstSeries + i, refs);
    }
    if (in.remaining() != 0) {
      throw new ByteSource.Malformed("trailing bytes in batch [bytes=" + in.remaining() + "]");
    }
    return new int[] {firstSeries + series, symbolLimit};
  }

  private static byte[] inflate(byte[] data, int from, int to, int rawLength) throws ByteSource.Malformed {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(data, from, to - from);
      byte[] raw = new byte[rawLength];
      int n = 0;
      while (n < rawLength && !inflater.finished()) {
        int k = inflater.inflate(raw, n, rawLength - n);
        if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        n += k;
      }
      if (n != rawLength || !inflater.finished() || inflater.getRemaining() != 0) {
        throw new ByteSource.Malformed("deflated batch has the wrong length [expected=" + rawLength + "]");
      }
      return raw;
    } catch (DataFormatException e) {
      throw new ByteSource.Malformed("deflated batch does not inflate: " + e.getMessage());
    } finally {
      inflater.end();
    }
  }

  /** Checks a file's magic; the error names {@code what} (the file). */
  static void checkMagic(byte[] data, byte[] magic, String what) {
    if (data.length < magic.length || !Arrays.equals(data, 0, magic.length, magic, 0, magic.length)) {
      throw new IndexException(io.quiver.index.ErrorCode.CORRUPT_INDEX,
          "catalog file has a bad header [file=" + what + ", bytes=" + data.length + "]");
    }
  }
}
