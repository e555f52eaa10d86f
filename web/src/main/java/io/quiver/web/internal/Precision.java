package io.quiver.web.internal;

import java.util.Locale;

/** Influx timestamp precision and its conversion to milliseconds (floor for finer units). */
enum Precision {
  NANOSECONDS(1, 1_000_000),
  MICROSECONDS(1, 1_000),
  MILLISECONDS(1, 1),
  SECONDS(1_000, 1),
  MINUTES(60_000, 1),
  HOURS(3_600_000, 1);

  private final long multiplier;
  private final long divisor;

  Precision(long multiplier, long divisor) {
    this.multiplier = multiplier;
    this.divisor = divisor;
  }

  /** Converts a timestamp in this precision to ms; {@link Long#MIN_VALUE} on overflow. */
  long toMillis(long value) {
    if (divisor != 1) {
      return Math.floorDiv(value, divisor);
    }
    long hi = Math.multiplyHigh(value, multiplier);
    long lo = value * multiplier;
    if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
      return lo == Long.MIN_VALUE ? Long.MIN_VALUE : lo;
    }
    return Long.MIN_VALUE;
  }

  /**
   * Parses a {@code precision} parameter; {@code null} when unknown. InfluxDB 1.x ({@code /write}) spells
   * {@code n,u,ms,s,m,h}; 2.x ({@code /api/v2/write}) spells {@code ns,us,ms,s}. Both spellings are accepted on
   * both routes, plus {@code µ}; absent means nanoseconds.
   */
  static Precision parse(String raw) {
    if (raw == null || raw.isEmpty()) {
      return NANOSECONDS;
    }
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "n", "ns" -> NANOSECONDS;
      case "u", "us", "µ", "µs" -> MICROSECONDS;
      case "ms" -> MILLISECONDS;
      case "s" -> SECONDS;
      case "m" -> MINUTES;
      case "h" -> HOURS;
      default -> null;
    };
  }
}
