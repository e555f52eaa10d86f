package io.quiver.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.columnar.SeriesSamples;
import io.quiver.index.Labels;
import io.quiver.web.ErrorCode;
import io.quiver.web.WebConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonImportAdapterTest {
  private final JsonImportAdapter adapter = new JsonImportAdapter(WebConfig.defaults());

  private DecodeResult parse(String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return adapter.decode(b, b.length);
  }

  @Test
  void shouldDecodeLabelsAndSamples() {
    DecodeResult r = parse("{\"labels\":{\"__name__\":\"x\",\"job\":\"a\"},\"samples\":[[1,2.5],[2,-1],[3,\"NaN\"],"
        + "[4,\"+Inf\"],[5,\"-Inf\"],[6,1e300]]}\n\n{\"labels\":{\"__name__\":\"y\"},\"samples\":[[7,0]]}");
    assertThat(r.isOk()).as(r.message()).isTrue();
    assertThat(r.samples()).isEqualTo(7);
    SeriesSamples s = r.batch().series().get(0);
    assertThat(s.labels()).isEqualTo(Labels.of("__name__", "x", "job", "a"));
    assertThat(s.timestampsMs()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(s.value(0)).isEqualTo(2.5);
    assertThat(s.valueBits()[2]).isEqualTo(0x7ff8000000000000L);
    assertThat(s.value(3)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(s.value(4)).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void shouldReadExportShapeWithNanPayload() {
    DecodeResult r = parse("{\"metric\":{\"__name__\":\"up\"},\"values\":[1,\"NaN:0x7ff0000000000002\"],"
        + "\"timestamps\":[10,20]}");
    assertThat(r.isOk()).as(r.message()).isTrue();
    assertThat(r.batch().series().get(0).valueBits())
        .containsExactly(Double.doubleToRawLongBits(1.0), 0x7ff0000000000002L);
  }

  @Test
  void shouldFormatValuesSoThatImportReadsThemBack() {
    for (long bits : new long[] {0x7ff0000000000002L, 0x7ff8000000000000L, 0xfff8000000000001L,
        Double.doubleToRawLongBits(Double.POSITIVE_INFINITY), Double.doubleToRawLongBits(-0.0),
        Double.doubleToRawLongBits(Double.MIN_VALUE), Double.doubleToRawLongBits(123.456)}) {
      String text = JsonImportAdapter.formatValue(bits);
      DecodeResult r = parse("{\"labels\":{\"__name__\":\"v\"},\"samples\":[[1," + text + "]]}");
      assertThat(r.isOk()).as(text).isTrue();
      assertThat(r.batch().series().get(0).valueBits()[0]).as(text).isEqualTo(bits);
    }
  }

  @Test
  void shouldRejectBadInputNamingTheLine() {
    String good = "{\"labels\":{\"__name__\":\"x\"},\"samples\":[[1,1]]}\n";
    for (String bad : List.of(
        "{\"labels\":{\"__name__\":\"x\"},\"samples\":[[1,\"nan?\"]]}",
        "{\"labels\":{\"__name__\":\"x\"},\"samples\":[[1,\"1.5\"]]}",
        "{\"labels\":{\"__name__\":\"x\"},\"samples\":[[1.5,1]]}",
        "{\"labels\":{\"__name__\":\"x\"},\"samples\":[[1]]}",
        "{\"labels\":{\"__name__\":\"x\"},\"samples\":[[1,2,3]]}",
        "{\"labels\":{\"__name__\":\"x\"},\"samples\":[1,2]}",
        "{\"labels\":{\"__name__\":\"x\"},\"samples\":[[1,null]]}",
        "{\"labels\":{\"__name__\":1},\"samples\":[[1,1]]}",
        "{\"labels\":{\"bad-name\":\"v\"},\"samples\":[[1,1]]}",
        "{\"labels\":{},\"samples\":[[1,1]]}",
        "{\"samples\":[[1,1]]}",
        "{\"labels\":{\"__name__\":\"x\"}}",
        "{\"labels\":{\"__name__\":\"x\"},\"samples\":[[1,1]],\"extra\":1}",
        "{\"labels\":{\"__name__\":\"x\"},\"samples\":[[1,1]]} trailing",
        "{\"labels\":{\"__name__\":\"x\"},\"samples\":[[1,1]]",
        "{\"labels\":{\"__name__\":\"x\"},\"samples\":[[99999999999999999999,1]]}",
        "{\"metric\":{\"__name__\":\"x\"},\"values\":[1,2],\"timestamps\":[1]}",
        "[1,2]",
        "not json")) {
      DecodeResult r = parse(good + bad);
      assertThat(r.code()).as(bad).isEqualTo(ErrorCode.BAD_REQUEST);
      assertThat(r.message()).as(bad).contains("line=2");
    }
  }
}
