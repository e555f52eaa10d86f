package io.quiver.flight.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.quiver.flight.ErrorCode;
import io.quiver.flight.FlightException;
import io.quiver.flight.ReadConsistency;
import io.quiver.flight.ReadOptions;
import io.quiver.index.IndexException;
import io.quiver.index.Selector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the JSON command of {@code GetFlightInfo}:
 *
 * <pre>{"match": ["up{job=\"node\"}", ...], "start": "2026-01-01T00:00:00Z", "end": "now",
 *  "consistency": "linearizable" | "follower", "max_staleness_ms": 5000}</pre>
 *
 * <p>{@code match} is required (a string or a non-empty array of strings). {@code start} and {@code end} are
 * inclusive, each an RFC 3339 time, epoch milliseconds (a JSON integer or a string of digits), {@code "now"} or
 * {@code "now-<duration>"}/{@code "now+<duration>"} with Prometheus durations ({@code 1h30m}, units ms, s, m, h, d,
 * w, y); a missing start reads from the beginning, a missing end to the end of time. Unknown fields are rejected
 * so typos do not silently read everything. Errors carry the zero-based byte offset in the command as
 * {@code position=N}.
 */
public final class CommandParser {
  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final int MAX_COMMAND_BYTES = 1 << 20;

  private final Clock clock;
  private final long defaultMaxStalenessMs;

  /** A parser resolving {@code now} with {@code clock}. */
  public CommandParser(Clock clock, long defaultMaxStalenessMs) {
    this.clock = clock;
    this.defaultMaxStalenessMs = defaultMaxStalenessMs;
  }

  /** Parses and validates {@code command} (UTF-8 JSON). */
  public QueryCommand parse(byte[] command) {
    if (command.length > MAX_COMMAND_BYTES) {
      throw new FlightException(ErrorCode.TOO_LARGE, "command too large [bytes=" + command.length + ", max="
          + MAX_COMMAND_BYTES + "]");
    }
    Fields f = new Fields();
    try (JsonParser p = JSON.createParser(command)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw invalid("command must be a JSON object", p.currentTokenLocation());
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonLocation at = p.currentTokenLocation();
        p.nextToken();
        readField(p, name, at, f);
      }
      if (p.nextToken() != null) {
        throw invalid("trailing data after the command object", p.currentTokenLocation());
      }
    } catch (JsonProcessingException e) {
      throw new FlightException(ErrorCode.INVALID_COMMAND, "malformed command JSON: " + e.getOriginalMessage()
          + " [position=" + offset(e.getLocation()) + "]", e);
    } catch (IOException e) {
      throw new FlightException(ErrorCode.INVALID_COMMAND, "unreadable command [error=" + e + "]", e);
    }
    return build(f, new String(command, StandardCharsets.UTF_8));
  }

  private void readField(JsonParser p, String name, JsonLocation at, Fields f) throws IOException {
    switch (name) {
      case "match" -> {
        f.match = readMatch(p);
        f.matchAt = at;
      }
      case "start" -> f.startMs = readTime(p, "start");
      case "end" -> f.endMs = readTime(p, "end");
      case "consistency" -> {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
          throw invalid("consistency must be a string", p.currentTokenLocation());
        }
        f.consistency = ReadConsistency.fromWireName(p.getText());
        if (f.consistency == null) {
          throw invalid("unknown consistency [consistency=" + p.getText() + ", allowed=linearizable|follower]",
              p.currentTokenLocation());
        }
      }
      case "max_staleness_ms" -> {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0) {
          throw invalid("max_staleness_ms must be a non-negative integer", p.currentTokenLocation());
        }
        f.maxStalenessMs = p.getLongValue();
      }
      default -> throw invalid("unknown field [field=" + name + ", known=match|start|end|consistency|max_staleness_ms]",
          at);
    }
  }

  private static List<SelectorAt> readMatch(JsonParser p) throws IOException {
    List<SelectorAt> out = new ArrayList<>();
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      out.add(new SelectorAt(p.getText(), p.currentTokenLocation()));
      return out;
    }
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw invalid("match must be a string or an array of strings", p.currentTokenLocation());
    }
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        throw invalid("match[" + out.size() + "] must be a string", p.currentTokenLocation());
      }
      out.add(new SelectorAt(p.getText(), p.currentTokenLocation()));
    }
    return out;
  }

  private Long readTime(JsonParser p, String field) throws IOException {
    JsonLocation at = p.currentTokenLocation();
    return switch (p.currentToken()) {
      case VALUE_NUMBER_INT -> p.getLongValue();
      case VALUE_STRING -> {
        try {
          yield parseTime(p.getText(), clock.millis());
        } catch (IllegalArgumentException e) {
          throw invalid("invalid " + field + " [" + field + "=" + p.getText() + ", reason=" + e.getMessage() + "]",
              at);
        }
      }
      case VALUE_NULL -> null;
      default -> throw invalid(field + " must be an RFC 3339 string, epoch milliseconds or now[-+]duration", at);
    };
  }

  private QueryCommand build(Fields f, String text) {
    if (f.match == null || f.match.isEmpty()) {
      throw invalid("match is required and must not be empty", f.matchAt);
    }
    List<String> match = new ArrayList<>();
    List<Selector> selectors = new ArrayList<>();
    for (int i = 0; i < f.match.size(); i++) {
      SelectorAt s = f.match.get(i);
      match.add(s.text);
      selectors.add(parseSelector(s.text, i, offset(s.at)));
    }
    long from = f.startMs == null ? Long.MIN_VALUE : f.startMs;
    long end = f.endMs == null ? Long.MAX_VALUE - 1 : Math.min(f.endMs, Long.MAX_VALUE - 1);
    if (from > end) {
      throw new FlightException(ErrorCode.INVALID_COMMAND, "start after end [startMs=" + from + ", endMs=" + end
          + "]");
    }
    ReadConsistency consistency = f.consistency == null ? ReadConsistency.LINEARIZABLE : f.consistency;
    long staleness = f.maxStalenessMs == null ? defaultMaxStalenessMs : f.maxStalenessMs;
    return new QueryCommand(match, selectors, from, end + 1, new ReadOptions(consistency, staleness));
  }

  /**
   * Parses one selector; a parse error names the match index and the position inside the selector and inside the
   * command (the string's opening quote).
   */
  static Selector parseSelector(String text, int index, long commandOffset) {
    try {
      return Selector.parse(text);
    } catch (IndexException e) {
      throw new IndexException(e.code(), "invalid selector in match[" + index + "]: " + e.getMessage()
          + " [selector=" + text + (commandOffset >= 0 ? ", commandPosition=" + commandOffset : "") + "]", e);
    }
  }

  /** Parses a time: epoch ms digits, {@code now}, {@code now-1h}, or RFC 3339. */
  static long parseTime(String raw, long nowMs) {
    String s = raw.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty time");
    }
    if (s.chars().allMatch(Character::isDigit) || (s.charAt(0) == '-' && s.length() > 1
        && s.substring(1).chars().allMatch(Character::isDigit))) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("epoch milliseconds out of range");
      }
    }
    if (s.startsWith("now")) {
      String rest = s.substring(3).trim();
      if (rest.isEmpty()) {
        return nowMs;
      }
      char sign = rest.charAt(0);
      if (sign != '-' && sign != '+') {
        throw new IllegalArgumentException("expected now, now-<duration> or now+<duration>");
      }
      long d = Durations.parseMs(rest.substring(1).trim());
      return sign == '-' ? Math.subtractExact(nowMs, d) : Math.addExact(nowMs, d);
    }
    try {
      return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not RFC 3339 (" + e.getMessage() + ")");
    }
  }

  /** Zero-based byte offset of {@code at} in the UTF-8 command (Jackson reports bytes for byte input). */
  private static long offset(JsonLocation at) {
    if (at == null) {
      return -1;
    }
    return at.getByteOffset() >= 0 ? at.getByteOffset() : at.getCharOffset();
  }

  private static FlightException invalid(String message, JsonLocation at) {
    return new FlightException(ErrorCode.INVALID_COMMAND, message.endsWith("]")
        ? message.substring(0, message.length() - 1) + ", position=" + offset(at) + "]"
        : message + " [position=" + offset(at) + "]");
  }

  private record SelectorAt(String text, JsonLocation at) {}

  private static final class Fields {
    List<SelectorAt> match;
    JsonLocation matchAt;
    Long startMs;
    Long endMs;
    ReadConsistency consistency;
    Long maxStalenessMs;
  }
}
