package io.quiver.raft.shard;

import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.WriteBatch;
import io.quiver.index.Labels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

/**
 * A small file-backed {@link ShardData} for raft-data tests (the columnar ShardStore is built in parallel): all
 * samples in memory; a checkpoint writes the whole state as one immutable file {@code chk-<index>.bin} (encoded with
 * {@link ShardLogCodec}), fsync'd and renamed into place; open loads the newest checkpoint.
 */
public final class FileShardData implements ShardData {
  private final Path dir;
  private final Map<Labels, NavigableMap<Long, Long>> series = new ConcurrentHashMap<>();
  private volatile long lastApplied;
  private volatile long lastDurable;
  private volatile boolean closed;

  private FileShardData(Path dir) {
    this.dir = dir;
  }

  public static FileShardData open(Path dir) throws IOException {
    Files.createDirectories(dir);
    FileShardData d = new FileShardData(dir);
    List<Path> chks = checkpoints(dir);
    if (!chks.isEmpty()) {
      Path newest = chks.get(chks.size() - 1);
      ShardEntry.Write w = (ShardEntry.Write) ShardLogCodec.decode(Files.readAllBytes(newest));
      d.put(w.batch());
      d.lastApplied = indexOf(newest);
      d.lastDurable = d.lastApplied;
    }
    return d;
  }

  private static List<Path> checkpoints(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches("chk-\\d+\\.bin"))
          .sorted(Comparator.comparingLong(FileShardData::indexOf)).toList();
    }
  }

  private static long indexOf(Path p) {
    String n = p.getFileName().toString();
    return Long.parseLong(n.substring(4, n.length() - 4));
  }

  private void put(WriteBatch batch) {
    for (SeriesSamples s : batch.series()) {
      NavigableMap<Long, Long> m = series.computeIfAbsent(s.labels(), k -> new ConcurrentSkipListMap<>());
      for (int i = 0; i < s.size(); i++) {
        m.put(s.timestampsMs()[i], s.valueBits()[i]);
      }
    }
  }

  @Override
  public void write(WriteBatch batch, long logIndex) {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    put(batch);
    lastApplied = logIndex;
  }

  @Override
  public long lastAppliedIndex() {
    return lastApplied;
  }

  @Override
  public long lastDurableIndex() {
    return lastDurable;
  }

  @Override
  public Checkpoint checkpoint() throws IOException {
    long index = lastApplied;
    Path target = dir.resolve("chk-" + index + ".bin");
    if (!Files.exists(target)) {
      byte[] bytes = ShardLogCodec.encodeWrite(0, snapshotBatch());
      Path tmp = dir.resolve("chk-" + index + ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(ByteBuffer.wrap(bytes));
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }
    lastDurable = index;
    List<Path> all = checkpoints(dir);
    for (int i = 0; i < all.size() - 3; i++) {
      Files.deleteIfExists(all.get(i));
    }
    return new Checkpoint(index, List.of(target));
  }

  private WriteBatch snapshotBatch() {
    List<SeriesSamples> out = new ArrayList<>();
    series.forEach((labels, m) -> {
      long[] ts = new long[m.size()];
      long[] vs = new long[m.size()];
      int i = 0;
      for (Map.Entry<Long, Long> e : m.entrySet()) {
        if (i == ts.length) {
          break;
        }
        ts[i] = e.getKey();
        vs[i] = e.getValue();
        i++;
      }
      out.add(new SeriesSamples(labels, java.util.Arrays.copyOf(ts, i), java.util.Arrays.copyOf(vs, i)));
    });
    return new WriteBatch(out);
  }

  /** Value bits at (labels, ts), or null. */
  public Long get(Labels labels, long ts) {
    NavigableMap<Long, Long> m = series.get(labels);
    return m == null ? null : m.get(ts);
  }

  public long sampleCount() {
    long n = 0;
    for (NavigableMap<Long, Long> m : series.values()) {
      n += m.size();
    }
    return n;
  }

  @Override
  public void close() {
    closed = true;
  }

  public static Opener opener() {
    return dir -> {
      try {
        return open(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }
}
