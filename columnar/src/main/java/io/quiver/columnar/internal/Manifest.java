package io.quiver.columnar.internal;

import io.quiver.columnar.ErrorCode;
import io.quiver.columnar.StorageIo;
import io.quiver.columnar.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The list of files that make up a store state, as a small text file ending in a CRC32C line. The live manifest
 * ({@code MANIFEST}) is rewritten atomically after every seal, compaction and retention pass; a checkpoint manifest
 * ({@code checkpoint-<index>.qck}) is written once per checkpoint and never changed.
 *
 * @param durableIndex log index up to which the listed files hold every write
 * @param nextSeq next segment sequence number to hand out
 * @param indexSnapshot file name of the index snapshot ({@code null} in the live manifest)
 * @param segments live segments, ordered by seq
 */
public record Manifest(long durableIndex, long nextSeq, String indexSnapshot, List<SegmentMeta> segments) {
  /** File name of the live manifest in a store directory. */
  public static final String LIVE = "MANIFEST";
  static final String HEADER = "quiver-manifest 1";

  /** Copies the segment list. */
  public Manifest {
    segments = List.copyOf(segments);
  }

  static String checkpointName(long index) {
    return String.format("checkpoint-%020d.qck", index);
  }

  static String indexSnapshotName(long index) {
    return String.format("index-%020d.snapshot", index);
  }

  byte[] encode() {
    StringBuilder sb = new StringBuilder();
    sb.append(HEADER).append('\n');
    sb.append("durableIndex=").append(durableIndex).append('\n');
    sb.append("nextSeq=").append(nextSeq).append('\n');
    sb.append("index=").append(indexSnapshot == null ? "-" : indexSnapshot).append('\n');
    for (SegmentMeta s : segments) {
      sb.append("segment ").append(s.fileName()).append(' ').append(s.seq()).append(' ').append(s.windowStartMs())
          .append(' ').append(s.minTs()).append(' ').append(s.maxTs()).append(' ').append(s.sampleCount())
          .append(' ').append(s.seriesCount()).append(' ').append(s.fileBytes()).append('\n');
    }
    byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
    CRC32C crc = new CRC32C();
    crc.update(body);
    String tail = "crc32c=" + Long.toHexString(crc.getValue()) + "\n";
    byte[] t = tail.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[body.length + t.length];
    System.arraycopy(body, 0, out, 0, body.length);
    System.arraycopy(t, 0, out, body.length, t.length);
    return out;
  }

  void write(StorageIo io, Path dir, String name, boolean fsync) throws IOException {
    AtomicFiles.write(io, dir, name, List.of(ByteBuffer.wrap(encode())), fsync);
  }

  /** Reads and verifies a manifest; throws {@link ErrorCode#CORRUPT_MANIFEST} naming the file. */
  static Manifest read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new StoreException(ErrorCode.IO, "cannot read manifest [file=" + file + "]", e);
    }
    try {
      return parse(bytes);
    } catch (RuntimeException e) {
      throw new StoreException(ErrorCode.CORRUPT_MANIFEST, "corrupt manifest [file=" + file + ", problem="
          + e.getMessage() + "]", e);
    }
  }

  private static Manifest parse(byte[] bytes) {
    int lastLine = bytes.length - 2;
    while (lastLine >= 0 && bytes[lastLine] != '\n') {
      lastLine--;
    }
    if (lastLine < 0 || bytes[bytes.length - 1] != '\n') {
      throw new IllegalArgumentException("truncated");
    }
    String crcLine = new String(bytes, lastLine + 1, bytes.length - lastLine - 2, StandardCharsets.UTF_8);
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, lastLine + 1);
    if (!crcLine.equals("crc32c=" + Long.toHexString(crc.getValue()))) {
      throw new IllegalArgumentException("checksum mismatch");
    }
    String[] lines = new String(bytes, 0, lastLine, StandardCharsets.UTF_8).split("\n");
    if (lines.length < 4 || !lines[0].equals(HEADER)) {
      throw new IllegalArgumentException("bad header");
    }
    long durable = Long.parseLong(value(lines[1], "durableIndex"));
    long nextSeq = Long.parseLong(value(lines[2], "nextSeq"));
    String index = value(lines[3], "index");
    List<SegmentMeta> segs = new ArrayList<>();
    for (int i = 4; i < lines.length; i++) {
      String[] f = lines[i].split(" ");
      if (f.length != 9 || !f[0].equals("segment")) {
        throw new IllegalArgumentException("bad segment line " + i);
      }
      segs.add(new SegmentMeta(f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
          Long.parseLong(f[5]), Long.parseLong(f[6]), Integer.parseInt(f[7]), Long.parseLong(f[8])));
    }
    return new Manifest(durable, nextSeq, index.equals("-") ? null : index, segs);
  }

  private static String value(String line, String key) {
    if (!line.startsWith(key + "=")) {
      throw new IllegalArgumentException("expected " + key);
    }
    return line.substring(key.length() + 1);
  }
}
