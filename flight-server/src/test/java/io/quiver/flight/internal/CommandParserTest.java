package io.quiver.flight.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quiver.flight.ErrorCode;
import io.quiver.flight.FlightException;
import io.quiver.flight.ReadConsistency;
import io.quiver.index.IndexException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CommandParserTest {
  private static final long NOW_MS = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();
  private final CommandParser parser = new CommandParser(Clock.fixed(Instant.ofEpochMilli(NOW_MS), ZoneOffset.UTC),
      5_000);

  private QueryCommand parse(String json) {
    return parser.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldParseFullCommandWhenAllFieldsGiven() {
    QueryCommand c = parse("{\"match\":[\"up{job=\\\"node\\\"}\",\"cpu\"],\"start\":\"2026-01-01T00:00:00Z\","
        + "\"end\":\"now\",\"consistency\":\"follower\",\"max_staleness_ms\":250}");

    assertThat(c.match()).containsExactly("up{job=\"node\"}", "cpu");
    assertThat(c.selectors()).hasSize(2);
    assertThat(c.fromMs()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
    assertThat(c.toMsExclusive()).isEqualTo(NOW_MS + 1);
    assertThat(c.read().consistency()).isEqualTo(ReadConsistency.FOLLOWER);
    assertThat(c.read().maxStalenessMs()).isEqualTo(250);
  }

  @Test
  void shouldDefaultToEverythingLinearizableWhenOnlyMatchGiven() {
    QueryCommand c = parse("{\"match\":\"up\"}");

    assertThat(c.fromMs()).isEqualTo(Long.MIN_VALUE);
    assertThat(c.toMsExclusive()).isEqualTo(Long.MAX_VALUE);
    assertThat(c.read().consistency()).isEqualTo(ReadConsistency.LINEARIZABLE);
  }

  @Test
  void shouldParseRelativeEpochAndOffsetTimes() {
    assertThat(CommandParser.parseTime("now-1h30m", NOW_MS)).isEqualTo(NOW_MS - 5_400_000);
    assertThat(CommandParser.parseTime("now+15s", NOW_MS)).isEqualTo(NOW_MS + 15_000);
    assertThat(CommandParser.parseTime("1700000000000", NOW_MS)).isEqualTo(1_700_000_000_000L);
    assertThat(CommandParser.parseTime("2026-11-23T11:00:00.250+01:00", NOW_MS)).isEqualTo(NOW_MS + 250);
    assertThat(parse("{\"match\":\"up\",\"start\":1000,\"end\":2000}").toMsExclusive()).isEqualTo(2001);
  }

  @Test
  void shouldReportPositionWhenJsonIsMalformed() {
    assertThatThrownBy(() -> parse("{\"match\": [\"up\" \"x\"]}"))
        .isInstanceOfSatisfying(FlightException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_COMMAND);
          assertThat(e.getMessage()).contains("position=16");
        });
  }

  @Test
  void shouldRejectUnknownFieldsBadTimesAndEmptyMatch() {
    assertInvalid("{\"match\":\"up\",\"step\":1}", "unknown field [field=step");
    assertInvalid("{\"match\":\"up\",\"start\":\"tomorrow\"}", "invalid start");
    assertInvalid("{\"match\":\"up\",\"start\":\"now-5x\"}", "unknown duration unit");
    assertInvalid("{\"match\":[]}", "match is required");
    assertInvalid("{\"match\":\"up\",\"start\":10,\"end\":5}", "start after end");
    assertInvalid("{\"match\":\"up\",\"consistency\":\"eventual\"}", "unknown consistency");
    assertInvalid("[1]", "must be a JSON object");
  }

  @Test
  void shouldNameMatchIndexAndPositionWhenSelectorIsInvalid() {
    assertThatThrownBy(() -> parse("{\"match\":[\"up\",\"cpu{a=~\\\"(\\\"}\"]}"))
        .isInstanceOfSatisfying(IndexException.class, e -> {
          assertThat(e.code()).isEqualTo(io.quiver.index.ErrorCode.INVALID_SELECTOR);
          assertThat(e.getMessage()).contains("match[1]").contains("commandPosition=15");
        });
  }

  private void assertInvalid(String json, String messagePart) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOfSatisfying(FlightException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_COMMAND);
          assertThat(e.getMessage()).contains(messagePart);
        });
  }
}
