package io.quiver.raft.route;

import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.WriteBatch;
import io.quiver.placement.ShardFunction;
import io.quiver.raft.shard.ShardLogCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Splits a write batch by shard (jump hash of the series' label hash) and caps each shard batch's encoded size. */
final class BatchSplitter {
  /** Headroom for the epoch varint changing between encodings (a few bytes at most). */
  private static final int EPOCH_SLACK_BYTES = 16;

  private BatchSplitter() {}

  /** Series grouped by shard, in shard order; series order within a shard is kept. */
  static Map<Integer, WriteBatch> byShard(WriteBatch batch, int shardCount) {
    ShardFunction f = new ShardFunction(shardCount);
    Map<Integer, List<SeriesSamples>> lists = new TreeMap<>();
    for (SeriesSamples s : batch.series()) {
      if (s.size() == 0) {
        continue;
      }
      lists.computeIfAbsent(f.shardOf(s.labels().hash64()), k -> new ArrayList<>()).add(s);
    }
    Map<Integer, WriteBatch> out = new TreeMap<>();
    lists.forEach((shard, series) -> out.put(shard, new WriteBatch(series)));
    return out;
  }

  /**
   * Chunks of {@code batch} whose encoding stays under {@code maxBytes}: halves the series list, and a single
   * oversized series is split by samples. A single sample that is still too large (huge labels) is returned as is and
   * rejected by the replica with BATCH_TOO_LARGE.
   */
  static List<WriteBatch> capped(WriteBatch batch, long epoch, int maxBytes) {
    List<Encoded> out = new ArrayList<>();
    cap(batch, epoch, Math.max(1024, maxBytes - EPOCH_SLACK_BYTES), out);
    return out.stream().map(Encoded::batch).toList();
  }

  /**
   * A chunk and its encoding at {@code epoch} (reused for the first send, so the router encodes each sample once).
   *
   * @param batch the chunk
   * @param epoch the epoch the bytes carry
   * @param bytes the encoded entry
   */
  record Encoded(WriteBatch batch, long epoch, byte[] bytes) {}

  /** As {@link #capped} but keeps the encodings. */
  static List<Encoded> cappedEncoded(WriteBatch batch, long epoch, int maxBytes) {
    List<Encoded> out = new ArrayList<>();
    cap(batch, epoch, Math.max(1024, maxBytes - EPOCH_SLACK_BYTES), out);
    return out;
  }

  private static void cap(WriteBatch batch, long epoch, int maxBytes, List<Encoded> out) {
    byte[] bytes = ShardLogCodec.encodeWrite(epoch, batch);
    if (bytes.length <= maxBytes) {
      out.add(new Encoded(batch, epoch, bytes));
      return;
    }
    List<SeriesSamples> series = batch.series();
    if (series.size() > 1) {
      int mid = series.size() / 2;
      cap(new WriteBatch(series.subList(0, mid)), epoch, maxBytes, out);
      cap(new WriteBatch(series.subList(mid, series.size())), epoch, maxBytes, out);
      return;
    }
    SeriesSamples s = series.get(0);
    if (s.size() <= 1) {
      out.add(new Encoded(batch, epoch, bytes));
      return;
    }
    int mid = s.size() / 2;
    cap(new WriteBatch(List.of(slice(s, 0, mid))), epoch, maxBytes, out);
    cap(new WriteBatch(List.of(slice(s, mid, s.size()))), epoch, maxBytes, out);
  }

  private static SeriesSamples slice(SeriesSamples s, int from, int to) {
    return new SeriesSamples(s.labels(), Arrays.copyOfRange(s.timestampsMs(), from, to),
        Arrays.copyOfRange(s.valueBits(), from, to));
  }
}
