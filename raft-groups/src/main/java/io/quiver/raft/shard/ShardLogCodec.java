package io.quiver.raft.shard;

import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.WriteBatch;
import io.quiver.index.Labels;
import io.quiver.raft.ErrorCode;
import io.quiver.raft.RaftException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Compact, versioned binary encoding of shard log entries ({@link ShardEntry}) and of the small messages the shard
 * state machine exchanges with routers (apply replies, read probes).
 *
 * <p>Layout of version 1 (all varints are unsigned LEB128, "zz" is zig-zag + LEB128, fixed ints little-endian):
 * <pre>
 *   magic 0x51 | version 1 | type (1 = write, 2 = epoch fence, 3 = coalesced writes, 4 = read barrier,
 *                                  32 = reply)
 *   write: epoch varint | body
 *   coalesced writes: epoch varint | bodyCount varint | per body: length varint, body
 *   body:  seriesCount varint | baseTs zz
 *          per series: labelCount varint | per label: nameRef, valueRef
 *                      sampleCount varint | valueMode byte (0 raw, 1 xor)
 *                      timestamps: zz(first - baseTs), zz(second - first), then zz(delta - previous delta)
 *                      values: raw = 8 bytes each; xor = per sample header (lzBytes &lt;&lt; 4 | tzBytes; 0x80 = same
 *                      bits as previous) then the 8 - lz - tz middle bytes of (bits ^ previousBits)
 *   fence: epoch varint
 *   read barrier: epoch varint (always 0; a barrier is not routed by the shard map)
 *   crc32c of everything before, int32
 * </pre>
 * A string reference is 0 followed by (length varint, UTF-8 bytes) for a string not yet seen in this entry, or
 * {@code k > 0} for the (k-1)-th string defined earlier in the entry: label names and repeated values are written
 * once per entry. A series costs its labels once; a sample costs a delta-of-delta timestamp (1 byte at a fixed
 * scrape interval) plus 1-9 bytes of value. Arithmetic wraps (two's complement), so any long round-trips.
 *
 * <p>Coalesced writes let the router merge the bodies of several concurrent writes to one shard into one log entry
 * without re-encoding them (each body keeps its own string table); the entry applies as one {@link ShardEntry.Write}
 * whose series are the bodies' series in order. The epoch lives outside the bodies, so re-stamping a retried entry
 * with a newer epoch copies bytes and never re-encodes samples.
 *
 * <p>Decoding never throws anything but {@link RaftException} with {@link ErrorCode#MALFORMED_ENTRY}: every length
 * and count is checked against the bytes left before anything is allocated, UTF-8 is strict, the checksum must match,
 * trailing bytes are rejected, and label sets must satisfy {@link Labels} rules.
 */
public final class ShardLogCodec {
  /** The encoding version written by this class. */
  public static final int VERSION = 1;

  static final int MAGIC = 0x51;
  static final int TYPE_WRITE = 1;
  static final int TYPE_FENCE = 2;
  static final int TYPE_WRITES = 3;
  static final int TYPE_READ_BARRIER = 4;
  static final int TYPE_REPLY = 32;
  private static final int MODE_RAW = 0;
  private static final int MODE_XOR = 1;
  private static final int XOR_SAME = 0x80;
  private static final int HEADER_BYTES = 3;
  private static final int CRC_BYTES = 4;

  private ShardLogCodec() {}

  /** Encodes an entry. */
  public static byte[] encode(ShardEntry entry) {
    if (entry instanceof ShardEntry.Write w) {
      return encodeWrite(w.epoch(), w.batch());
    }
    if (entry instanceof ShardEntry.ReadBarrier) {
      return encodeReadBarrier();
    }
    return encodeFence(entry.epoch());
  }

  /** Encodes a write entry routed with {@code epoch}. */
  public static byte[] encodeWrite(long epoch, WriteBatch batch) {
    ByteSink out = new ByteSink(estimateSize(batch));
    header(out, TYPE_WRITE);
    out.putVarLong(epoch);
    writeBody(out, batch);
    return finish(out);
  }

  private static void writeBody(ByteSink out, WriteBatch batch) {
    List<SeriesSamples> series = batch.series();
    out.putVarLong(series.size());
    long baseTs = firstTimestamp(series);
    out.putZigZag(baseTs);
    // Label names repeat in every series and values often: a table sized for a few distinct strings per series.
    StringTable strings = new StringTable(Math.min(series.size() * 2, 1 << 16));
    for (SeriesSamples s : series) {
      writeSeries(out, s, baseTs, strings);
    }
  }

  /**
   * Encodes the body of a write: its series and samples, without header, epoch or checksum. Frame one or more bodies
   * into an entry with {@link #encodeWrites}.
   */
  public static byte[] encodeWriteBody(WriteBatch batch) {
    ByteSink out = new ByteSink(estimateSize(batch));
    writeBody(out, batch);
    return out.toByteArray();
  }

  /** Bytes {@link #encodeWrites} adds around bodies of {@code bodyBytes} total, at most. */
  public static int writesOverhead(int bodies) {
    return HEADER_BYTES + 10 + 5 + 5 * bodies + CRC_BYTES;
  }

  /** A write entry routed with {@code epoch} whose series are those of {@code bodies}, in order. */
  public static byte[] encodeWrites(long epoch, List<byte[]> bodies) {
    int size = writesOverhead(bodies.size());
    for (byte[] b : bodies) {
      size += b.length;
    }
    ByteSink out = new ByteSink(size);
    header(out, TYPE_WRITES);
    out.putVarLong(epoch);
    out.putVarLong(bodies.size());
    for (byte[] b : bodies) {
      out.putVarLong(b.length);
      out.put(b);
    }
    return finish(out);
  }

  /** Encodes an epoch fence. */
  public static byte[] encodeFence(long epoch) {
    ByteSink out = new ByteSink(16);
    header(out, TYPE_FENCE);
    out.putVarLong(epoch);
    return finish(out);
  }

  /** Encodes a read barrier (see {@link ShardEntry.ReadBarrier}). */
  public static byte[] encodeReadBarrier() {
    ByteSink out = new ByteSink(8);
    header(out, TYPE_READ_BARRIER);
    out.putVarLong(0);
    return finish(out);
  }

  /**
   * Decodes a shard log entry.
   *
   * @throws RaftException with {@link ErrorCode#MALFORMED_ENTRY} on any malformed, truncated or unknown input
   */
  public static ShardEntry decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  /** Decodes {@code length} bytes at {@code offset}; see {@link #decode(byte[])}. */
  public static ShardEntry decode(byte[] bytes, int offset, int length) {
    try {
      ByteSource in = open(bytes, offset, length);
      int type = in.get();
      long epoch = in.getVarLong();
      if (epoch < 0) {
        throw ByteSource.malformed("negative epoch [epoch=" + epoch + "]");
      }
      ShardEntry entry = switch (type) {
        case TYPE_WRITE -> new ShardEntry.Write(epoch, readBatch(in));
        case TYPE_FENCE -> new ShardEntry.EpochFence(epoch);
        case TYPE_WRITES -> new ShardEntry.Write(epoch, readBodies(in));
        case TYPE_READ_BARRIER -> {
          if (epoch != 0) {
            throw ByteSource.malformed("read barrier with an epoch [epoch=" + epoch + "]");
          }
          yield ShardEntry.ReadBarrier.INSTANCE;
        }
        default -> throw ByteSource.malformed("unknown entry type [type=" + type + "]");
      };
      if (in.remaining() != CRC_BYTES) {
        throw ByteSource.malformed("trailing bytes [count=" + (in.remaining() - CRC_BYTES) + "]");
      }
      return entry;
    } catch (RaftException e) {
      throw e;
    } catch (RuntimeException e) {
      // Labels/SeriesSamples validation (IndexException, IllegalArgumentException): still a malformed entry.
      throw new RaftException(ErrorCode.MALFORMED_ENTRY, "malformed shard log entry: " + e.getMessage(), e);
    }
  }

  /** The entry type byte of an encoded message without decoding it, or -1 if it has no valid header. */
  static int peekType(byte[] bytes) {
    if (bytes.length < HEADER_BYTES + CRC_BYTES || (bytes[0] & 0xFF) != MAGIC || bytes[1] != VERSION) {
      return -1;
    }
    return bytes[2] & 0xFF;
  }

  // ---- replies (state machine -> router / read barrier) ----

  /** Encodes an apply/query reply. */
  public static byte[] encodeReply(ShardReply reply) {
    ByteSink out = new ByteSink(32);
    header(out, TYPE_REPLY);
    out.putVarLong(reply.appliedIndex());
    out.putVarLong(reply.samples());
    if (reply.error() == null) {
      out.put(0);
    } else {
      out.put(1);
      putString(out, reply.error().id());
      putString(out, reply.message());
    }
    return finish(out);
  }

  /**
   * Decodes a reply.
   *
   * @throws RaftException with {@link ErrorCode#MALFORMED_ENTRY} if the bytes are not a valid reply
   */
  public static ShardReply decodeReply(byte[] bytes) {
    ByteSource in = open(bytes, 0, bytes.length);
    if (in.get() != TYPE_REPLY) {
      throw ByteSource.malformed("not a reply");
    }
    long index = in.getVarLong();
    long samples = in.getVarLong();
    int status = in.get();
    ShardReply reply;
    if (status == 0) {
      reply = ShardReply.ok(index, samples);
    } else if (status == 1) {
      String id = in.getUtf8();
      String message = in.getUtf8();
      ErrorCode code = ErrorCode.fromId(id);
      reply = ShardReply.rejected(index, code == null ? ErrorCode.INTERNAL : code, message);
    } else {
      throw ByteSource.malformed("unknown reply status [status=" + status + "]");
    }
    if (in.remaining() != CRC_BYTES) {
      throw ByteSource.malformed("trailing bytes in reply");
    }
    return reply;
  }

  // ---- internals ----

  private static void header(ByteSink out, int type) {
    out.put(MAGIC);
    out.put(VERSION);
    out.put(type);
  }

  private static byte[] finish(ByteSink out) {
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putIntLe((int) crc.getValue());
    return out.toByteArray();
  }

  private static ByteSource open(byte[] bytes, int offset, int length) {
    if (bytes == null || offset < 0 || length < 0 || offset > bytes.length - length) {
      throw ByteSource.malformed("bad byte range");
    }
    if (length < HEADER_BYTES + CRC_BYTES) {
      throw ByteSource.malformed("too short [length=" + length + "]");
    }
    if ((bytes[offset] & 0xFF) != MAGIC) {
      throw ByteSource.malformed("bad magic [byte=" + (bytes[offset] & 0xFF) + "]");
    }
    int version = bytes[offset + 1] & 0xFF;
    if (version != VERSION) {
      throw ByteSource.malformed("unsupported version [version=" + version + ", supported=" + VERSION + "]");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length - CRC_BYTES);
    ByteSource trailer = new ByteSource(bytes, offset + length - CRC_BYTES, CRC_BYTES);
    if (trailer.getIntLe() != (int) crc.getValue()) {
      throw ByteSource.malformed("checksum mismatch [length=" + length + "]");
    }
    ByteSource in = new ByteSource(bytes, offset + 2, length - 2);
    return in;
  }

  private static long firstTimestamp(List<SeriesSamples> series) {
    for (SeriesSamples s : series) {
      if (s.size() > 0) {
        return s.timestampsMs()[0];
      }
    }
    return 0;
  }

  private static int estimateSize(WriteBatch batch) {
    long samples = batch.sampleCount();
    long estimate = 64 + samples * 10L + batch.series().size() * 48L;
    return (int) Math.min(estimate, 64L << 20);
  }

  private static void writeSeries(ByteSink out, SeriesSamples s, long baseTs, StringTable strings) {
    Labels labels = s.labels();
    out.putVarLong(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      putRef(out, labels.name(i), strings);
      putRef(out, labels.value(i), strings);
    }
    long[] ts = s.timestampsMs();
    long[] bits = s.valueBits();
    out.putVarLong(ts.length);
    boolean xor = xorSize(bits) < 8L * bits.length;
    out.put(xor ? MODE_XOR : MODE_RAW);
    // Delta-of-delta: a fixed scrape interval costs one byte per sample after the second.
    long prev = baseTs;
    long prevDelta = 0;
    for (int i = 0; i < ts.length; i++) {
      long delta = ts[i] - prev;
      out.putZigZag(i < 2 ? delta : delta - prevDelta);
      prevDelta = delta;
      prev = ts[i];
    }
    if (xor) {
      writeXor(out, bits);
    } else {
      out.ensure(8 * bits.length);
      for (long b : bits) {
        out.putLongLe(b);
      }
    }
  }

  private static long xorSize(long[] bits) {
    long size = 0;
    long prev = 0;
    for (long b : bits) {
      long x = b ^ prev;
      prev = b;
      size += 1 + (x == 0 ? 0 : 8 - Long.numberOfLeadingZeros(x) / 8 - Long.numberOfTrailingZeros(x) / 8);
    }
    return size;
  }

  private static void writeXor(ByteSink out, long[] bits) {
    long prev = 0;
    for (long b : bits) {
      long x = b ^ prev;
      prev = b;
      if (x == 0) {
        out.put(XOR_SAME);
        continue;
      }
      int lz = Long.numberOfLeadingZeros(x) / 8;
      int tz = Long.numberOfTrailingZeros(x) / 8;
      out.put((lz << 4) | tz);
      int n = 8 - lz - tz;
      out.ensure(n);
      long middle = x >>> (8 * tz);
      for (int i = 0; i < n; i++) {
        out.put((int) (middle >>> (8 * i)));
      }
    }
  }

  private static void putRef(ByteSink out, String s, StringTable strings) {
    int id = strings.idOrAdd(s);
    if (id >= 0) {
      out.putVarLong(id + 1L);
      return;
    }
    out.putVarLong(0);
    putString(out, s);
  }

  private static void putString(ByteSink out, String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.putVarLong(utf8.length);
    out.put(utf8);
  }

  private static WriteBatch readBodies(ByteSource in) {
    // A body needs >= 3 bytes (length, series count, baseTs), which bounds the allocation by the input size.
    int count = in.getCount("body count", in.remaining() / 3);
    if (count == 0) {
      throw ByteSource.malformed("coalesced write without bodies");
    }
    List<SeriesSamples> series = new ArrayList<>();
    Labels.Builder builder = Labels.builder();
    for (int i = 0; i < count; i++) {
      int length = in.getCount("body length", in.remaining() - CRC_BYTES);
      ByteSource body = in.slice(length);
      readBody(body, series, builder);
      if (body.remaining() != 0) {
        throw ByteSource.malformed("trailing bytes in body [body=" + i + ", count=" + body.remaining() + "]");
      }
    }
    return new WriteBatch(series);
  }

  private static WriteBatch readBatch(ByteSource in) {
    List<SeriesSamples> series = new ArrayList<>();
    readBody(in, series, Labels.builder());
    return new WriteBatch(series);
  }

  /** Appends the series of one body to {@code out}; {@code builder} is reused across bodies. */
  private static void readBody(ByteSource in, List<SeriesSamples> out, Labels.Builder builder) {
    // A series needs >= 3 bytes (label count, sample count, mode), so this bounds allocation by the input size.
    int seriesCount = in.getCount("series count", in.remaining() / 3);
    long baseTs = in.getZigZag();
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < seriesCount; i++) {
      out.add(readSeries(in, baseTs, strings, builder));
    }
  }

  private static SeriesSamples readSeries(ByteSource in, long baseTs, List<String> strings, Labels.Builder builder) {
    int labelCount = in.getCount("label count", in.remaining() / 2);
    builder.reset();
    for (int i = 0; i < labelCount; i++) {
      String name = getRef(in, strings);
      String value = getRef(in, strings);
      builder.add(name, value);
    }
    Labels labels = builder.build();
    if (labels.size() != labelCount) {
      throw ByteSource.malformed("empty label value in entry [series=" + labels + "]");
    }
    // A sample needs >= 2 bytes (timestamp varint + value header), so the count is bounded by the bytes left.
    int n = in.getCount("sample count", in.remaining() / 2);
    int mode = in.get();
    if (mode != MODE_RAW && mode != MODE_XOR) {
      throw ByteSource.malformed("unknown value mode [mode=" + mode + "]");
    }
    long[] ts = new long[n];
    long prev = baseTs;
    long prevDelta = 0;
    for (int i = 0; i < n; i++) {
      long v = in.getZigZag();
      long delta = i < 2 ? v : v + prevDelta;
      prev += delta;
      prevDelta = delta;
      ts[i] = prev;
    }
    long[] bits = new long[n];
    if (mode == MODE_RAW) {
      for (int i = 0; i < n; i++) {
        bits[i] = in.getLongLe();
      }
    } else {
      readXor(in, bits);
    }
    return new SeriesSamples(labels, ts, bits);
  }

  private static void readXor(ByteSource in, long[] bits) {
    long prev = 0;
    for (int i = 0; i < bits.length; i++) {
      int h = in.get();
      if (h == XOR_SAME) {
        bits[i] = prev;
        continue;
      }
      int lz = h >>> 4;
      int tz = h & 0x0F;
      if (lz + tz >= 8) {
        throw ByteSource.malformed("bad xor header [header=" + h + "]");
      }
      long x = in.getPartialLe(8 - lz - tz, tz);
      if (x == 0) {
        throw ByteSource.malformed("zero xor payload");
      }
      prev ^= x;
      bits[i] = prev;
    }
  }

  private static String getRef(ByteSource in, List<String> strings) {
    long ref = in.getVarLong();
    if (ref == 0) {
      String s = in.getUtf8();
      strings.add(s);
      return s;
    }
    if (ref < 0 || ref > strings.size()) {
      throw ByteSource.malformed("dangling string reference [ref=" + ref + ", defined=" + strings.size() + "]");
    }
    return strings.get((int) (ref - 1));
  }
}
