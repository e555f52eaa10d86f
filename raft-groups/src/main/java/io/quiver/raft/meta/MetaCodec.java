package io.quiver.raft.meta;

import io.quiver.raft.ErrorCode;
import io.quiver.raft.NodeAddress;
import io.quiver.raft.RaftException;
import io.quiver.raft.ShardReplicas;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * Compact, versioned binary encoding of metadata commands, results, queries and the whole state (snapshot file).
 * Every message starts with a format version byte; decoding validates every count and enum ordinal and throws
 * {@link RaftException} with {@link ErrorCode#MALFORMED_ENTRY} on any malformed input (never another exception).
 */
public final class MetaCodec {
  /** Current format version. */
  public static final byte VERSION = 1;

  private static final int STATE_MAGIC = 0x514d5331; // "QMS1"
  private static final int MAX_COUNT = 1 << 16;

  private MetaCodec() {}

  /** A read of the metadata group. */
  public sealed interface Query {
    /**
     * The whole cluster state as the answering replica has applied it. Quiver no longer sends it: linearizable reads
     * go through the log as {@link MetaCommand.ReadState} (Ratis' ReadIndex, which this query was sent with, can
     * answer from a deposed leader; docs/design/raft-groups.md). Still decoded and answered so that a node of an
     * older version keeps working during a rolling upgrade.
     */
    record GetState() implements Query {}

    /** Liveness report of a node; the reply is the whole state as well. */
    record Heartbeat(String nodeId, String incarnation) implements Query {}
  }

  // ---------------------------------------------------------------- commands

  /** Encodes a command. */
  public static byte[] encode(MetaCommand c) {
    return write(out -> {
      out.writeByte(VERSION);
      if (c instanceof MetaCommand.Bootstrap b) {
        out.writeByte(1);
        out.writeUTF(b.clusterId());
        out.writeUTF(b.clusterUuid());
        out.writeInt(b.shardCount());
        out.writeInt(b.replicationFactor());
        out.writeInt(b.nodes().size());
        for (MetaCommand.NodeSpec n : b.nodes()) {
          writeAddress(out, n.address());
          out.writeUTF(n.zone());
          out.writeUTF(n.incarnation());
        }
        out.writeInt(b.replicas().size());
        for (List<String> r : b.replicas()) {
          writeStrings(out, r);
        }
      } else if (c instanceof MetaCommand.Join j) {
        out.writeByte(2);
        writeAddress(out, j.address());
        out.writeUTF(j.zone());
        out.writeUTF(j.incarnation());
      } else if (c instanceof MetaCommand.SetNodeState n) {
        out.writeByte(3);
        out.writeUTF(n.nodeId());
        out.writeByte(n.state().ordinal());
      } else if (c instanceof MetaCommand.SetIncarnation i) {
        out.writeByte(4);
        out.writeUTF(i.nodeId());
        out.writeUTF(i.incarnation());
      } else if (c instanceof MetaCommand.StartMove m) {
        out.writeByte(5);
        out.writeInt(m.shard());
        out.writeUTF(m.from());
        out.writeUTF(m.to());
        out.writeByte(m.kind().ordinal());
      } else if (c instanceof MetaCommand.AdvanceMove m) {
        out.writeByte(6);
        out.writeLong(m.id());
        out.writeByte(m.expected().ordinal());
        out.writeByte(m.next().ordinal());
        out.writeUTF(clip(m.note()));
      } else if (c instanceof MetaCommand.CancelMove m) {
        out.writeByte(7);
        out.writeLong(m.id());
      } else if (c instanceof MetaCommand.SetLeaderHint h) {
        out.writeByte(8);
        out.writeInt(h.shard());
        out.writeUTF(h.nodeId());
      } else if (c instanceof MetaCommand.PutSetting p) {
        out.writeByte(9);
        out.writeUTF(p.key());
        out.writeUTF(clip(p.value()));
      } else if (c instanceof MetaCommand.ReadState) {
        out.writeByte(10);
      }
    });
  }

  /** Decodes a command. */
  public static MetaCommand decodeCommand(byte[] bytes) {
    return read(bytes, in -> {
      version(in);
      int type = in.readUnsignedByte();
      return switch (type) {
        case 1 -> {
          String clusterId = in.readUTF();
          String clusterUuid = in.readUTF();
          int shardCount = in.readInt();
          int rf = in.readInt();
          int n = count(in);
          List<MetaCommand.NodeSpec> nodes = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            nodes.add(new MetaCommand.NodeSpec(readAddress(in), in.readUTF(), in.readUTF()));
          }
          int s = count(in);
          List<List<String>> replicas = new ArrayList<>();
          for (int i = 0; i < s; i++) {
            replicas.add(readStrings(in));
          }
          yield new MetaCommand.Bootstrap(clusterId, clusterUuid, shardCount, rf, nodes, replicas);
        }
        case 2 -> new MetaCommand.Join(readAddress(in), in.readUTF(), in.readUTF());
        case 3 -> new MetaCommand.SetNodeState(in.readUTF(), enumOf(NodeState.values(), in.readUnsignedByte()));
        case 4 -> new MetaCommand.SetIncarnation(in.readUTF(), in.readUTF());
        case 5 -> new MetaCommand.StartMove(in.readInt(), in.readUTF(), in.readUTF(),
            enumOf(MoveKind.values(), in.readUnsignedByte()));
        case 6 -> new MetaCommand.AdvanceMove(in.readLong(), enumOf(MoveState.values(), in.readUnsignedByte()),
            enumOf(MoveState.values(), in.readUnsignedByte()), in.readUTF());
        case 7 -> new MetaCommand.CancelMove(in.readLong());
        case 8 -> new MetaCommand.SetLeaderHint(in.readInt(), in.readUTF());
        case 9 -> new MetaCommand.PutSetting(in.readUTF(), in.readUTF());
        case 10 -> new MetaCommand.ReadState();
        default -> throw malformed("unknown command type [type=" + type + "]");
      };
    });
  }

  // ---------------------------------------------------------------- results and queries

  /** Encodes a result. */
  public static byte[] encode(MetaResult r) {
    return write(out -> {
      out.writeByte(VERSION);
      out.writeUTF(r.code() == null ? "" : r.code().id());
      out.writeLong(r.value());
      out.writeUTF(clip(r.message()));
    });
  }

  /** Decodes a result. */
  public static MetaResult decodeResult(byte[] bytes) {
    return read(bytes, in -> {
      version(in);
      String code = in.readUTF();
      long value = in.readLong();
      String message = in.readUTF();
      if (code.isEmpty()) {
        return new MetaResult(null, value, message);
      }
      ErrorCode ec = ErrorCode.fromId(code);
      return new MetaResult(ec == null ? ErrorCode.INTERNAL : ec, value, message);
    });
  }

  /** Encodes a query. */
  public static byte[] encode(Query q) {
    return write(out -> {
      out.writeByte(VERSION);
      if (q instanceof Query.Heartbeat h) {
        out.writeByte(2);
        out.writeUTF(h.nodeId());
        out.writeUTF(h.incarnation());
      } else {
        out.writeByte(1);
      }
    });
  }

  /** Decodes a query. */
  public static Query decodeQuery(byte[] bytes) {
    return read(bytes, in -> {
      version(in);
      int type = in.readUnsignedByte();
      return switch (type) {
        case 1 -> new Query.GetState();
        case 2 -> new Query.Heartbeat(in.readUTF(), in.readUTF());
        default -> throw malformed("unknown query type [type=" + type + "]");
      };
    });
  }

  // ---------------------------------------------------------------- state

  /** Encodes the whole state, with a magic number and a trailing CRC32 (the snapshot file format). */
  public static byte[] encode(ClusterState s) {
    byte[] body = write(out -> {
      out.writeInt(STATE_MAGIC);
      out.writeByte(VERSION);
      out.writeUTF(s.clusterId());
      out.writeUTF(s.clusterUuid());
      out.writeInt(s.shardCount());
      out.writeInt(s.replicationFactor());
      out.writeLong(s.nextOrdinal());
      out.writeLong(s.version());
      out.writeInt(s.nodes().size());
      for (NodeRecord n : s.nodes().values()) {
        writeAddress(out, n.address());
        out.writeUTF(n.zone());
        out.writeLong(n.ordinal());
        out.writeByte(n.state().ordinal());
        out.writeUTF(n.incarnation());
        out.writeInt(n.rebuildShards().size());
        for (int shard : n.rebuildShards()) {
          out.writeInt(shard);
        }
      }
      out.writeInt(s.shards().size());
      for (ShardReplicas r : s.shards()) {
        out.writeInt(r.shard());
        writeStrings(out, r.replicas());
        out.writeUTF(r.leaderHint() == null ? "" : r.leaderHint());
        out.writeLong(r.epoch());
      }
      out.writeInt(s.moves().size());
      for (MoveRecord m : s.moves().values()) {
        out.writeLong(m.id());
        out.writeInt(m.shard());
        out.writeUTF(m.from());
        out.writeUTF(m.to());
        out.writeByte(m.kind().ordinal());
        writeStrings(out, m.expected());
        out.writeByte(m.state().ordinal());
        out.writeBoolean(m.cancelRequested());
        out.writeUTF(clip(m.note()));
      }
      out.writeInt(s.settings().size());
      for (Map.Entry<String, String> e : s.settings().entrySet()) {
        out.writeUTF(e.getKey());
        out.writeUTF(e.getValue());
      }
    });
    CRC32 crc = new CRC32();
    crc.update(body);
    byte[] out = new byte[body.length + 8];
    System.arraycopy(body, 0, out, 0, body.length);
    long v = crc.getValue();
    for (int i = 0; i < 8; i++) {
      out[body.length + i] = (byte) (v >>> (56 - 8 * i));
    }
    return out;
  }

  /** Decodes a state written by {@link #encode(ClusterState)}, checking magic, version and CRC. */
  public static ClusterState decodeState(byte[] bytes) {
    if (bytes.length < 13) {
      throw malformed("state too short [bytes=" + bytes.length + "]");
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 8);
    long expected = 0;
    for (int i = 0; i < 8; i++) {
      expected = (expected << 8) | (bytes[bytes.length - 8 + i] & 0xff);
    }
    if (crc.getValue() != expected) {
      throw malformed("state checksum mismatch [bytes=" + bytes.length + "]");
    }
    byte[] body = java.util.Arrays.copyOf(bytes, bytes.length - 8);
    return read(body, in -> {
      if (in.readInt() != STATE_MAGIC) {
        throw malformed("not a metadata state (bad magic)");
      }
      version(in);
      String clusterId = in.readUTF();
      String clusterUuid = in.readUTF();
      int shardCount = in.readInt();
      int rf = in.readInt();
      long nextOrdinal = in.readLong();
      long version = in.readLong();
      Map<String, NodeRecord> nodes = new TreeMap<>();
      int n = count(in);
      for (int i = 0; i < n; i++) {
        NodeAddress a = readAddress(in);
        String zone = in.readUTF();
        long ordinal = in.readLong();
        NodeState st = enumOf(NodeState.values(), in.readUnsignedByte());
        String inc = in.readUTF();
        int k = count(in);
        Set<Integer> rebuild = new HashSet<>();
        for (int j = 0; j < k; j++) {
          rebuild.add(in.readInt());
        }
        nodes.put(a.nodeId(), new NodeRecord(a, zone, ordinal, st, inc, rebuild));
      }
      List<ShardReplicas> shards = new ArrayList<>();
      int sc = count(in);
      for (int i = 0; i < sc; i++) {
        int shard = in.readInt();
        List<String> replicas = readStrings(in);
        String hint = in.readUTF();
        shards.add(new ShardReplicas(shard, replicas, hint.isEmpty() ? null : hint, in.readLong()));
      }
      Map<Long, MoveRecord> moves = new TreeMap<>();
      int mc = count(in);
      for (int i = 0; i < mc; i++) {
        MoveRecord m = new MoveRecord(in.readLong(), in.readInt(), in.readUTF(), in.readUTF(),
            enumOf(MoveKind.values(), in.readUnsignedByte()), readStrings(in),
            enumOf(MoveState.values(), in.readUnsignedByte()), in.readBoolean(), in.readUTF());
        moves.put(m.id(), m);
      }
      Map<String, String> settings = new TreeMap<>();
      int st = count(in);
      for (int i = 0; i < st; i++) {
        settings.put(in.readUTF(), in.readUTF());
      }
      return new ClusterState(clusterId, clusterUuid, shardCount, rf, nodes, shards, moves, nextOrdinal, settings,
          version);
    });
  }

  // ---------------------------------------------------------------- helpers

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static byte[] write(Writer w) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      w.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static <T> T read(byte[] bytes, Reader<T> r) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      T value = r.read(in);
      if (in.available() != 0) {
        throw malformed("trailing bytes [count=" + in.available() + "]");
      }
      return value;
    } catch (RaftException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // EOF, bad UTF, or a record constructor rejecting a decoded value.
      throw new RaftException(ErrorCode.MALFORMED_ENTRY,
          "malformed metadata message [bytes=" + bytes.length + ", cause=" + e + "]", e);
    }
  }

  private static void version(DataInputStream in) throws IOException {
    int v = in.readUnsignedByte();
    if (v != VERSION) {
      throw malformed("unsupported metadata format version [version=" + v + "]");
    }
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_COUNT || n > in.available()) {
      throw malformed("bad element count [count=" + n + "]");
    }
    return n;
  }

  private static <E extends Enum<E>> E enumOf(E[] values, int ordinal) {
    if (ordinal >= values.length) {
      throw malformed("bad enum ordinal [ordinal=" + ordinal + "]");
    }
    return values[ordinal];
  }

  private static void writeAddress(DataOutputStream out, NodeAddress a) throws IOException {
    out.writeUTF(a.nodeId());
    out.writeUTF(a.host());
    out.writeInt(a.raftPort());
    out.writeInt(a.httpPort());
    out.writeInt(a.flightPort());
  }

  private static NodeAddress readAddress(DataInputStream in) throws IOException {
    return new NodeAddress(in.readUTF(), in.readUTF(), in.readInt(), in.readInt(), in.readInt());
  }

  private static void writeStrings(DataOutputStream out, List<String> list) throws IOException {
    out.writeInt(list.size());
    for (String s : list) {
      out.writeUTF(s);
    }
  }

  private static List<String> readStrings(DataInputStream in) throws IOException {
    int n = count(in);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(in.readUTF());
    }
    return out;
  }

  private static String clip(String s) {
    return s.length() > 2000 ? s.substring(0, 2000) : s;
  }

  private static RaftException malformed(String message) {
    return new RaftException(ErrorCode.MALFORMED_ENTRY, message);
  }
}
