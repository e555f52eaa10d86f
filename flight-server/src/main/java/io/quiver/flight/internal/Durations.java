package io.quiver.flight.internal;

/** Prometheus duration strings: one or more {@code <integer><unit>} with units y, w, d, h, m, s, ms. */
final class Durations {
  private Durations() {}

  /** Milliseconds of {@code text}, e.g. {@code 1h30m} is 5,400,000. */
  static long parseMs(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty duration");
    }
    long total = 0;
    int i = 0;
    while (i < text.length()) {
      int start = i;
      while (i < text.length() && Character.isDigit(text.charAt(i))) {
        i++;
      }
      if (i == start) {
        throw new IllegalArgumentException("duration needs digits before a unit [duration=" + text + "]");
      }
      long n = Long.parseLong(text.substring(start, i));
      int unitStart = i;
      while (i < text.length() && Character.isLetter(text.charAt(i))) {
        i++;
      }
      long unitMs = unitMs(text.substring(unitStart, i), text);
      total = Math.addExact(total, Math.multiplyExact(n, unitMs));
    }
    return total;
  }

  private static long unitMs(String unit, String text) {
    return switch (unit) {
      case "ms" -> 1L;
      case "s" -> 1_000L;
      case "m" -> 60_000L;
      case "h" -> 3_600_000L;
      case "d" -> 86_400_000L;
      case "w" -> 7 * 86_400_000L;
      case "y" -> 365 * 86_400_000L;
      default -> throw new IllegalArgumentException("unknown duration unit [unit=" + unit + ", duration=" + text
          + ", units=ms|s|m|h|d|w|y]");
    };
  }
}
