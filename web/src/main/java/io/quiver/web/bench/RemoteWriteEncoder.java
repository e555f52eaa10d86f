package io.quiver.web.bench;

import com.google.protobuf.CodedOutputStream;
import io.airlift.compress.snappy.SnappyCompressor;
import io.quiver.columnar.SeriesSamples;
import io.quiver.index.Labels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes Prometheus remote-write 1.0 requests ({@code prometheus.WriteRequest}, snappy block) by hand with
 * {@link CodedOutputStream}: the load generator's payloads, and test fixtures. Values are written as raw bits
 * (fixed64), so NaN payloads such as stale markers are sent exactly.
 */
public final class RemoteWriteEncoder {
  private RemoteWriteEncoder() {}

  /** The uncompressed protobuf of a WriteRequest holding {@code series}. */
  public static byte[] encode(List<SeriesSamples> series) {
    int total = 0;
    int[] sizes = new int[series.size()];
    for (int i = 0; i < series.size(); i++) {
      sizes[i] = seriesSize(series.get(i));
      total += 1 + CodedOutputStream.computeUInt32SizeNoTag(sizes[i]) + sizes[i];
    }
    byte[] out = new byte[total];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      for (int i = 0; i < series.size(); i++) {
        cos.writeTag(1, 2);
        cos.writeUInt32NoTag(sizes[i]);
        writeSeries(cos, series.get(i));
      }
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Snappy block compression (what Prometheus sends). */
  public static byte[] snappy(byte[] raw) {
    SnappyCompressor c = new SnappyCompressor();
    byte[] out = new byte[c.maxCompressedLength(raw.length)];
    int n = c.compress(raw, 0, raw.length, out, 0, out.length);
    return Arrays.copyOf(out, n);
  }

  private static int seriesSize(SeriesSamples s) {
    int size = 0;
    Labels labels = s.labels();
    for (int i = 0; i < labels.size(); i++) {
      int l = labelSize(labels.name(i), labels.value(i));
      size += 1 + CodedOutputStream.computeUInt32SizeNoTag(l) + l;
    }
    for (int i = 0; i < s.size(); i++) {
      int l = sampleSize(s.timestampsMs()[i]);
      size += 1 + CodedOutputStream.computeUInt32SizeNoTag(l) + l;
    }
    return size;
  }

  private static int labelSize(String name, String value) {
    int n = name.getBytes(StandardCharsets.UTF_8).length;
    int v = value.getBytes(StandardCharsets.UTF_8).length;
    return 1 + CodedOutputStream.computeUInt32SizeNoTag(n) + n + 1 + CodedOutputStream.computeUInt32SizeNoTag(v) + v;
  }

  private static int sampleSize(long ts) {
    return 1 + 8 + 1 + CodedOutputStream.computeInt64SizeNoTag(ts);
  }

  private static void writeSeries(CodedOutputStream cos, SeriesSamples s) throws IOException {
    Labels labels = s.labels();
    for (int i = 0; i < labels.size(); i++) {
      cos.writeTag(1, 2);
      cos.writeUInt32NoTag(labelSize(labels.name(i), labels.value(i)));
      cos.writeString(1, labels.name(i));
      cos.writeString(2, labels.value(i));
    }
    for (int i = 0; i < s.size(); i++) {
      long ts = s.timestampsMs()[i];
      cos.writeTag(2, 2);
      cos.writeUInt32NoTag(sampleSize(ts));
      cos.writeFixed64(1, s.valueBits()[i]);
      cos.writeInt64(2, ts);
    }
  }
}
