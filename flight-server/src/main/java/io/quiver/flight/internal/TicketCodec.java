package io.quiver.flight.internal;

import io.quiver.flight.ErrorCode;
import io.quiver.flight.FlightException;
import io.quiver.flight.ReadConsistency;
import io.quiver.flight.ReadOptions;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Binary ticket format, version 1 (big-endian):
 *
 * <pre>
 * magic      4 bytes  "QVFT"
 * version    u8       1
 * clusterId  str
 * shardCount i32
 * shard      i32
 * fromMs     i64      inclusive
 * toMs       i64      exclusive
 * consist.   u8       0 linearizable, 1 follower
 * staleness  i64      max_staleness_ms
 * match      u16 count, then str each
 * labels     u16 count, then str each (the label columns of the GetFlightInfo schema)
 * crc32c     i32      over every preceding byte
 * str = u32 length + UTF-8 bytes
 * </pre>
 *
 * Tickets are self-contained (any replica can serve them, no server state) and validated on redeem: wrong magic,
 * version, checksum, truncation or trailing bytes make the ticket unknown ({@link ErrorCode#UNKNOWN_TICKET}).
 * Selectors are re-parsed by the redeeming server. Tickets are not signed: they grant nothing a command could not.
 */
public final class TicketCodec {
  static final int VERSION = 1;
  private static final byte[] MAGIC = {'Q', 'V', 'F', 'T'};
  private static final int MAX_TICKET_BYTES = 1 << 20;

  private TicketCodec() {}

  /** Encodes {@code ticket}. */
  public static byte[] encode(ReadTicket ticket) {
    List<byte[]> strings = new ArrayList<>();
    int size = MAGIC.length + 1 + 4 + 4 + 8 + 8 + 1 + 8 + 2 + 2 + 4;
    byte[] cluster = utf8(ticket.clusterId());
    size += 4 + cluster.length;
    for (String s : ticket.match()) {
      byte[] b = utf8(s);
      strings.add(b);
      size += 4 + b.length;
    }
    for (String s : ticket.labelColumns()) {
      byte[] b = utf8(s);
      strings.add(b);
      size += 4 + b.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(MAGIC).put((byte) VERSION);
    putString(out, cluster);
    out.putInt(ticket.shardCount()).putInt(ticket.shard()).putLong(ticket.fromMs()).putLong(ticket.toMsExclusive());
    out.put((byte) ticket.read().consistency().id()).putLong(ticket.read().maxStalenessMs());
    out.putShort((short) ticket.match().size());
    for (int i = 0; i < ticket.match().size(); i++) {
      putString(out, strings.get(i));
    }
    out.putShort((short) ticket.labelColumns().size());
    for (int i = 0; i < ticket.labelColumns().size(); i++) {
      putString(out, strings.get(ticket.match().size() + i));
    }
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue());
    return out.array();
  }

  /** Decodes and validates {@code bytes}; throws {@link ErrorCode#UNKNOWN_TICKET} on anything malformed. */
  public static ReadTicket decode(byte[] bytes) {
    if (bytes.length < MAGIC.length + 5 || bytes.length > MAX_TICKET_BYTES) {
      throw unknown("ticket has an impossible length [bytes=" + bytes.length + "]");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        throw unknown("not a Quiver ticket [bytes=" + bytes.length + "]");
      }
    }
    if (bytes[MAGIC.length] != VERSION) {
      throw unknown("unsupported ticket version [version=" + bytes[MAGIC.length] + ", supported=" + VERSION + "]");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (in.getInt(bytes.length - 4) != (int) crc.getValue()) {
      throw unknown("ticket checksum mismatch [bytes=" + bytes.length + "]");
    }
    in.position(MAGIC.length + 1).limit(bytes.length - 4);
    try {
      ReadTicket t = read(in);
      if (in.hasRemaining()) {
        throw unknown("trailing bytes in ticket [remaining=" + in.remaining() + "]");
      }
      return t;
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new FlightException(ErrorCode.UNKNOWN_TICKET, "malformed ticket [reason=" + e.getMessage() + "]", e);
    }
  }

  private static ReadTicket read(ByteBuffer in) {
    String clusterId = getString(in);
    int shardCount = in.getInt();
    int shard = in.getInt();
    long from = in.getLong();
    long to = in.getLong();
    ReadConsistency consistency = ReadConsistency.fromId(in.get());
    if (consistency == null) {
      throw new IllegalArgumentException("unknown consistency id");
    }
    long staleness = in.getLong();
    List<String> match = getStrings(in);
    List<String> labels = getStrings(in);
    return new ReadTicket(clusterId, shardCount, shard, match, from, to, new ReadOptions(consistency, staleness),
        labels);
  }

  private static List<String> getStrings(ByteBuffer in) {
    int n = Short.toUnsignedInt(in.getShort());
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(getString(in));
    }
    return out;
  }

  private static String getString(ByteBuffer in) {
    int len = in.getInt();
    if (len < 0 || len > in.remaining()) {
      throw new IllegalArgumentException("string length out of range [length=" + len + "]");
    }
    byte[] b = new byte[len];
    in.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static void putString(ByteBuffer out, byte[] b) {
    out.putInt(b.length).put(b);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static FlightException unknown(String message) {
    return new FlightException(ErrorCode.UNKNOWN_TICKET, message);
  }
}
