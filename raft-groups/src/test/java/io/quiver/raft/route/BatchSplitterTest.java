package io.quiver.raft.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.WriteBatch;
import io.quiver.index.Labels;
import io.quiver.placement.ShardFunction;
import io.quiver.raft.shard.ShardEntry;
import io.quiver.raft.shard.ShardLogCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchSplitterTest {
  @Test
  void shouldSendEverySeriesToItsJumpHashShard() {
    List<SeriesSamples> series = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      series.add(SeriesSamples.of(Labels.of("__name__", "m", "i", Integer.toString(i)), i, i));
    }
    Map<Integer, WriteBatch> parts = BatchSplitter.byShard(new WriteBatch(series), 16);
    ShardFunction f = new ShardFunction(16);
    long total = 0;
    for (Map.Entry<Integer, WriteBatch> e : parts.entrySet()) {
      for (SeriesSamples s : e.getValue().series()) {
        assertThat(f.shardOf(s.labels().hash64())).isEqualTo(e.getKey());
      }
      total += e.getValue().sampleCount();
    }
    assertThat(total).isEqualTo(500);
    assertThat(parts).hasSize(16);
  }

  @Test
  void shouldCapEncodedChunksAndKeepEverySample() {
    long[] ts = new long[200_000];
    long[] vs = new long[200_000];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = i * 7L;
      vs[i] = Double.doubleToRawLongBits(Math.sin(i));
    }
    List<SeriesSamples> series = new ArrayList<>();
    series.add(new SeriesSamples(Labels.of("__name__", "huge"), ts, vs));
    for (int i = 0; i < 3000; i++) {
      series.add(SeriesSamples.of(Labels.of("__name__", "small", "i", Integer.toString(i)), i, i));
    }
    WriteBatch batch = new WriteBatch(series);
    List<BatchSplitter.Body> chunks =
        BatchSplitter.cappedBodies(batch, 64 * 1024 - ShardLogCodec.writesOverhead(1));
    assertThat(chunks.size()).isGreaterThan(20);
    long samples = 0;
    for (BatchSplitter.Body c : chunks) {
      byte[] entry = ShardLogCodec.encodeWrites(7, List.of(c.body()));
      assertThat(entry.length).isLessThanOrEqualTo(64 * 1024);
      WriteBatch decoded = ((ShardEntry.Write) ShardLogCodec.decode(entry)).batch();
      assertThat(decoded.sampleCount()).isEqualTo(c.batch().sampleCount());
      assertThat(decoded.series()).extracting(SeriesSamples::labels)
          .containsExactlyElementsOf(c.batch().series().stream().map(SeriesSamples::labels).toList());
      samples += c.batch().sampleCount();
    }
    assertThat(samples).isEqualTo(batch.sampleCount());
  }
}
