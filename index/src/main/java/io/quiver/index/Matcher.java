package io.quiver.index;

import io.quiver.index.internal.FastRegex;
import io.quiver.index.internal.SelectorParser;
import java.util.Objects;
import java.util.regex.PatternSyntaxException;

/**
 * One label matcher of a selector, with Prometheus semantics.
 *
 * <ul>
 *   <li>A series lacking label {@code name} is treated as having the value {@code ""}: a matcher that accepts the
 *       empty string also selects series without the label ({@code job=""}, {@code job!="x"}, {@code job=~"x|"}).
 *   <li>Regexes are fully anchored ({@code =~"web"} does not match {@code "web-1"}) and use {@code java.util.regex}
 *       with {@code .} matching newlines (as Prometheus 3 does); common shapes are answered without the regex engine,
 *       see {@link FastRegex}.
 * </ul>
 *
 * @param name the label name ({@code __name__} for the metric name)
 * @param type the operator
 * @param value the literal or the regex, never {@code null}
 */
public record Matcher(String name, Matcher.Type type, String value) {

  /** The four Prometheus operators. */
  public enum Type {
    /** {@code =}: value equals. */
    EQUAL("="),
    /** {@code !=}: value differs. */
    NOT_EQUAL("!="),
    /** {@code =~}: value fully matches the regex. */
    REGEX("=~"),
    /** {@code !~}: value does not fully match the regex. */
    NOT_REGEX("!~");

    private final String operator;

    Type(String operator) {
      this.operator = operator;
    }

    /** The operator as written in a selector, e.g. {@code =~}. */
    public String operator() {
      return operator;
    }

    /** Whether the operator negates ({@code !=}, {@code !~}). */
    public boolean negative() {
      return this == NOT_EQUAL || this == NOT_REGEX;
    }

    /** Whether the value is a regex. */
    public boolean regex() {
      return this == REGEX || this == NOT_REGEX;
    }
  }

  /**
   * Validates the matcher.
   *
   * @throws IndexException with {@link ErrorCode#INVALID_SELECTOR} on an invalid label name or regex
   */
  public Matcher {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
    if (name == null || !Labels.isValidName(name)) {
      throw new IndexException(ErrorCode.INVALID_SELECTOR, "invalid label name in matcher [name=" + name + "]");
    }
    if (type.regex()) {
      try {
        FastRegex.compile(value);
      } catch (PatternSyntaxException e) {
        throw new IndexException(ErrorCode.INVALID_SELECTOR,
            "invalid regex in matcher [name=" + name + ", regex=" + value + ", reason=" + e.getDescription() + "]", e);
      }
    }
  }

  /** {@code name="value"}. */
  public static Matcher equal(String name, String value) {
    return new Matcher(name, Type.EQUAL, value);
  }

  /** {@code name!="value"}. */
  public static Matcher notEqual(String name, String value) {
    return new Matcher(name, Type.NOT_EQUAL, value);
  }

  /** {@code name=~"regex"}. */
  public static Matcher regex(String name, String regex) {
    return new Matcher(name, Type.REGEX, regex);
  }

  /** {@code name!~"regex"}. */
  public static Matcher notRegex(String name, String regex) {
    return new Matcher(name, Type.NOT_REGEX, regex);
  }

  /**
   * Whether a series whose label {@code name} has {@code valueOrEmpty} is selected; pass {@code ""} for a series
   * lacking the label.
   */
  public boolean matches(String valueOrEmpty) {
    return innerMatches(valueOrEmpty) != type.negative();
  }

  /** Whether this matcher also selects series lacking the label (it accepts the empty value). */
  public boolean matchesEmpty() {
    return matches("");
  }

  /**
   * The positive part of the matcher, ignoring negation: equality for {@code =}/{@code !=}, the anchored regex for
   * {@code =~}/{@code !~}.
   */
  public boolean innerMatches(String valueOrEmpty) {
    return type.regex() ? FastRegex.compile(value).matches(valueOrEmpty) : value.equals(valueOrEmpty);
  }

  /** The matcher selecting exactly the series this one rejects ({@code =} becomes {@code !=}, and so on). */
  public Matcher inverse() {
    Type inverse = switch (type) {
      case EQUAL -> Type.NOT_EQUAL;
      case NOT_EQUAL -> Type.EQUAL;
      case REGEX -> Type.NOT_REGEX;
      case NOT_REGEX -> Type.REGEX;
    };
    return new Matcher(name, inverse, value);
  }

  /** Selector notation, e.g. {@code job=~"web-.*"}, with the value quoted and escaped so it parses back. */
  @Override
  public String toString() {
    return name + type.operator() + SelectorParser.quote(value);
  }
}
