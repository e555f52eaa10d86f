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
  private BatchSplitter() {}

  /** Series grouped by shard, in shard order; series order within a shard is kept. */
  static Map<Integer, WriteBatch> byShard(WriteBatch batch, int shardCount) {
    ShardFunction f = new ShardFunction(shardCount);
    List<List<SeriesSamples>> lists = new ArrayList<>(shardCount);
    for (int i = 0; i < shardCount; i++) {
      lists.add(null);
    }
    for (SeriesSamples s : batch.series()) {
      if (s.size() == 0) {
        continue;
      }
      int shard = f.shardOf(s.labels().hash64());
      List<SeriesSamples> list = lists.get(shard);
      if (list == null) {
        list = new ArrayList<>();
        lists.set(shard, list);
      }
      list.add(s);
    }
    Map<Integer, WriteBatch> out = new TreeMap<>();
    for (int shard = 0; shard < shardCount; shard++) {
      if (lists.get(shard) != null) {
        out.put(shard, new WriteBatch(lists.get(shard)));
      }
    }
    return out;
  }

  /**
   * Chunks of {@code batch} whose encoded body stays under {@code maxBodyBytes}: halves the series list, and a single
   * oversized series is split by samples. A single sample that is still too large (huge labels) is returned as is and
   * rejected by the replica with BATCH_TOO_LARGE.
   */
  static List<WriteBatch> capped(WriteBatch batch, int maxBodyBytes) {
    return cappedBodies(batch, maxBodyBytes).stream().map(Body::batch).toList();
  }

  /**
   * A chunk and its encoded body ({@link ShardLogCodec#encodeWriteBody}), so the router encodes each sample once.
   *
   * @param batch the chunk
   * @param body the encoded body
   */
  record Body(WriteBatch batch, byte[] body) {}

  /** As {@link #capped} but keeps the encodings. */
  static List<Body> cappedBodies(WriteBatch batch, int maxBodyBytes) {
    List<Body> out = new ArrayList<>();
    cap(batch, Math.max(1024, maxBodyBytes), out);
    return out;
  }

  private static void cap(WriteBatch batch, int maxBytes, List<Body> out) {
    byte[] bytes = ShardLogCodec.encodeWriteBody(batch);
    if (bytes.length <= maxBytes) {
      out.add(new Body(batch, bytes));
      return;
    }
    List<SeriesSamples> series = batch.series();
    if (series.size() > 1) {
      int mid = series.size() / 2;
      cap(new WriteBatch(series.subList(0, mid)), maxBytes, out);
      cap(new WriteBatch(series.subList(mid, series.size())), maxBytes, out);
      return;
    }
    SeriesSamples s = series.get(0);
    if (s.size() <= 1) {
      out.add(new Body(batch, bytes));
      return;
    }
    int mid = s.size() / 2;
    cap(new WriteBatch(List.of(slice(s, 0, mid))), maxBytes, out);
    cap(new WriteBatch(List.of(slice(s, mid, s.size()))), maxBytes, out);
  }

  private static SeriesSamples slice(SeriesSamples s, int from, int to) {
    return new SeriesSamples(s.labels(), Arrays.copyOfRange(s.timestampsMs(), from, to),
        Arrays.copyOfRange(s.valueBits(), from, to));
  }
}
