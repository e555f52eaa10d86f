package io.quiver.web.internal;

/**
 * Sanitises foreign names into Prometheus names (the Influx mapping): metric names keep {@code [a-zA-Z0-9_:]},
 * label names {@code [a-zA-Z0-9_]}; every other char becomes {@code _}; a leading digit gets a {@code _} prefix.
 */
final class Names {
  private Names() {}

  /** A valid metric name for {@code raw}: {@code cpu.load-1} becomes {@code cpu_load_1}. */
  static String metricName(String raw) {
    return sanitize(raw, true);
  }

  /** A valid label name for {@code raw}: {@code host-name} becomes {@code host_name}. */
  static String labelName(String raw) {
    return sanitize(raw, false);
  }

  private static String sanitize(String raw, boolean allowColon) {
    boolean clean = !raw.isEmpty() && !(raw.charAt(0) >= '0' && raw.charAt(0) <= '9');
    for (int i = 0; clean && i < raw.length(); i++) {
      clean = valid(raw.charAt(i), allowColon);
    }
    if (clean) {
      return raw;
    }
    StringBuilder sb = new StringBuilder(raw.length() + 1);
    if (raw.isEmpty() || (raw.charAt(0) >= '0' && raw.charAt(0) <= '9')) {
      sb.append('_');
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      sb.append(valid(c, allowColon) ? c : '_');
    }
    return sb.toString();
  }

  private static boolean valid(char c, boolean allowColon) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
        || (allowColon && c == ':');
  }
}
