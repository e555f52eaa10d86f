package io.quiver.web.internal;

import static io.quiver.web.internal.RemoteWriteProtos.label;
import static io.quiver.web.internal.RemoteWriteProtos.sample;
import static io.quiver.web.internal.RemoteWriteProtos.series;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.DynamicMessage;
import io.quiver.columnar.SeriesSamples;
import io.quiver.index.LabelLimits;
import io.quiver.index.Labels;
import io.quiver.web.ErrorCode;
import io.quiver.web.WebConfig;
import io.quiver.web.bench.RemoteWriteEncoder;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteWriteAdapterTest {
  static final long STALE_NAN = 0x7ff0000000000002L;

  private final RemoteWriteAdapter adapter = new RemoteWriteAdapter(WebConfig.defaults());

  private DecodeResult v1(byte[] raw) {
    byte[] body = RemoteWriteEncoder.snappy(raw);
    return adapter.decode(body, body.length, RemoteWriteAdapter.Version.V1);
  }

  @Test
  void shouldDecodePayloadBuiltWithOfficialSchema() {
    byte[] raw = RemoteWriteProtos.writeRequest(
        series(List.of(label("__name__", "up"), label("job", "node")), List.of(sample(1.5, 1000), sample(2, 2000))),
        series(List.of(label("__name__", "temp"), label("zone", "a")), List.of(sample(-3.25, -5))));
    DecodeResult r = v1(raw);
    assertThat(r.isOk()).as(r.message()).isTrue();
    assertThat(r.samples()).isEqualTo(3);
    List<SeriesSamples> s = r.batch().series();
    assertThat(s).hasSize(2);
    assertThat(s.get(0).labels()).isEqualTo(Labels.of("__name__", "up", "job", "node"));
    assertThat(s.get(0).timestampsMs()).containsExactly(1000, 2000);
    assertThat(s.get(0).value(0)).isEqualTo(1.5);
    assertThat(s.get(1).timestampsMs()).containsExactly(-5);
    assertThat(s.get(1).value(0)).isEqualTo(-3.25);
  }

  @Test
  void shouldAgreeWithHandEncoderByteForByte() {
    List<SeriesSamples> in = List.of(new SeriesSamples(Labels.of("__name__", "a", "x", "y"),
        new long[] {1, 2}, new long[] {Double.doubleToRawLongBits(1.0), Double.doubleToRawLongBits(7.0)}));
    byte[] hand = RemoteWriteEncoder.encode(in);
    byte[] official = RemoteWriteProtos.writeRequest(
        series(List.of(label("__name__", "a"), label("x", "y")), List.of(sample(1.0, 1), sample(7.0, 2))));
    assertThat(hand).isEqualTo(official);
  }

  @Test
  void shouldKeepStaleMarkerBitsWhenValueIsSignallingNan() {
    List<SeriesSamples> in = List.of(new SeriesSamples(Labels.of("__name__", "up"), new long[] {10},
        new long[] {STALE_NAN}));
    DecodeResult r = v1(RemoteWriteEncoder.encode(in));
    assertThat(r.batch().series().get(0).valueBits()).containsExactly(STALE_NAN);
  }

  @Test
  void shouldDefaultMissingValueAndTimestampToZero() {
    DynamicMessage empty = RemoteWriteProtos.builder(RemoteWriteProtos.SAMPLE).build();
    DecodeResult r = v1(RemoteWriteProtos.writeRequest(series(List.of(label("__name__", "z")), List.of(empty))));
    assertThat(r.isOk()).isTrue();
    assertThat(r.batch().series().get(0).timestampsMs()).containsExactly(0);
    assertThat(r.batch().series().get(0).valueBits()).containsExactly(0L);
  }

  @Test
  void shouldSortLabelsWhenSenderDidNot() {
    DecodeResult r = v1(RemoteWriteProtos.writeRequest(
        series(List.of(label("zz", "1"), label("__name__", "m"), label("aa", "2")), List.of(sample(1, 1)))));
    assertThat(r.batch().series().get(0).labels()).isEqualTo(Labels.of("__name__", "m", "aa", "2", "zz", "1"));
  }

  @Test
  void shouldAcceptMetadataOnlyRequestAndStoreNothing() {
    DynamicMessage md = RemoteWriteProtos.builder(RemoteWriteProtos.METADATA)
        .setField(RemoteWriteProtos.METADATA.findFieldByName("type"), 1)
        .setField(RemoteWriteProtos.METADATA.findFieldByName("metric_family_name"), "up")
        .setField(RemoteWriteProtos.METADATA.findFieldByName("help"), "is it up").build();
    byte[] raw = RemoteWriteProtos.builder(RemoteWriteProtos.WRITE_REQUEST)
        .addRepeatedField(RemoteWriteProtos.WRITE_REQUEST.findFieldByName("metadata"), md).build().toByteArray();
    DecodeResult r = v1(raw);
    assertThat(r.isOk()).isTrue();
    assertThat(r.batch().series()).isEmpty();
  }

  @Test
  void shouldSkipExemplarsAndRejectHistograms() {
    DynamicMessage ex = RemoteWriteProtos.builder(RemoteWriteProtos.EXEMPLAR)
        .addRepeatedField(RemoteWriteProtos.EXEMPLAR.findFieldByName("labels"), label("trace_id", "abc"))
        .setField(RemoteWriteProtos.EXEMPLAR.findFieldByName("value"), 1.0).build();
    DynamicMessage withEx = series(List.of(label("__name__", "e")), List.of(sample(1, 1))).toBuilder()
        .addRepeatedField(RemoteWriteProtos.TIME_SERIES.findFieldByName("exemplars"), ex).build();
    DecodeResult ok = v1(RemoteWriteProtos.writeRequest(withEx));
    assertThat(ok.isOk()).isTrue();
    assertThat(ok.samples()).isEqualTo(1);

    DynamicMessage h = RemoteWriteProtos.builder(RemoteWriteProtos.HISTOGRAM)
        .setField(RemoteWriteProtos.HISTOGRAM.findFieldByName("count_int"), 3L).build();
    DynamicMessage withH = series(List.of(label("__name__", "h")), List.of()).toBuilder()
        .addRepeatedField(RemoteWriteProtos.TIME_SERIES.findFieldByName("histograms"), h).build();
    DecodeResult bad = v1(RemoteWriteProtos.writeRequest(withH));
    assertThat(bad.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(bad.message()).contains("histograms").contains("series=0");
  }

  @Test
  void shouldRejectInvalidLabelsNamingTheSeries() {
    assertBad(v1(RemoteWriteProtos.writeRequest(series(List.of(label("__name__", "a")), List.of(sample(1, 1))),
        series(List.of(label("__name__", "b"), label("bad-name", "x")), List.of(sample(1, 1))))),
        "invalid label name", "series=1");
    assertBad(v1(RemoteWriteProtos.writeRequest(series(List.of(label("", "x")), List.of(sample(1, 1))))),
        "empty label name", "series=0");
    assertBad(v1(RemoteWriteProtos.writeRequest(series(List.of(label("a", "x"), label("a", "y")),
        List.of(sample(1, 1))))), "duplicate", "series=0");
    assertBad(v1(RemoteWriteProtos.writeRequest(series(List.of(), List.of(sample(1, 1))))), "without labels",
        "series=0");
  }

  @Test
  void shouldEnforceLabelAndRequestLimits() {
    WebConfig tight = WebConfig.defaults().withRequestLimits(2, 3, new LabelLimits(2, 8, 8));
    RemoteWriteAdapter a = new RemoteWriteAdapter(tight);
    byte[] tooManyLabels = RemoteWriteEncoder.snappy(RemoteWriteProtos.writeRequest(series(
        List.of(label("__name__", "a"), label("b", "c"), label("d", "e")), List.of(sample(1, 1)))));
    assertBad(a.decode(tooManyLabels, tooManyLabels.length, RemoteWriteAdapter.Version.V1), "too many labels");
    byte[] longValue = RemoteWriteEncoder.snappy(RemoteWriteProtos.writeRequest(series(
        List.of(label("__name__", "aaaaaaaaaaaa")), List.of(sample(1, 1)))));
    assertBad(a.decode(longValue, longValue.length, RemoteWriteAdapter.Version.V1), "label value too long");
    byte[] manySamples = RemoteWriteEncoder.snappy(RemoteWriteProtos.writeRequest(series(
        List.of(label("__name__", "a")), List.of(sample(1, 1), sample(1, 2), sample(1, 3), sample(1, 4)))));
    DecodeResult r = a.decode(manySamples, manySamples.length, RemoteWriteAdapter.Version.V1);
    assertThat(r.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
    byte[] manySeries = RemoteWriteEncoder.snappy(RemoteWriteProtos.writeRequest(
        series(List.of(label("__name__", "a")), List.of(sample(1, 1))),
        series(List.of(label("__name__", "b")), List.of(sample(1, 1))),
        series(List.of(label("__name__", "c")), List.of(sample(1, 1)))));
    r = a.decode(manySeries, manySeries.length, RemoteWriteAdapter.Version.V1);
    assertThat(r.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
    assertThat(r.message()).contains("too many series");
  }

  @Test
  void shouldRefuseDeclaredSizeOverCapBeforeAllocating() {
    // Preamble declares 4 GiB - 1; the body itself is tiny. Must be 413, not an OutOfMemoryError.
    byte[] body = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 0x00};
    DecodeResult r = adapter.decode(body, body.length, RemoteWriteAdapter.Version.V1);
    assertThat(r.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
  }

  @Test
  void shouldRejectGarbageAndTruncation() {
    byte[] garbage = "not snappy at all".getBytes();
    assertThat(adapter.decode(garbage, garbage.length, RemoteWriteAdapter.Version.V1).code())
        .isEqualTo(ErrorCode.BAD_REQUEST);
    byte[] raw = RemoteWriteProtos.writeRequest(series(List.of(label("__name__", "a")), List.of(sample(1, 1))));
    byte[] truncated = java.util.Arrays.copyOf(raw, raw.length - 3);
    assertThat(adapter.decodeV1(truncated, truncated.length).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    byte[] empty = RemoteWriteEncoder.snappy(new byte[0]);
    assertThat(adapter.decode(empty, empty.length, RemoteWriteAdapter.Version.V1).isOk()).isTrue();
    assertThat(adapter.decode(new byte[0], 0, RemoteWriteAdapter.Version.V1).code())
        .isEqualTo(ErrorCode.BAD_REQUEST);
  }

  @Test
  void shouldRejectInvalidUtf8InLabels() {
    DynamicMessage bad = RemoteWriteProtos.builder(RemoteWriteProtos.LABEL)
        .setField(RemoteWriteProtos.LABEL.findFieldByName("name"), "__name__")
        .setField(RemoteWriteProtos.LABEL.findFieldByName("value"), "x").build();
    byte[] raw = RemoteWriteProtos.writeRequest(series(List.of(bad), List.of(sample(1, 1))));
    // Replace the value byte 'x' with 0xFF (not UTF-8).
    for (int i = raw.length - 1; i >= 0; i--) {
      if (raw[i] == 'x') {
        raw[i] = (byte) 0xFF;
        break;
      }
    }
    assertThat(adapter.decodeV1(raw, raw.length).code()).isEqualTo(ErrorCode.BAD_REQUEST);
  }

  @Test
  void shouldDecodeV2WithSymbolTable() {
    DynamicMessage ts = RemoteWriteProtos.builder(RemoteWriteProtos.V2_TIME_SERIES)
        .addRepeatedField(RemoteWriteProtos.V2_TIME_SERIES.findFieldByName("labels_refs"), 1)
        .addRepeatedField(RemoteWriteProtos.V2_TIME_SERIES.findFieldByName("labels_refs"), 2)
        .addRepeatedField(RemoteWriteProtos.V2_TIME_SERIES.findFieldByName("labels_refs"), 3)
        .addRepeatedField(RemoteWriteProtos.V2_TIME_SERIES.findFieldByName("labels_refs"), 4)
        .addRepeatedField(RemoteWriteProtos.V2_TIME_SERIES.findFieldByName("samples"),
            RemoteWriteProtos.builder(RemoteWriteProtos.V2_SAMPLE)
                .setField(RemoteWriteProtos.V2_SAMPLE.findFieldByName("value"), Double.longBitsToDouble(STALE_NAN))
                .setField(RemoteWriteProtos.V2_SAMPLE.findFieldByName("timestamp"), 77L).build())
        .build();
    byte[] raw = RemoteWriteProtos.builder(RemoteWriteProtos.V2_REQUEST)
        .addRepeatedField(RemoteWriteProtos.V2_REQUEST.findFieldByName("timeseries"), ts)
        .addRepeatedField(RemoteWriteProtos.V2_REQUEST.findFieldByName("symbols"), "")
        .addRepeatedField(RemoteWriteProtos.V2_REQUEST.findFieldByName("symbols"), "__name__")
        .addRepeatedField(RemoteWriteProtos.V2_REQUEST.findFieldByName("symbols"), "up")
        .addRepeatedField(RemoteWriteProtos.V2_REQUEST.findFieldByName("symbols"), "job")
        .addRepeatedField(RemoteWriteProtos.V2_REQUEST.findFieldByName("symbols"), "node")
        .build().toByteArray();
    DecodeResult r = adapter.decodeV2(raw, raw.length);
    assertThat(r.isOk()).as(r.message()).isTrue();
    SeriesSamples s = r.batch().series().get(0);
    assertThat(s.labels()).isEqualTo(Labels.of("__name__", "up", "job", "node"));
    assertThat(s.timestampsMs()).containsExactly(77);
    assertThat(Double.isNaN(s.value(0))).isTrue();

    // The same bytes read as 1.0 hold no v1 fields: an empty request, as the spec intends.
    assertThat(adapter.decodeV1(raw, raw.length).batch().series()).isEmpty();

    DynamicMessage badRef = ts.toBuilder()
        .addRepeatedField(RemoteWriteProtos.V2_TIME_SERIES.findFieldByName("labels_refs"), 9)
        .addRepeatedField(RemoteWriteProtos.V2_TIME_SERIES.findFieldByName("labels_refs"), 2).build();
    byte[] rawBad = RemoteWriteProtos.builder(RemoteWriteProtos.V2_REQUEST)
        .addRepeatedField(RemoteWriteProtos.V2_REQUEST.findFieldByName("symbols"), "")
        .addRepeatedField(RemoteWriteProtos.V2_REQUEST.findFieldByName("symbols"), "a")
        .addRepeatedField(RemoteWriteProtos.V2_REQUEST.findFieldByName("symbols"), "b")
        .addRepeatedField(RemoteWriteProtos.V2_REQUEST.findFieldByName("symbols"), "c")
        .addRepeatedField(RemoteWriteProtos.V2_REQUEST.findFieldByName("symbols"), "d")
        .addRepeatedField(RemoteWriteProtos.V2_REQUEST.findFieldByName("timeseries"), badRef)
        .build().toByteArray();
    assertBad(adapter.decodeV2(rawBad, rawBad.length), "out of range");
  }

  @Test
  void shouldSkipUnknownFields() {
    DynamicMessage s = series(List.of(label("__name__", "u")), List.of(sample(4, 4)));
    byte[] known = RemoteWriteProtos.writeRequest(s);
    // Append an unknown length-delimited field 9 and an unknown varint field 10 at the top level.
    ByteString extra = ByteString.copyFrom(new byte[] {0x4A, 0x02, 0x01, 0x02, 0x50, 0x05});
    byte[] raw = ByteString.copyFrom(known).concat(extra).toByteArray();
    DecodeResult r = adapter.decodeV1(raw, raw.length);
    assertThat(r.isOk()).isTrue();
    assertThat(r.samples()).isEqualTo(1);
  }

  @Test
  void shouldDecodeTheSameWhenLabelSetComesFromTheCache() {
    byte[] raw = RemoteWriteProtos.writeRequest(
        series(List.of(label("__name__", "up"), label("job", "a")), List.of(sample(1, 1))),
        series(List.of(label("job", "a"), label("__name__", "up")), List.of(sample(2, 2))));
    DecodeResult first = adapter.decodeV1(raw, raw.length);
    DecodeResult second = adapter.decodeV1(raw, raw.length);
    assertThat(second.batch().series()).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(second.batch().series().get(i).labels()).isEqualTo(first.batch().series().get(i).labels());
      assertThat(second.batch().series().get(i).valueBits()).isEqualTo(first.batch().series().get(i).valueBits());
    }
    // A label after the samples joins the cached ones; the combined set is validated again.
    DynamicMessage interleaved = series(List.of(label("__name__", "up"), label("job", "a")), List.of(sample(3, 3)))
        .toBuilder().addRepeatedField(RemoteWriteProtos.TIME_SERIES.findFieldByName("labels"), label("zone", "z"))
        .build();
    byte[] raw2 = RemoteWriteProtos.writeRequest(interleaved);
    assertThat(adapter.decodeV1(raw2, raw2.length).batch().series().get(0).labels())
        .isEqualTo(Labels.of("__name__", "up", "job", "a", "zone", "z"));
    DynamicMessage dup = series(List.of(label("__name__", "up"), label("job", "a")), List.of(sample(3, 3)))
        .toBuilder().addRepeatedField(RemoteWriteProtos.TIME_SERIES.findFieldByName("labels"), label("job", "b"))
        .build();
    byte[] raw3 = RemoteWriteProtos.writeRequest(dup);
    assertBad(adapter.decodeV1(raw3, raw3.length), "duplicate");
  }

  static void assertBad(DecodeResult r, String... fragments) {
    assertThat(r.isOk()).isFalse();
    assertThat(r.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    for (String f : fragments) {
      assertThat(r.message()).contains(f);
    }
  }
}
