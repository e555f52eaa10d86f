package io.quiver.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelectorTest {
  @Test
  void shouldParseMetricNameAlone() {
    assertThat(Selector.parse("http_requests_total").matchers())
        .containsExactly(Matcher.equal("__name__", "http_requests_total"));
    assertThat(Selector.parse("  job:rate5m  ").matchers()).containsExactly(Matcher.equal("__name__", "job:rate5m"));
  }

  @Test
  void shouldParseMetricWithMatchers() {
    assertThat(Selector.parse("metric{a=\"x\",b=~\"y.*\"}").matchers()).containsExactly(
        Matcher.equal("__name__", "metric"), Matcher.equal("a", "x"), Matcher.regex("b", "y.*"));
    assertThat(Selector.parse(" metric { a != 'x' , b !~ `y\\d+` , } ").matchers()).containsExactly(
        Matcher.equal("__name__", "metric"), Matcher.notEqual("a", "x"), Matcher.notRegex("b", "y\\d+"));
    assertThat(Selector.parse("{__name__=~\"up|down\"}").matchers())
        .containsExactly(Matcher.regex("__name__", "up|down"));
    assertThat(Selector.parse("metric{}").matchers()).containsExactly(Matcher.equal("__name__", "metric"));
  }

  @Test
  void shouldDecodeEscapes() {
    Selector s = Selector.parse("{a=\"q\\\"uote\\\\ \\n\\t\\x41\\u00e9\\U0001F600\\101\", b='it\\'s', c=`raw\\n`}");
    assertThat(s.matchers().get(0).value()).isEqualTo("q\"uote\\ \n\tAé\uD83D\uDE00A");
    assertThat(s.matchers().get(1).value()).isEqualTo("it's");
    assertThat(s.matchers().get(2).value()).isEqualTo("raw\\n");
  }

  @Test
  void shouldRoundTripThroughToString() {
    Selector s = Selector.of(Matcher.equal("__name__", "m"), Matcher.notRegex("a", "x\\.y|\"q\""),
        Matcher.equal("b", "line\nbreak\t\u0001 é"));
    assertThat(Selector.parse(s.toString())).isEqualTo(s);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "''|0|empty selector",
    "'   '|3|empty selector",
    "'{a=\"x\"'|6|unclosed",
    "'{a=\"x\" b=\"y\"}'|7|expected ','",
    "'{a~\"x\"}'|2|expected one of",
    "'{a=x}'|3|expected a quoted string",
    "'{a=\"x}'|3|unterminated string",
    "'{1a=\"x\"}'|1|expected a label name",
    "'m{__name__=\"x\"}'|2|metric name must not be set twice",
    "'{a=\"\\q\"}'|4|unknown escape",
    "'{a=~\"(\"}'|4|invalid regex",
    "'m x'|2|unexpected character after selector",
    "'{a=\"x\"}}'|7|unexpected character after selector",
    "'{a=\"\\u12\"}'|4|invalid escape sequence",
  })
  void shouldReportErrorPosition(String input, int position, String message) {
    assertThatThrownBy(() -> Selector.parse(input))
        .isInstanceOf(IndexException.class)
        .hasMessageContaining(message)
        .hasMessageContaining("[position=" + position + ",")
        .extracting(e -> ((IndexException) e).code()).isEqualTo(ErrorCode.INVALID_SELECTOR);
  }

  @Test
  void shouldRejectSelectorsThatMatchEverySeries() {
    for (String s : List.of("{}", "{a=\"\"}", "{a=~\".*\"}", "{a!=\"x\", b!~\"y\"}", "{a=~\"x|\"}")) {
      assertThatThrownBy(() -> Selector.parse(s)).as(s)
          .isInstanceOf(IndexException.class)
          .hasMessageContaining("at least one matcher that does not match the empty string");
    }
    assertThat(Selector.parse("{a=~\".+\"}").matchers()).hasSize(1);
  }

  @Test
  void shouldApplyPrometheusMatcherSemantics() {
    assertThat(Matcher.regex("a", "web").matches("web-1")).isFalse();
    assertThat(Matcher.regex("a", "web.*").matches("web-1")).isTrue();
    assertThat(Matcher.regex("a", "a.b").matches("a\nb")).isTrue();
    assertThat(Matcher.notEqual("a", "x").matchesEmpty()).isTrue();
    assertThat(Matcher.equal("a", "").matchesEmpty()).isTrue();
    assertThat(Matcher.notRegex("a", ".*").matches("anything")).isFalse();
    assertThat(Matcher.regex("a", "x").inverse()).isEqualTo(Matcher.notRegex("a", "x"));
  }

  @Test
  void shouldRejectInvalidMatchers() {
    assertThatThrownBy(() -> Matcher.equal("bad-name", "x")).isInstanceOf(IndexException.class);
    assertThatThrownBy(() -> Matcher.regex("a", "[")).isInstanceOf(IndexException.class)
        .hasMessageContaining("invalid regex");
  }
}
