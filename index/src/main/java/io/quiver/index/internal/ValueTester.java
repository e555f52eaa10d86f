package io.quiver.index.internal;

import java.nio.charset.StandardCharsets;

/**
 * Tests label values held as UTF-8 bytes (see {@link PackedValues}) against a matcher's inner test, equality or a
 * {@link FastRegex}, without decoding when the shape allows: literal sets, prefixes, suffixes and substrings are
 * byte comparisons (UTF-8 is self-synchronising, so a byte match is a character match), and a general regex first
 * needs its prefix and required literal to be present. One instance per thread and scan.
 */
final class ValueTester {
  private final FastRegex regex;
  private final FastRegex.Tester stringTester;
  private final String literal;
  private final FastRegex.Kind kind;
  private final byte[] lit;
  private final byte[][] set;
  private final byte[] required;
  private final java.util.regex.Matcher matcher;
  private final MatchInput input;
  /** Latin-1 form of a literal every accepted value contains, for chunk-wide search; {@code null} if none. */
  private final String needle;
  /** Testers of an alternation's branches; empty otherwise. */
  private final ValueTester[] branches;

  private ValueTester(FastRegex regex, String literal) {
    this.regex = regex;
    this.literal = literal;
    this.stringTester = regex == null ? null : regex.tester();
    this.kind = regex == null ? FastRegex.Kind.SET : regex.kind();
    if (regex == null) {
      this.set = new byte[][] {utf8(literal)};
      this.lit = new byte[0];
      this.required = new byte[0];
      this.matcher = null;
      this.input = null;
    } else {
      this.set = regex.setLiterals().stream().map(ValueTester::utf8).toArray(byte[][]::new);
      this.lit = utf8(regex.literal());
      this.required = utf8(regex.required());
      this.matcher = regex.pattern().matcher("");
      this.input = new MatchInput(regex.source());
    }
    byte[] must = kind == FastRegex.Kind.CONTAINS ? lit
        : (kind == FastRegex.Kind.REGEX || kind == FastRegex.Kind.PREFIXED_REGEX) ? required : new byte[0];
    this.needle = must.length > 0 ? new String(must, StandardCharsets.ISO_8859_1) : null;
    this.branches = kind == FastRegex.Kind.ALTERNATION
        ? regex.branches().stream().map(b -> new ValueTester(b, literal)).toArray(ValueTester[]::new)
        : new ValueTester[0];
  }

  /**
   * A literal (as Latin-1 of its UTF-8 bytes) that every value this tester accepts contains, or {@code null}:
   * scans for accepted values may search it chunk-wide and test only the values it occurs in.
   */
  String needle() {
    return needle;
  }

  /** A tester for the matcher's inner test: {@code regex} if given, else equality with {@code literal}. */
  static ValueTester of(FastRegex regex, String literal) {
    return new ValueTester(regex, literal);
  }

  boolean test(String value) {
    return stringTester != null ? stringTester.test(value) : literal.equals(value);
  }

  boolean test(PackedValues chunk, int i) {
    byte[] b = chunk.bytes;
    int off = chunk.offsets[i];
    int len = chunk.offsets[i + 1] - off;
    switch (kind) {
      case ANY:
        return true;
      case NON_EMPTY:
        return len > 0;
      case SET:
        for (byte[] s : set) {
          if (s.length == len && regionEquals(b, off, s)) {
            return true;
          }
        }
        return false;
      case PREFIX:
        return len >= lit.length && regionEquals(b, off, lit);
      case SUFFIX:
        return len >= lit.length && regionEquals(b, off + len - lit.length, lit);
      case CONTAINS:
        return indexOf(b, off, len, lit) >= 0;
      case PREFIXED_REGEX:
        if (len < lit.length || !regionEquals(b, off, lit)) {
          return false;
        }
        return regexTest(chunk, off, len);
      case ALTERNATION:
        for (ValueTester t : branches) {
          if (t.test(chunk, i)) {
            return true;
          }
        }
        return false;
      default:
        return regexTest(chunk, off, len);
    }
  }

  private boolean regexTest(PackedValues chunk, int off, int len) {
    if (required.length > 0 && indexOf(chunk.bytes, off, len, required) < 0) {
      return false;
    }
    if (chunk.ascii) {
      return matcher.reset(input.reset(chunk.bytes, off, len)).matches();
    }
    return matcher.reset(input.reset(new String(chunk.bytes, off, len, StandardCharsets.UTF_8))).matches();
  }

  private static boolean regionEquals(byte[] b, int off, byte[] s) {
    for (int k = 0; k < s.length; k++) {
      if (b[off + k] != s[k]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] b, int off, int len, byte[] s) {
    if (s.length == 0) {
      return 0;
    }
    byte first = s[0];
    int last = off + len - s.length;
    outer:
    for (int i = off; i <= last; i++) {
      if (b[i] != first) {
        continue;
      }
      for (int k = 1; k < s.length; k++) {
        if (b[i + k] != s[k]) {
          continue outer;
        }
      }
      return i - off;
    }
    return -1;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
