package io.quiver.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.columnar.SeriesSamples;
import io.quiver.index.Labels;
import io.quiver.web.ErrorCode;
import io.quiver.web.WebConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineProtocolAdapterTest {
  private static final long NOW = 1_700_000_000_123L;

  private final LineProtocolAdapter adapter = new LineProtocolAdapter(WebConfig.defaults());

  private DecodeResult parse(String body) {
    return parse(body, Precision.NANOSECONDS, null);
  }

  private DecodeResult parse(String body, Precision p, String db) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return adapter.decode(b, b.length, p, db, NOW);
  }

  private static SeriesSamples only(DecodeResult r) {
    assertThat(r.isOk()).as(r.message()).isTrue();
    assertThat(r.batch().series()).hasSize(1);
    return r.batch().series().get(0);
  }

  @Test
  void shouldMapMeasurementFieldTagsAndTimestamp() {
    SeriesSamples s = only(parse("cpu,host=a,region=eu usage=0.5 1700000000000000000\n"));
    assertThat(s.labels()).isEqualTo(Labels.of("__name__", "cpu_usage", "host", "a", "region", "eu"));
    assertThat(s.timestampsMs()).containsExactly(1_700_000_000_000L);
    assertThat(s.value(0)).isEqualTo(0.5);
  }

  @Test
  void shouldTurnEveryFieldIntoItsOwnSeries() {
    DecodeResult r = parse("m a=1i,b=2u,c=true,d=F,e=-1.5e3 1000000");
    assertThat(r.isOk()).as(r.message()).isTrue();
    assertThat(r.batch().series()).extracting(s -> s.labels().metricName())
        .containsExactly("m_a", "m_b", "m_c", "m_d", "m_e");
    assertThat(r.batch().series()).extracting(s -> s.value(0)).containsExactly(1.0, 2.0, 1.0, 0.0, -1500.0);
    assertThat(r.batch().series().get(0).timestampsMs()).containsExactly(1L);
  }

  @Test
  void shouldUnescapeSpecCases() {
    // Examples from the InfluxDB 2.x line protocol reference, "Special characters".
    SeriesSamples s = only(parse("my\\ measure\\,ment,tag\\ key\\,x\\=y=tag\\ value\\,1\\=2 field\\=k\\ ey=1 0"));
    assertThat(s.labels().metricName()).isEqualTo("my_measure_ment_field_k_ey");
    assertThat(s.labels().get("tag_key_x_y")).isEqualTo("tag value,1=2");
    // '=' needs no escape in a measurement; a lone backslash is literal; a doubled one is one backslash.
    s = only(parse("a=b,t=x\\y\\\\z v=1 0"));
    assertThat(s.labels().metricName()).isEqualTo("a_b_v");
    assertThat(s.labels().get("t")).isEqualTo("x\\y\\z");
  }

  @Test
  void shouldParseAndSkipStringFieldsWhenDropping() {
    LineProtocolAdapter dropping = new LineProtocolAdapter(
        WebConfig.defaults().withStringFields(WebConfig.StringFieldPolicy.DROP));
    byte[] b = "m s=\"a \\\"quoted\\\" string, with = signs\\\\\",v=2 0".getBytes(StandardCharsets.UTF_8);
    DecodeResult r = dropping.decode(b, b.length, Precision.NANOSECONDS, null, NOW);
    assertThat(r.isOk()).as(r.message()).isTrue();
    assertThat(r.batch().series()).singleElement().satisfies(s -> assertThat(s.labels().metricName())
        .isEqualTo("m_v"));
  }

  @Test
  void shouldRejectStringFieldsByDefaultNamingLineAndField() {
    DecodeResult r = parse("m v=1 0\nm msg=\"hello\" 0\n");
    assertThat(r.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(r.message()).contains("string field").contains("line=2").contains("field=msg");
  }

  @Test
  void shouldUseServerTimeWhenTimestampMissing() {
    assertThat(only(parse("m v=1")).timestampsMs()).containsExactly(NOW);
    assertThat(only(parse("m v=1   ")).timestampsMs()).containsExactly(NOW);
  }

  @Test
  void shouldConvertEveryPrecision() {
    assertThat(only(parse("m v=1 1500", Precision.MICROSECONDS, null)).timestampsMs()).containsExactly(1L);
    assertThat(only(parse("m v=1 1500", Precision.MILLISECONDS, null)).timestampsMs()).containsExactly(1500L);
    assertThat(only(parse("m v=1 15", Precision.SECONDS, null)).timestampsMs()).containsExactly(15_000L);
    assertThat(only(parse("m v=1 2", Precision.MINUTES, null)).timestampsMs()).containsExactly(120_000L);
    assertThat(only(parse("m v=1 1", Precision.HOURS, null)).timestampsMs()).containsExactly(3_600_000L);
    assertThat(only(parse("m v=1 -1", Precision.NANOSECONDS, null)).timestampsMs()).containsExactly(-1L);
    assertThat(parse("m v=1 9223372036854775807", Precision.SECONDS, null).message()).contains("out of range");
    assertThat(Precision.parse("n")).isEqualTo(Precision.NANOSECONDS);
    assertThat(Precision.parse("us")).isEqualTo(Precision.MICROSECONDS);
    assertThat(Precision.parse("u")).isEqualTo(Precision.MICROSECONDS);
    assertThat(Precision.parse("h")).isEqualTo(Precision.HOURS);
    assertThat(Precision.parse("x")).isNull();
  }

  @Test
  void shouldGroupSamplesOfOneSeriesAcrossLines() {
    DecodeResult r = parse("# comment\n\ncpu,h=a v=1 1000000\r\ncpu,h=a v=2 2000000\ncpu,h=b v=3 3000000\n");
    assertThat(r.isOk()).as(r.message()).isTrue();
    assertThat(r.samples()).isEqualTo(3);
    assertThat(r.batch().series()).hasSize(2);
    assertThat(r.batch().series().get(0).timestampsMs()).containsExactly(1, 2);
  }

  @Test
  void shouldAddDbLabelUnlessLineHasIt() {
    assertThat(only(parse("m v=1 0", Precision.NANOSECONDS, "telegraf")).labels().get("db")).isEqualTo("telegraf");
    assertThat(only(parse("m,db=own v=1 0", Precision.NANOSECONDS, "telegraf")).labels().get("db"))
        .isEqualTo("own");
  }

  @Test
  void shouldSanitiseNamesToPrometheusRules() {
    SeriesSamples s = only(parse("disk.io,dev-name=sda 1read=1 0"));
    assertThat(s.labels().metricName()).isEqualTo("disk_io_1read");
    assertThat(s.labels().get("dev_name")).isEqualTo("sda");
    assertThat(Names.metricName("9lives")).isEqualTo("_9lives");
    assertThat(Names.metricName("job:rate5m")).isEqualTo("job:rate5m");
    assertThat(Names.labelName("a:b")).isEqualTo("a_b");
  }

  @Test
  void shouldNameLineAndColumnForEveryKindOfError() {
    assertError("cpu,host=a value=1 1700000000000000000\ncpu,host=a value= 1700000000000000000\n",
        "missing field value", "line=2", "column=18");
    assertError("cpu", "missing field set", "line=1");
    assertError("cpu ", "missing field set", "line=1");
    assertError("cpu,host v=1", "missing tag value", "line=1", "column=9");
    assertError("cpu,=a v=1", "missing tag key", "line=1");
    assertError("cpu,h= v=1", "missing tag value", "line=1");
    assertError("cpu,h=a=b v=1", "unescaped '='", "column=8");
    assertError(",h=a v=1", "missing measurement", "column=1");
    assertError("m v=abc", "invalid field value", "column=5");
    assertError("m v=1.2.3", "invalid field value");
    assertError("m v=NaN", "invalid field value");
    assertError("m v=1e", "invalid float exponent");
    assertError("m v=1e999", "float out of range");
    assertError("m v=99999999999999999999i", "integer out of range");
    assertError("m v=-1u", "invalid unsigned");
    assertError("m v=1 12x", "invalid timestamp", "column=7");
    assertError("m v=1 1 2", "unexpected text after timestamp");
    assertError("m v=\"open", "unterminated string");
    assertError("m v=\"a\"x", "unexpected character after string");
    assertError("m v=1,", "missing field", "line=1");
    assertError("m =1", "missing field key");
    assertError("m,__name__=x v=1", "reserved");
    assertError("m,a-b=1,a_b=2 v=1", "duplicate");
  }

  @Test
  void shouldRejectInvalidUtf8() {
    byte[] b = {'m', ' ', 'v', '=', '1', ' ', (byte) 0xC3, (byte) 0x28};
    assertThat(adapter.decode(b, b.length, Precision.NANOSECONDS, null, NOW).message()).contains("UTF-8");
  }

  @Test
  void shouldEnforceRequestLimits() {
    LineProtocolAdapter tight = new LineProtocolAdapter(WebConfig.defaults().withRequestLimits(2, 3,
        io.quiver.index.LabelLimits.DEFAULT));
    byte[] b = "m a=1,b=2,c=3 0\nm d=1 0".getBytes(StandardCharsets.UTF_8);
    DecodeResult r = tight.decode(b, b.length, Precision.NANOSECONDS, null, NOW);
    assertThat(r.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
    assertThat(r.message()).contains("line=1");
  }

  @Test
  void shouldAcceptEmptyBody() {
    DecodeResult r = parse("\n\n# nothing\n");
    assertThat(r.isOk()).isTrue();
    assertThat(r.batch().series()).isEmpty();
    assertThat(List.of()).isEmpty();
  }

  private void assertError(String body, String... fragments) {
    DecodeResult r = parse(body);
    assertThat(r.isOk()).as("should fail: " + body).isFalse();
    assertThat(r.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    for (String f : fragments) {
      assertThat(r.message()).as(body).contains(f);
    }
  }
}
