package io.quiver.index.internal;

import io.quiver.index.ErrorCode;
import io.quiver.index.IndexException;
import io.quiver.index.Labels;
import io.quiver.index.Matcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser of Prometheus series selectors, and the matching formatter.
 *
 * <pre>
 * selector := ws [metric] ws [ '{' ws [ matcher (ws ',' ws matcher)* ws [','] ] ws '}' ] ws EOF
 * metric   := [a-zA-Z_:][a-zA-Z0-9_:]*
 * matcher  := label ws op ws string
 * op       := '=' | '!=' | '=~' | '!~'
 * string   := '"' go-escaped '"' | '\'' go-escaped '\'' | '`' raw '`'
 * </pre>
 *
 * <p>Errors carry the 0-based character offset where parsing stopped: {@code ... [position=N, ...]}.
 */
public final class SelectorParser {
  private final String in;
  private int pos;

  private SelectorParser(String in) {
    this.in = in;
  }

  /** Parses {@code selector} into its matchers (metric name first, if given before the braces). */
  public static List<Matcher> parse(String selector) {
    if (selector == null) {
      throw new IndexException(ErrorCode.INVALID_SELECTOR, "selector is null [position=0]");
    }
    return new SelectorParser(selector).selector();
  }

  /** Formats matchers as {@code {a="x",b=~"y"}}; {@link #parse(String)} reads it back into equal matchers. */
  public static String format(List<Matcher> matchers) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < matchers.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(matchers.get(i));
    }
    return sb.append('}').toString();
  }

  /** Double-quotes {@code value}, escaping backslash, quote and control characters so the parser reads it back. */
  public static String quote(String value) {
    StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  private List<Matcher> selector() {
    List<Matcher> matchers = new ArrayList<>();
    skipWhitespace();
    if (pos < in.length() && isMetricStart(in.charAt(pos))) {
      int start = pos;
      while (pos < in.length() && isMetricPart(in.charAt(pos))) {
        pos++;
      }
      matchers.add(Matcher.equal(Labels.METRIC_NAME, in.substring(start, pos)));
      skipWhitespace();
    }
    boolean hasMetric = !matchers.isEmpty();
    if (pos < in.length() && in.charAt(pos) == '{') {
      pos++;
      matcherList(matchers, hasMetric);
    } else if (!hasMetric) {
      throw error(pos == in.length() ? "empty selector" : "expected a metric name or '{'");
    }
    skipWhitespace();
    if (pos != in.length()) {
      throw error("unexpected character after selector");
    }
    return matchers;
  }

  private void matcherList(List<Matcher> matchers, boolean hasMetric) {
    skipWhitespace();
    while (pos < in.length() && in.charAt(pos) != '}') {
      int start = pos;
      Matcher m = matcher();
      if (hasMetric && m.name().equals(Labels.METRIC_NAME)) {
        pos = start;
        throw error("metric name must not be set twice");
      }
      matchers.add(m);
      skipWhitespace();
      if (pos < in.length() && in.charAt(pos) == ',') {
        pos++;
        skipWhitespace();
      } else if (pos < in.length() && in.charAt(pos) != '}') {
        throw error("expected ',' or '}'");
      }
    }
    if (pos >= in.length()) {
      throw error("unclosed '{', expected '}'");
    }
    pos++;
  }

  private Matcher matcher() {
    int start = pos;
    if (pos >= in.length() || !isLabelStart(in.charAt(pos))) {
      throw error("expected a label name");
    }
    while (pos < in.length() && isLabelPart(in.charAt(pos))) {
      pos++;
    }
    String name = in.substring(start, pos);
    skipWhitespace();
    Matcher.Type type = operator();
    skipWhitespace();
    int valuePos = pos;
    String value = string();
    try {
      return new Matcher(name, type, value);
    } catch (IndexException e) {
      pos = valuePos;
      throw error(e.getMessage());
    }
  }

  private Matcher.Type operator() {
    if (in.startsWith("=~", pos)) {
      pos += 2;
      return Matcher.Type.REGEX;
    }
    if (in.startsWith("!~", pos)) {
      pos += 2;
      return Matcher.Type.NOT_REGEX;
    }
    if (in.startsWith("!=", pos)) {
      pos += 2;
      return Matcher.Type.NOT_EQUAL;
    }
    if (in.startsWith("=", pos)) {
      pos += 1;
      return Matcher.Type.EQUAL;
    }
    throw error("expected one of '=', '!=', '=~', '!~'");
  }

  private String string() {
    if (pos >= in.length()) {
      throw error("expected a quoted string");
    }
    char quote = in.charAt(pos);
    if (quote != '"' && quote != '\'' && quote != '`') {
      throw error("expected a quoted string");
    }
    int open = pos;
    pos++;
    StringBuilder sb = new StringBuilder();
    while (pos < in.length()) {
      char c = in.charAt(pos);
      if (c == quote) {
        pos++;
        return sb.toString();
      }
      if (c == '\\' && quote != '`') {
        escape(sb, quote);
      } else if (c == '\n' && quote != '`') {
        throw error("newline in string");
      } else {
        sb.append(c);
        pos++;
      }
    }
    pos = open;
    throw error("unterminated string");
  }

  /** Go string-literal escapes, as PromQL uses them. {@code pos} is at the backslash. */
  private void escape(StringBuilder sb, char quote) {
    int start = pos;
    pos++;
    if (pos >= in.length()) {
      pos = start;
      throw error("unterminated escape sequence");
    }
    char c = in.charAt(pos++);
    switch (c) {
      case 'a' -> sb.append('\u0007');
      case 'b' -> sb.append('\b');
      case 'f' -> sb.append('\f');
      case 'n' -> sb.append('\n');
      case 'r' -> sb.append('\r');
      case 't' -> sb.append('\t');
      case 'v' -> sb.append('\u000b');
      case '\\' -> sb.append('\\');
      case 'x' -> sb.append((char) hex(2, start));
      case 'u' -> sb.appendCodePoint(hex(4, start));
      case 'U' -> sb.appendCodePoint(hex(8, start));
      default -> {
        if (c == quote) {
          sb.append(c);
        } else if (c >= '0' && c <= '7') {
          pos--;
          int v = digits(3, 8, start);
          if (v > 255) {
            pos = start;
            throw error("octal escape value > 255");
          }
          sb.append((char) v);
        } else {
          pos = start;
          throw error("unknown escape sequence");
        }
      }
    }
  }

  private int hex(int count, int escapeStart) {
    int v = digits(count, 16, escapeStart);
    if (v < 0 || v > Character.MAX_CODE_POINT || (v >= 0xD800 && v <= 0xDFFF)) {
      pos = escapeStart;
      throw error("escape sequence is an invalid Unicode code point");
    }
    return v;
  }

  private int digits(int count, int radix, int escapeStart) {
    long v = 0;
    for (int i = 0; i < count; i++) {
      int d = pos < in.length() ? Character.digit(in.charAt(pos), radix) : -1;
      if (d < 0) {
        pos = escapeStart;
        throw error("invalid escape sequence, expected " + count + " digits in base " + radix);
      }
      v = v * radix + d;
      pos++;
    }
    return v > Integer.MAX_VALUE ? -1 : (int) v;
  }

  private void skipWhitespace() {
    while (pos < in.length() && Character.isWhitespace(in.charAt(pos))) {
      pos++;
    }
  }

  private IndexException error(String what) {
    String found = pos < in.length() ? "'" + in.charAt(pos) + "'" : "end of input";
    return new IndexException(ErrorCode.INVALID_SELECTOR,
        "invalid selector: " + what + " [position=" + pos + ", found=" + found + ", selector=" + in + "]");
  }

  private static boolean isMetricStart(char c) {
    return isLabelStart(c) || c == ':';
  }

  private static boolean isMetricPart(char c) {
    return isLabelPart(c) || c == ':';
  }

  private static boolean isLabelStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isLabelPart(char c) {
    return isLabelStart(c) || (c >= '0' && c <= '9');
  }
}
