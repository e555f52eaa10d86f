package io.quiver.index.internal;

import io.quiver.index.ErrorCode;
import io.quiver.index.IndexException;
import java.nio.charset.StandardCharsets;

/**
 * The text a {@code java.util.regex} matcher reads, with a budget of character reads per match. The engine
 * backtracks, so a pattern such as {@code (.*a){12}b} needs exponential time on a run of {@code a} (Java 9+
 * memoises simple repeated groups such as {@code (a|aa)*}, not these); Prometheus' RE2 never backtracks. Every
 * character read counts; past {@link #MAX_READS} for one value the match fails with
 * {@link ErrorCode#INVALID_SELECTOR} (HTTP 400, Flight INVALID_ARGUMENT) instead of occupying a query thread for
 * minutes. A sane pattern reads each character of a value a few times; {@code .*foo.*bar.*} on a 2,000-character
 * value reads about four million.
 *
 * <p>Holds either a string or ASCII bytes (read without a copy). One instance per thread; {@link #reset} before each
 * match.
 */
final class MatchInput implements CharSequence {
  /** Character reads allowed to test one value: about 40 ms of backtracking on this project's 2-core VM. */
  static final long MAX_READS = 10_000_000;

  private final String regex;
  private final long maxReads;
  private String string;
  private byte[] bytes;
  private int offset;
  private int length;
  private long reads;

  /** An input for matches of {@code regex} (named in the error) with the {@link #MAX_READS} budget. */
  MatchInput(String regex) {
    this(regex, MAX_READS);
  }

  /** An input with another budget (tests use a small one for their reference matches). */
  MatchInput(String regex, long maxReads) {
    this.regex = regex;
    this.maxReads = maxReads;
  }

  /** Targets {@code value} with a fresh budget. */
  MatchInput reset(String value) {
    string = value;
    bytes = null;
    offset = 0;
    length = value.length();
    reads = 0;
    return this;
  }

  /** Targets {@code len} ASCII bytes of {@code b} from {@code off} with a fresh budget. */
  MatchInput reset(byte[] b, int off, int len) {
    string = null;
    bytes = b;
    offset = off;
    length = len;
    reads = 0;
    return this;
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public char charAt(int index) {
    if (++reads > maxReads) {
      throw new IndexException(ErrorCode.INVALID_SELECTOR, "regex too expensive to evaluate: more than " + maxReads
          + " character reads for one label value of " + length + " characters (nested or overlapping repetition"
          + " makes java.util.regex backtrack exponentially) [regex=" + regex + "]");
    }
    return string != null ? string.charAt(index) : (char) bytes[offset + index];
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return toString().substring(start, end);
  }

  @Override
  public String toString() {
    return string != null ? string : new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
  }
}
