package io.quiver.index.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A fully anchored label-value regex with the shortcuts of Prometheus' {@code FastRegexMatcher}
 * (model/labels/regexp.go): the pattern is analysed once and, when its shape allows, answered without the regex
 * engine, and the index can evaluate it against the value dictionary as set lookups or a sorted range.
 *
 * <p>Recognised shapes, in order: {@code .*} (anything), {@code .+} (non-empty), an alternation of up to
 * {@value #MAX_SET_LITERALS} literals ({@code a|b|c}, optionally in one group), any other top-level alternation of
 * up to {@value #MAX_BRANCHES} branches (each branch analysed on its own, as Prometheus' {@code orStringMatcher}
 * does; only when the pattern has no inline flags, quoting or back references, which could reach across
 * branches), a literal prefix followed by {@code .*}, {@code .*literal}, {@code .*literal.*}, and a literal prefix
 * followed by anything else (the prefix narrows the dictionary range, the regex decides). Everything else is a
 * plain anchored {@link Pattern}.
 *
 * <p>Semantics: {@code java.util.regex} with {@link Pattern#DOTALL}, so {@code .} matches a newline as in
 * Prometheus 3. Go's RE2 and Java differ in rare syntax (possessive quantifiers and back references exist only in
 * Java; {@code \z}, {@code (?P<name>)} only in Go); we accept Java syntax.
 */
public final class FastRegex {
  /** Most literals of an alternation answered as a set (Prometheus' {@code maxSetMatches}). */
  public static final int MAX_SET_LITERALS = 256;
  /** Most branches of an alternation analysed one by one. */
  public static final int MAX_BRANCHES = 64;

  private static final int CACHE_LIMIT = 4096;
  private static final Map<String, FastRegex> CACHE = new ConcurrentHashMap<>();
  private static final String META = ".[]{}()|*+?^$\\";

  /** Shape of a pattern, cheapest first. */
  public enum Kind {
    /** {@code .*}: matches every value, the empty one included. */
    ANY,
    /** {@code .+}: matches every non-empty value. */
    NON_EMPTY,
    /** A finite set of literals. */
    SET,
    /** {@code literal.*}. */
    PREFIX,
    /** {@code .*literal}. */
    SUFFIX,
    /** {@code .*literal.*}. */
    CONTAINS,
    /** A literal prefix, then an arbitrary regex tail: range over the dictionary, then the regex. */
    PREFIXED_REGEX,
    /** {@code b1|b2|...}: matches when some branch does; see {@link #branches()}. */
    ALTERNATION,
    /** Anything else: the regex engine over every dictionary value. */
    REGEX
  }

  private final String source;
  private final Pattern pattern;
  private final Kind kind;
  private final String literal;
  private final String[] set;
  private final Set<String> hashSet;
  /** A literal every matching value contains (beyond the prefix), checked before the regex engine; may be empty. */
  private final String required;
  private final FastRegex[] branches;

  private FastRegex(String source, Pattern pattern, Kind kind, String literal, List<String> set) {
    this(source, pattern, kind, literal, set, new FastRegex[0]);
  }

  private FastRegex(String source, Pattern pattern, Kind kind, String literal, List<String> set,
      FastRegex[] branches) {
    this.branches = branches;
    this.source = source;
    this.pattern = pattern;
    this.kind = kind;
    this.literal = literal;
    this.required = kind == Kind.REGEX || kind == Kind.PREFIXED_REGEX ? requiredLiteral(source) : "";
    this.set = set == null ? new String[0] : set.toArray(new String[0]);
    // A linear scan beats hashing for a handful of literals (Prometheus switches at 16).
    this.hashSet = this.set.length >= 16 ? new HashSet<>(Arrays.asList(this.set)) : null;
  }

  /**
   * Compiles (or fetches from a bounded cache) the analysed form of {@code regex}.
   *
   * @throws java.util.regex.PatternSyntaxException if the pattern does not compile
   */
  public static FastRegex compile(String regex) {
    FastRegex cached = CACHE.get(regex);
    if (cached != null) {
      return cached;
    }
    FastRegex compiled = analyse(regex, Pattern.compile(regex, Pattern.DOTALL));
    if (CACHE.size() >= CACHE_LIMIT) {
      CACHE.clear(); // crude but bounded; selectors repeat, so the working set refills quickly
    }
    CACHE.put(regex, compiled);
    return compiled;
  }

  /** The pattern as written. */
  public String source() {
    return source;
  }

  /** The recognised shape. */
  public Kind kind() {
    return kind;
  }

  /**
   * The literal of a {@link Kind#PREFIX}, {@link Kind#SUFFIX}, {@link Kind#CONTAINS} or {@link Kind#PREFIXED_REGEX}
   * pattern (the prefix for the last); empty otherwise.
   */
  public String literal() {
    return literal;
  }

  /** A literal every match contains, checked before the regex engine (may be empty). */
  public String required() {
    return required;
  }

  /** The compiled, anchored-by-{@code matches()} pattern. */
  public Pattern pattern() {
    return pattern;
  }

  /** The literals of a {@link Kind#SET} pattern (a copy). */
  public List<String> setLiterals() {
    return List.of(set);
  }

  /** The analysed branches of an {@link Kind#ALTERNATION} (a copy); empty otherwise. */
  public List<FastRegex> branches() {
    return List.of(branches);
  }

  /** Whether the whole of {@code value} matches (anchored at both ends). */
  public boolean matches(String value) {
    switch (kind) {
      case ANY:
        return true;
      case NON_EMPTY:
        return !value.isEmpty();
      case SET:
        return setContains(value);
      case PREFIX:
        return value.startsWith(literal);
      case SUFFIX:
        return value.endsWith(literal);
      case CONTAINS:
        return value.contains(literal);
      case PREFIXED_REGEX:
        return value.startsWith(literal) && value.contains(required) && fullMatch(value);
      case ALTERNATION:
        for (FastRegex b : branches) {
          if (b.matches(value)) {
            return true;
          }
        }
        return false;
      default:
        return value.contains(required) && fullMatch(value);
    }
  }

  /** The whole pattern against {@code value}, within {@link MatchInput}'s budget. */
  private boolean fullMatch(String value) {
    return pattern.matcher(new MatchInput(source).reset(value)).matches();
  }

  /**
   * A matcher for one thread that reuses its {@link java.util.regex.Matcher}: use it for scans of many values.
   */
  public Tester tester() {
    return new Tester();
  }

  /** Single-threaded companion of {@link #matches(String)} that allocates nothing per value. */
  public final class Tester {
    private final java.util.regex.Matcher matcher = pattern.matcher("");
    private final MatchInput input = new MatchInput(source);
    private final Tester[] branchTesters;

    private Tester() {
      branchTesters = new Tester[branches.length];
      for (int i = 0; i < branches.length; i++) {
        branchTesters[i] = branches[i].tester();
      }
    }

    /** Same as {@link FastRegex#matches(String)}. */
    public boolean test(String value) {
      switch (kind) {
        case PREFIXED_REGEX:
          return value.startsWith(literal) && value.contains(required) && matcher.reset(input.reset(value)).matches();
        case REGEX:
          return value.contains(required) && matcher.reset(input.reset(value)).matches();
        case ALTERNATION:
          for (Tester t : branchTesters) {
            if (t.test(value)) {
              return true;
            }
          }
          return false;
        default:
          return matches(value);
      }
    }
  }

  private boolean setContains(String value) {
    if (hashSet != null) {
      return hashSet.contains(value);
    }
    for (String s : set) {
      if (s.equals(value)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return kind + "(" + source + ")";
  }

  // ---------------------------------------------------------------- analysis

  static FastRegex analyse(String source, Pattern pattern) {
    if (source.equals(".*")) {
      return new FastRegex(source, pattern, Kind.ANY, "", null);
    }
    if (source.equals(".+")) {
      return new FastRegex(source, pattern, Kind.NON_EMPTY, "", null);
    }
    String body = stripOuterGroup(source);
    List<String> alternatives = splitBranches(body);
    if (alternatives != null && alternatives.size() <= MAX_SET_LITERALS) {
      List<String> literals = new ArrayList<>(alternatives.size());
      for (String alternative : alternatives) {
        String lit = unescapeLiteral(alternative);
        if (lit == null) {
          literals = null;
          break;
        }
        literals.add(lit);
      }
      if (literals != null) {
        return new FastRegex(source, pattern, Kind.SET, "", literals);
      }
    }
    if (alternatives != null && alternatives.size() > 1) {
      return alternation(source, pattern, alternatives);
    }
    if (alternatives == null) {
      return new FastRegex(source, pattern, Kind.REGEX, "", null);
    }
    int[] end = new int[1];
    String prefix = literalPrefix(body, end);
    String rest = body.substring(end[0]);
    if (!prefix.isEmpty()) {
      Kind kind = rest.equals(".*") ? Kind.PREFIX : Kind.PREFIXED_REGEX;
      return new FastRegex(source, pattern, kind, prefix, null);
    }
    if (rest.startsWith(".*")) {
      String middle = rest.substring(2);
      String suffix = unescapeLiteral(middle);
      if (suffix != null && !suffix.isEmpty()) {
        return new FastRegex(source, pattern, Kind.SUFFIX, suffix, null);
      }
      if (middle.endsWith(".*")) {
        String contained = unescapeLiteral(middle.substring(0, middle.length() - 2));
        if (contained != null && !contained.isEmpty()) {
          return new FastRegex(source, pattern, Kind.CONTAINS, contained, null);
        }
      }
    }
    return new FastRegex(source, pattern, Kind.REGEX, "", null);
  }

  /**
   * An alternation analysed branch by branch; {@code matches(a|b) == matches(a) || matches(b)} for a fully anchored
   * match, as long as nothing reaches across the branches: inline flags ({@code x|(?i)y|z} makes {@code z}
   * case-insensitive too), quoting ({@code \Q..|..\E}), control escapes ({@code \c|}) and back references.
   * Such patterns, and alternations with too many branches, stay a plain regex.
   */
  private static FastRegex alternation(String source, Pattern pattern, List<String> alternatives) {
    if (alternatives.size() > MAX_BRANCHES || !branchesIndependent(source)) {
      return new FastRegex(source, pattern, Kind.REGEX, "", null);
    }
    FastRegex[] parts = new FastRegex[alternatives.size()];
    for (int i = 0; i < parts.length; i++) {
      String branch = alternatives.get(i);
      parts[i] = analyse(branch, Pattern.compile(branch, Pattern.DOTALL));
      if (parts[i].kind == Kind.ANY) {
        return new FastRegex(source, pattern, Kind.ANY, "", null);
      }
    }
    return new FastRegex(source, pattern, Kind.ALTERNATION, "", null, parts);
  }

  /** Whether the branches of {@code re} can be compiled on their own (see {@link #alternation}). */
  static boolean branchesIndependent(String re) {
    for (int i = 0; i < re.length(); i++) {
      char c = re.charAt(i);
      if (c == '(' && i + 1 < re.length() && re.charAt(i + 1) == '?'
          && !(i + 2 < re.length() && re.charAt(i + 2) == ':')) {
        return false; // flags, look-around, named or atomic groups
      }
      if (c == '\\' && i + 1 < re.length()) {
        char e = re.charAt(++i);
        if (e == 'Q' || e == 'E' || e == 'c' || e == 'k' || (e >= '0' && e <= '9')) {
          return false;
        }
      }
    }
    return true;
  }

  /** {@code (x)} or {@code (?:x)} spanning the whole pattern becomes {@code x}; anything else is returned as is. */
  static String stripOuterGroup(String re) {
    if (re.length() < 2 || re.charAt(0) != '(' || re.charAt(re.length() - 1) != ')') {
      return re;
    }
    int start;
    if (re.startsWith("(?:")) {
      start = 3;
    } else if (re.length() > 1 && re.charAt(1) == '?') {
      return re; // flags or look-around: keep the regex engine
    } else {
      start = 1;
    }
    int depth = 0;
    for (int i = 0; i < re.length(); i++) {
      char c = re.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '[') {
        return re; // character classes may hide parentheses; not worth parsing
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
        if (depth == 0 && i != re.length() - 1) {
          return re; // (a)|(b) - the first group closes early
        }
      }
    }
    return depth == 0 ? re.substring(start, re.length() - 1) : re;
  }

  /**
   * Splits at top-level {@code |}, stepping over escapes, groups and character classes; {@code null} if a group
   * or class does not parse (unbalanced, nested classes) or the pattern uses quoting.
   */
  static List<String> splitBranches(String re) {
    List<String> parts = new ArrayList<>();
    int from = 0;
    int i = 0;
    while (i < re.length()) {
      char c = re.charAt(i);
      if (c == '\\') {
        if (i + 1 < re.length() && re.charAt(i + 1) == 'Q') {
          return null; // \Q...\E quotes metacharacters
        }
        i += 2;
      } else if (c == '(' || c == '[') {
        i = c == '(' ? skipGroup(re, i) : skipClass(re, i);
        if (i < 0) {
          return null;
        }
      } else if (c == ')') {
        return null; // unbalanced
      } else {
        if (c == '|') {
          parts.add(re.substring(from, i));
          from = i + 1;
        }
        i++;
      }
    }
    parts.add(re.substring(from));
    return parts;
  }

  /** The literal a regex fragment stands for, or {@code null} if it contains any operator. */
  static String unescapeLiteral(String fragment) {
    StringBuilder sb = new StringBuilder(fragment.length());
    for (int i = 0; i < fragment.length(); i++) {
      char c = fragment.charAt(i);
      if (c == '\\') {
        if (i + 1 >= fragment.length() || !isEscapedLiteral(fragment.charAt(i + 1))) {
          return null;
        }
        sb.append(fragment.charAt(++i));
      } else if (META.indexOf(c) >= 0) {
        return null;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * The longest literal prefix of a single-branch regex. An atom followed by a quantifier is not part of it
   * ({@code ab*} has prefix {@code a}). {@code end[0]} receives the index where the non-literal rest starts.
   */
  static String literalPrefix(String re, int[] end) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < re.length()) {
      char c = re.charAt(i);
      int atomEnd;
      char literalChar;
      if (c == '\\') {
        if (i + 1 >= re.length() || !isEscapedLiteral(re.charAt(i + 1))) {
          break;
        }
        literalChar = re.charAt(i + 1);
        atomEnd = i + 2;
      } else if (META.indexOf(c) >= 0) {
        break;
      } else {
        literalChar = c;
        atomEnd = i + 1;
      }
      boolean surrogatePair = Character.isHighSurrogate(literalChar) && atomEnd < re.length()
          && Character.isLowSurrogate(re.charAt(atomEnd));
      if (surrogatePair) {
        atomEnd++;
      }
      if (atomEnd < re.length() && "*+?{".indexOf(re.charAt(atomEnd)) >= 0) {
        break; // the quantifier applies to this atom
      }
      sb.append(re, c == '\\' ? i + 1 : i, atomEnd);
      i = atomEnd;
    }
    end[0] = i;
    return sb.toString();
  }

  /**
   * The longest run of literal characters at the top level of {@code re} that every match must contain, ignoring
   * a run at the very start (that is the prefix, checked separately). Empty when the pattern has a top-level
   * alternation or inline flags (a case-insensitive literal is not a literal).
   */
  static String requiredLiteral(String re) {
    if (re.replace("(?:", "").contains("(?")) {
      return "";
    }
    String best = "";
    StringBuilder cur = new StringBuilder();
    int curStart = 0;
    int lastAtom = 0;
    int i = 0;
    while (i < re.length()) {
      char c = re.charAt(i);
      if (c == '(' || c == '[') {
        int end = c == '(' ? skipGroup(re, i) : skipClass(re, i);
        if (end < 0) {
          return "";
        }
        best = longer(best, cur, curStart);
        cur.setLength(0);
        i = end;
        curStart = i;
      } else if (c == '|') {
        return "";
      } else if (c == '*' || c == '?' || c == '{' || c == '+') {
        if (c != '+') {
          cur.setLength(Math.max(0, cur.length() - lastAtom)); // the atom is optional
        }
        best = longer(best, cur, curStart);
        cur.setLength(0);
        i = c == '{' ? re.indexOf('}', i) + 1 : i + 1;
        if (i == 0) {
          return "";
        }
        while (i < re.length() && (re.charAt(i) == '?' || re.charAt(i) == '+')) {
          i++; // lazy or possessive modifier
        }
        curStart = i;
      } else if (c == '\\') {
        if (i + 1 < re.length() && isEscapedLiteral(re.charAt(i + 1))) {
          cur.append(re.charAt(i + 1));
          lastAtom = 1;
        } else {
          best = longer(best, cur, curStart);
          cur.setLength(0);
          curStart = i + 2;
        }
        i += 2;
      } else if (c == '.' || c == '^' || c == '$') {
        best = longer(best, cur, curStart);
        cur.setLength(0);
        i++;
        curStart = i;
      } else {
        boolean pair = Character.isHighSurrogate(c) && i + 1 < re.length()
            && Character.isLowSurrogate(re.charAt(i + 1));
        cur.append(re, i, i + (pair ? 2 : 1));
        lastAtom = pair ? 2 : 1;
        i += pair ? 2 : 1;
      }
    }
    return longer(best, cur, curStart);
  }

  private static String longer(String best, StringBuilder cur, int curStart) {
    return curStart > 0 && cur.length() > best.length() ? cur.toString() : best;
  }

  /** Index after the group opening at {@code i}, or -1 if unbalanced. */
  private static int skipGroup(String re, int i) {
    int depth = 0;
    for (int j = i; j < re.length(); j++) {
      char c = re.charAt(j);
      if (c == '\\') {
        j++;
      } else if (c == '[') {
        j = skipClass(re, j) - 1;
        if (j < 0) {
          return -1;
        }
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return j + 1;
      }
    }
    return -1;
  }

  /** Index after the character class opening at {@code i}, or -1 if unterminated. */
  private static int skipClass(String re, int i) {
    int j = i + 1;
    if (j < re.length() && re.charAt(j) == '^') {
      j++;
    }
    if (j < re.length() && re.charAt(j) == ']') {
      j++;
    }
    for (; j < re.length(); j++) {
      char c = re.charAt(j);
      if (c == '\\') {
        j++;
      } else if (c == '[') {
        return -1; // nested classes and intersections: not worth analysing
      } else if (c == ']') {
        return j + 1;
      }
    }
    return -1;
  }

  /** {@code \x} is literal x for punctuation; escaped letters and digits are classes or back references. */
  private static boolean isEscapedLiteral(char c) {
    return !Character.isLetterOrDigit(c) && c < 128;
  }
}
