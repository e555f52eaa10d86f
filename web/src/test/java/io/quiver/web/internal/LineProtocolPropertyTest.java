package io.quiver.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.columnar.SeriesSamples;
import io.quiver.index.Labels;
import io.quiver.web.WebConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random round trips: escape arbitrary names and values as the spec says, parse, get them back exactly. */
class LineProtocolPropertyTest {
  private static final long NOW = 42_000L;
  private static final char[] ALPHABET = "abcXYZ09_ ,=\\\"'.-:#é€".toCharArray();

  private final LineProtocolAdapter adapter = new LineProtocolAdapter(WebConfig.defaults());

  /** One generated point. */
  record Point(String measurement, Map<String, String> tags, Map<String, Object> fields, Long timestampNs) {}

  @Provide
  Arbitrary<Point> points() {
    Arbitrary<String> text = Arbitraries.strings().withChars(ALPHABET).ofMinLength(1).ofMaxLength(12)
        .map(s -> s.replace("Z", "\uD83D\uDE00")); // whole surrogate pairs only
    Arbitrary<Object> value = Arbitraries.oneOf(
        Arbitraries.doubles().filter(Double::isFinite).map(d -> (Object) d),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.of(true, false).map(b -> (Object) b));
    Arbitrary<Map<String, String>> tags = Arbitraries.maps(text, text).ofMaxSize(4).map(LinkedHashMap::new);
    Arbitrary<Map<String, Object>> fields = Arbitraries.maps(text, value).ofMinSize(1).ofMaxSize(3)
        .map(LinkedHashMap::new);
    Arbitrary<Long> ts = Arbitraries.longs().injectNull(0.2);
    return Combinators.combine(text, tags, fields, ts).as(Point::new);
  }

  @Property(tries = 300)
  void shouldParseWhatTheSpecEscapingProduces(@ForAll("points") Point p) {
    Assume.that(p.measurement().charAt(0) != '#');
    Set<String> keys = new HashSet<>();
    for (String k : p.tags().keySet()) {
      Assume.that(keys.add(Names.labelName(k)));
    }
    Assume.that(!keys.contains("__name__"));
    Set<String> names = new HashSet<>();
    for (String f : p.fields().keySet()) {
      Assume.that(names.add(Names.metricName(p.measurement() + "_" + f)));
    }

    String line = encode(p);
    byte[] body = (line + "\n").getBytes(StandardCharsets.UTF_8);
    DecodeResult r = adapter.decode(body, body.length, Precision.NANOSECONDS, null, NOW);
    assertThat(r.isOk()).as(ascii(line + " -> " + r.message())).isTrue();

    List<SeriesSamples> expected = new ArrayList<>();
    long ts = p.timestampNs() == null ? NOW : Math.floorDiv(p.timestampNs(), 1_000_000L);
    for (Map.Entry<String, Object> f : p.fields().entrySet()) {
      Labels.Builder b = Labels.builder().add("__name__", Names.metricName(p.measurement() + "_" + f.getKey()));
      p.tags().forEach((k, v) -> b.add(Names.labelName(k), v));
      expected.add(new SeriesSamples(b.build(), new long[] {ts}, new long[] {bits(f.getValue())}));
    }
    assertThat(r.batch().series()).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      SeriesSamples got = r.batch().series().get(i);
      assertThat(got.labels()).as(ascii(line)).isEqualTo(expected.get(i).labels());
      assertThat(got.timestampsMs()).as(ascii(line)).containsExactly(expected.get(i).timestampsMs());
      assertThat(got.valueBits()).as(ascii(line)).containsExactly(expected.get(i).valueBits());
    }
  }

  private static String ascii(String s) {
    StringBuilder sb = new StringBuilder();
    s.chars().forEach(c -> sb.append(c >= 32 && c < 127 ? String.valueOf((char) c) : String.format("\\u%04x", c)));
    return sb.toString();
  }

  private static long bits(Object v) {
    if (v instanceof Double d) {
      return Double.doubleToRawLongBits(d);
    }
    if (v instanceof Long l) {
      return Double.doubleToRawLongBits((double) l);
    }
    return Double.doubleToRawLongBits(((Boolean) v) ? 1.0 : 0.0);
  }

  static String encode(Point p) {
    StringBuilder sb = new StringBuilder();
    escape(sb, p.measurement(), false);
    p.tags().forEach((k, v) -> {
      sb.append(',');
      escape(sb, k, true);
      sb.append('=');
      escape(sb, v, true);
    });
    sb.append(' ');
    boolean first = true;
    for (Map.Entry<String, Object> f : p.fields().entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      escape(sb, f.getKey(), true);
      sb.append('=');
      Object v = f.getValue();
      if (v instanceof Long l) {
        sb.append(l).append('i');
      } else {
        sb.append(v);
      }
    }
    if (p.timestampNs() != null) {
      sb.append(' ').append(p.timestampNs());
    }
    return sb.toString();
  }

  private static void escape(StringBuilder sb, String s, boolean equalsToo) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' || c == ',' || c == ' ' || (equalsToo && c == '=')) {
        sb.append('\\');
      }
      sb.append(c);
    }
  }
}
