package io.quiver.web.internal;

import io.quiver.web.ErrorCode;
import io.quiver.web.WebException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Parsing of read-API parameters (Prometheus conventions). */
final class QueryParams {
  private QueryParams() {}

  /** The {@code match[]} selectors; at least one is required. */
  static List<String> selectors(List<String> raw) {
    if (raw == null || raw.isEmpty() || raw.stream().allMatch(String::isBlank)) {
      throw new WebException(ErrorCode.BAD_REQUEST, "at least one match[] selector is required");
    }
    return raw;
  }

  /**
   * A time: unix seconds with optional fraction ({@code 1700000000.5}), RFC 3339 ({@code 2026-01-01T00:00:00Z}) or
   * {@code now}; {@code null}/empty gives {@code defaultMs}. Returns epoch milliseconds.
   */
  static long timeMs(String raw, String name, long defaultMs, long nowMs) {
    if (raw == null || raw.isBlank()) {
      return defaultMs;
    }
    if (raw.equals("now")) {
      return nowMs;
    }
    try {
      if (raw.indexOf('T') > 0) {
        return Instant.parse(raw).toEpochMilli();
      }
      return new BigDecimal(raw).movePointRight(3).setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      // Translate: a malformed parameter.
      throw new WebException(ErrorCode.BAD_REQUEST, "invalid time; use unix seconds or RFC 3339 [param=" + name
          + ", value=" + LabelChecks.abbreviate(raw) + "]");
    }
  }
}
