package io.quiver.index;

import io.quiver.index.internal.SelectorParser;
import java.util.List;
import java.util.Objects;

/**
 * A series selector: the conjunction of its matchers, Prometheus semantics. Built with {@link #parse(String)} from
 * selector syntax ({@code http_requests_total{job="api", instance=~"web-1.*"}}) or from matchers directly.
 *
 * <p>As in Prometheus, a selector needs at least one matcher that does not accept the empty string: {@code {}},
 * {@code {job=""}} or {@code {job=~".*"}} would select every series of the shard and are rejected; write
 * {@code {__name__=~".+"}} to ask for everything.
 *
 * @param matchers the matchers, all of which a selected series satisfies (immutable, non-empty)
 */
public record Selector(List<Matcher> matchers) {

  /**
   * Validates and copies the matchers.
   *
   * @throws IndexException with {@link ErrorCode#INVALID_SELECTOR} if every matcher accepts the empty string
   */
  public Selector {
    matchers = List.copyOf(Objects.requireNonNull(matchers, "matchers"));
    boolean selective = false;
    for (Matcher m : matchers) {
      selective |= !m.matchesEmpty();
    }
    if (!selective) {
      throw new IndexException(ErrorCode.INVALID_SELECTOR,
          "selector must contain at least one matcher that does not match the empty string [selector="
              + SelectorParser.format(matchers) + "]");
    }
  }

  /** A selector of the given matchers. */
  public static Selector of(Matcher... matchers) {
    return new Selector(List.of(matchers));
  }

  /**
   * Parses Prometheus selector syntax: {@code metric}, {@code metric{a="x", b=~"y.*"}}, {@code {__name__=~"..."}}.
   * Strings may use double quotes, single quotes (both with Go escapes: {@code \"}, {@code \\}, {@code \n},
   * {@code \t}, {@code \xFF}, {@code \u00e9}, ...) or backticks (raw, no escapes). A metric name before the braces
   * becomes the first matcher, {@code __name__="metric"}.
   *
   * @throws IndexException with {@link ErrorCode#INVALID_SELECTOR}; the message names the 0-based character
   *     position, as in {@code unexpected character [position=7, found='!', expected=...]}
   */
  public static Selector parse(String promSelector) {
    return new Selector(SelectorParser.parse(promSelector));
  }

  /** Selector notation that {@link #parse(String)} turns back into an equal selector: {@code {a="x",b=~"y"}}. */
  @Override
  public String toString() {
    return SelectorParser.format(matchers);
  }
}
