package io.quiver.web;

import java.util.Map;

/**
 * Builds a Prometheus text exposition (format 0.0.4). Call {@link #family} once per metric name, then
 * {@link #sample} for each labelled value of that family. Not thread-safe; one per scrape.
 */
public final class PrometheusTextWriter {
  private final StringBuilder out = new StringBuilder(4096);

  /** Starts a family: writes its {@code # HELP} and {@code # TYPE} lines ({@code type}: counter, gauge, ...). */
  public PrometheusTextWriter family(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ');
    for (int i = 0; i < help.length(); i++) {
      char c = help.charAt(i);
      if (c == '\\') {
        out.append("\\\\");
      } else if (c == '\n') {
        out.append("\\n");
      } else {
        out.append(c);
      }
    }
    out.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  /** Writes one sample line; {@code labels} may be empty and is written in its iteration order. */
  public PrometheusTextWriter sample(String name, Map<String, String> labels, double value) {
    out.append(name);
    if (!labels.isEmpty()) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, String> e : labels.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        out.append(e.getKey()).append("=\"");
        appendEscapedValue(e.getValue());
        out.append('"');
      }
      out.append('}');
    }
    out.append(' ').append(format(value)).append('\n');
    return this;
  }

  /** Writes one unlabelled sample. */
  public PrometheusTextWriter sample(String name, double value) {
    return sample(name, Map.of(), value);
  }

  /** The exposition so far. */
  @Override
  public String toString() {
    return out.toString();
  }

  private void appendEscapedValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }

  private static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
