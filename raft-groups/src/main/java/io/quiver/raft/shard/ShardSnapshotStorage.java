package io.quiver.raft.shard;

import io.quiver.raft.RaftException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Multi-file snapshots of a shard under the group's state-machine directory ({@code <group>/sm/}), the directory
 * Ratis replaces wholesale when a leader installs a snapshot on a follower.
 *
 * <p>A snapshot is the store's checkpoint files (under {@code sm/store/}) plus one small manifest
 * {@code sm/shard-snapshot.<term>_<index>} naming the snapshot's term/index, the epoch fence in force at that index
 * and the checkpoint files (relative to {@code sm/}). The manifest is written to a temporary name, fsync'd and renamed,
 * so it exists only once complete. Loading ignores the {@code .md5} siblings Ratis writes next to received files.
 */
final class ShardSnapshotStorage implements StateMachineStorage {
  private static final Logger LOG = LoggerFactory.getLogger(ShardSnapshotStorage.class);
  static final String STORE_DIR = "store";
  private static final String PREFIX = "shard-snapshot.";
  private static final Pattern NAME = Pattern.compile("shard-snapshot\\.(\\d+)_(\\d+)");
  private static final int MAGIC = 0x51534D31; // "QSM1"
  private static final int KEEP = 2;

  private volatile Path smDir;
  private volatile Loaded latest;

  /** A loaded manifest: the Ratis view plus the epoch fence at the snapshot index. */
  record Loaded(FileListSnapshotInfo info, long fenceEpoch, Path manifest) {}

  @Override
  public void init(RaftStorage raftStorage) throws IOException {
    smDir = raftStorage.getStorageDir().getStateMachineDir().toPath();
    Files.createDirectories(smDir);
  }

  Path smDir() {
    return smDir;
  }

  Path storeDir() {
    return smDir.resolve(STORE_DIR);
  }

  @Override
  public FileListSnapshotInfo getLatestSnapshot() {
    Loaded l = latest;
    return l == null ? null : l.info();
  }

  Loaded latest() {
    return latest;
  }

  /**
   * Re-scans the directory (after a restart or a snapshot install) and loads the newest readable manifest.
   *
   * @return the newest snapshot, or {@code null} if there is none
   * @throws IOException if manifests exist but none can be read with all its files present
   */
  Loaded reload() throws IOException {
    latest = null;
    List<Path> manifests = manifests();
    IOException first = null;
    for (int i = manifests.size() - 1; i >= 0; i--) {
      try {
        latest = read(manifests.get(i));
        return latest;
      } catch (IOException | RaftException e) {
        LOG.error("snapshot manifest unreadable, trying an older one [file={}, error={}]", manifests.get(i), e.toString());
        if (first == null) {
          first = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
      }
    }
    if (first != null) {
      throw new IOException("no readable shard snapshot [dir=" + smDir + "]", first);
    }
    return null;
  }

  /** Writes a manifest for {@code checkpoint} at {@code termIndex} and makes it the latest snapshot. */
  Loaded write(TermIndex termIndex, long fenceEpoch, ShardData.Checkpoint checkpoint) throws IOException {
    ByteSink out = new ByteSink(256);
    out.putIntLe(MAGIC);
    out.putVarLong(termIndex.getTerm());
    out.putVarLong(termIndex.getIndex());
    out.putVarLong(fenceEpoch);
    out.putVarLong(checkpoint.files().size());
    for (Path f : checkpoint.files()) {
      Path rel = smDir.relativize(f.toAbsolutePath().normalize());
      if (rel.startsWith("..")) {
        throw new IOException("checkpoint file outside the state-machine dir [file=" + f + ", dir=" + smDir + "]");
      }
      byte[] utf8 = rel.toString().getBytes(StandardCharsets.UTF_8);
      out.putVarLong(utf8.length);
      out.put(utf8);
    }
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putIntLe((int) crc.getValue());
    Path target = smDir.resolve(PREFIX + termIndex.getTerm() + "_" + termIndex.getIndex());
    Path tmp = smDir.resolve(target.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(out.array(), 0, out.position()));
      ch.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    latest = read(target);
    return latest;
  }

  @Override
  public void format() {
    // nothing: the directory is created on init
  }

  @Override
  public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
    int keep = Math.max(KEEP, policy == null ? KEEP : policy.getNumSnapshotsRetained());
    List<Path> manifests = manifests();
    for (int i = 0; i < manifests.size() - keep; i++) {
      Files.deleteIfExists(manifests.get(i));
      Files.deleteIfExists(manifests.get(i).resolveSibling(manifests.get(i).getFileName() + ".md5"));
    }
  }

  private List<Path> manifests() throws IOException {
    if (smDir == null || !Files.isDirectory(smDir)) {
      return List.of();
    }
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(smDir)) {
      s.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).forEach(out::add);
    }
    out.sort(Comparator.comparingLong(ShardSnapshotStorage::indexOf));
    return out;
  }

  private static long indexOf(Path manifest) {
    Matcher m = NAME.matcher(manifest.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(2)) : -1;
  }

  private Loaded read(Path manifest) throws IOException {
    byte[] bytes = Files.readAllBytes(manifest);
    if (bytes.length < 8) {
      throw new IOException("snapshot manifest truncated [file=" + manifest + "]");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    ByteSource trailer = new ByteSource(bytes, bytes.length - 4, 4);
    if (trailer.getIntLe() != (int) crc.getValue()) {
      throw new IOException("snapshot manifest checksum mismatch [file=" + manifest + "]");
    }
    ByteSource in = new ByteSource(bytes, 0, bytes.length - 4);
    if (in.getIntLe() != MAGIC) {
      throw new IOException("not a shard snapshot manifest [file=" + manifest + "]");
    }
    long term = in.getVarLong();
    long index = in.getVarLong();
    long fence = in.getVarLong();
    int count = in.getCount("file count", in.remaining());
    List<FileInfo> files = new ArrayList<>(count + 1);
    for (int i = 0; i < count; i++) {
      Path f = smDir.resolve(in.getUtf8()).normalize();
      if (!f.startsWith(smDir) || !Files.isRegularFile(f)) {
        throw new IOException("snapshot file missing [manifest=" + manifest + ", file=" + f + "]");
      }
      files.add(new FileInfo(f, null));
    }
    files.add(new FileInfo(manifest, null));
    return new Loaded(new FileListSnapshotInfo(files, term, index), fence, manifest);
  }
}
