package io.quiver.index.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.index.IndexException;
import io.quiver.index.Labels;
import io.quiver.index.Matcher;
import io.quiver.index.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.roaringbitmap.RoaringBitmap;

/**
 * The regex fast paths (shape analysis, alternations split into branches, byte-level tests over packed values,
 * prefix ranges of the sorted dictionary) against {@code java.util.regex} on random patterns from a small grammar
 * that mixes literals, classes holding metacharacters, groups, quantifiers, escapes, alternations at every level,
 * and the constructs that must keep a pattern whole (inline flags, quoting, back references).
 */
class FastRegexPropertyTest {
  private static final String[] ATOMS = {
    "a", "b", "c", "-", "1", "2", "é", "日", "\\.", "\\|", "\\(", ".", "[a-c]", "[^b]", "[0-9]", "[.|]", "[)(]",
    "\\d", "\\w", "x", "ab", "10", "\\-"
  };
  private static final String[] QUANTIFIERS = {"", "", "", "*", "+", "?", "{1,2}", "*?", ".*"};
  private static final String[] RARE = {"(?i)a", "(?i)b", "\\Q.|\\E", "(a)\\1", "(?:b|)", "(?=a)a", "\\Qa|b\\E"};
  private static final char[] ALPHABET = {'a', 'b', 'c', '-', '.', '|', '1', '2', '0', 'x', 'A', 'B', 'é', '日', '(', ')'};

  static String regex(Random r, int depth) {
    int branches = 1 + (r.nextInt(3) == 0 ? r.nextInt(4) : 0);
    StringBuilder sb = new StringBuilder();
    for (int b = 0; b < branches; b++) {
      if (b > 0) {
        sb.append('|');
      }
      int items = r.nextInt(5);
      for (int i = 0; i < items; i++) {
        int pick = r.nextInt(20);
        if (pick == 0 && depth < 2) {
          sb.append(r.nextBoolean() ? "(" : "(?:").append(regex(r, depth + 1)).append(')');
        } else if (pick == 1) {
          sb.append(RARE[r.nextInt(RARE.length)]);
        } else {
          sb.append(ATOMS[r.nextInt(ATOMS.length)]);
        }
        sb.append(QUANTIFIERS[r.nextInt(QUANTIFIERS.length)]);
      }
    }
    return sb.toString();
  }

  static String value(Random r, String[] seeds) {
    if (r.nextInt(3) == 0) {
      String s = seeds[r.nextInt(seeds.length)];
      return s + (r.nextBoolean() ? "" : String.valueOf(ALPHABET[r.nextInt(ALPHABET.length)]));
    }
    int n = r.nextInt(7);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(ALPHABET[r.nextInt(ALPHABET.length)]);
    }
    return sb.toString();
  }

  private static final String[] SEEDS = {"ab", "10.", "a-1", "x|", "é日", "b.c", "a(", "aa", "12", "c"};

  @Property(tries = 1000)
  void shouldMatchLikeJavaUtilRegex(@ForAll long seed) {
    Random r = new Random(seed);
    String regex = regex(r, 0);
    Pattern pattern;
    try {
      pattern = Pattern.compile(regex, Pattern.DOTALL);
    } catch (PatternSyntaxException e) {
      return;
    }
    FastRegex fast = FastRegex.analyse(regex, pattern);
    FastRegex.Tester tester = fast.tester();
    for (int i = 0; i < 60; i++) {
      String v = value(r, SEEDS);
      Boolean reference = reference(pattern, regex, v);
      if (reference == null) {
        return; // too expensive for java.util.regex itself: the index rejects it (MatchInputTest)
      }
      boolean want = reference;
      assertThat(fast.matches(v)).as("seed=%d regex=%s kind=%s value=%s", seed, regex, fast, v).isEqualTo(want);
      assertThat(tester.test(v)).as("tester seed=%d regex=%s value=%s", seed, regex, v).isEqualTo(want);
    }
  }

  /** Constructs that reach across branches keep the pattern whole; the split shapes are what they claim. */
  @Example
  void shouldSplitOnlyIndependentBranches() {
    String[][] cases = {
      {"x|(?i)a|b", "B"}, {"(b)|(a)\\1", "aa"}, {"a\\Q|\\Eb", "a|b"}, {"a\\Q|\\Eb", "a"}, {"(?x)a | b", "b"},
      {"[|]|a", "|"}, {"(a|b)c|d", "bc"}, {"10\\.0\\.1.*|x1", "10.0.12"}, {"5..|x", "503"}, {"\\c||a", "a"}
    };
    for (String[] c : cases) {
      Pattern pattern = Pattern.compile(c[0], Pattern.DOTALL);
      FastRegex fast = FastRegex.analyse(c[0], pattern);
      assertThat(fast.matches(c[1])).as("%s on %s (%s)", c[0], c[1], fast).isEqualTo(pattern.matcher(c[1]).matches());
    }
    assertThat(FastRegex.analyse("x|(?i)a", Pattern.compile("x|(?i)a")).kind()).isEqualTo(FastRegex.Kind.REGEX);
    FastRegex alt = FastRegex.analyse("10\\.0\\.1.*|x1", Pattern.compile("10\\.0\\.1.*|x1"));
    assertThat(alt.kind()).isEqualTo(FastRegex.Kind.ALTERNATION);
    assertThat(alt.branches()).extracting(FastRegex::kind).containsExactly(FastRegex.Kind.PREFIX, FastRegex.Kind.SET);
    assertThat(FastRegex.analyse("web-[0-9]+", Pattern.compile("web-[0-9]+")).kind())
        .isEqualTo(FastRegex.Kind.PREFIXED_REGEX);
  }

  /**
   * Dictionary-level evaluation: over 2,000+ distinct values (full packed chunks, the scan cache, prefix ranges of
   * the sorted view, alternation branches) both {@code =~} and {@code !~} select exactly the reference series.
   */
  @Property(tries = 60)
  void shouldSelectLikeJavaUtilRegexOverALargeDictionary(@ForAll long seed) {
    Random r = new Random(seed);
    MemIndex mem = new MemIndex();
    List<String> values = new ArrayList<>();
    int n = 1200 + r.nextInt(1500);
    for (int i = 0; i < n; i++) {
      String v = value(r, SEEDS) + (r.nextInt(4) == 0 ? "" : Integer.toString(r.nextInt(3000)));
      Labels l = v.isEmpty() ? Labels.of("b", "y") : Labels.of("a", v, "b", r.nextBoolean() ? "x" : "y");
      if (mem.lookup(l) < 0) {
        mem.getOrCreate(l);
        values.add(v);
      }
    }
    SelectEvaluator eval = new SelectEvaluator(mem);
    for (int q = 0; q < 12; q++) {
      String regex = regex(r, 0);
      Pattern pattern;
      try {
        pattern = Pattern.compile(regex, Pattern.DOTALL);
      } catch (PatternSyntaxException e) {
        continue;
      }
      for (Matcher.Type type : new Matcher.Type[] {Matcher.Type.REGEX, Matcher.Type.NOT_REGEX}) {
        RoaringBitmap expected = new RoaringBitmap();
        boolean emptyMatches = pattern.matcher("").matches();
        boolean tooExpensive = false;
        for (int id = 0; id < values.size() && !tooExpensive; id++) {
          Boolean reference = reference(pattern, regex, values.get(id));
          tooExpensive = reference == null;
          if (!tooExpensive && reference != (type == Matcher.Type.NOT_REGEX)) {
            expected.add(id);
          }
        }
        if (tooExpensive) {
          continue;
        }
        Selector selector;
        try {
          selector = new Selector(List.of(new Matcher("a", type, regex), Matcher.regex("b", "x|y")));
        } catch (RuntimeException e) {
          continue; // a selector whose every matcher accepts "": not valid
        }
        assertThat(eval.select(selector)).as("seed=%d regex=%s type=%s empty=%s kind=%s", seed, regex, type,
            emptyMatches, FastRegex.compile(regex)).isEqualTo(expected);
      }
    }
  }

  /** Byte-level tests on packed chunks agree with the string path. */
  @Property(tries = 200)
  void shouldTestPackedValuesLikeStrings(@ForAll long seed) {
    Random r = new Random(seed);
    MemIndex mem = new MemIndex();
    while (mem.seriesCount() < PublishedList.CHUNK_SIZE) {
      String v = value(r, SEEDS) + r.nextInt(100_000);
      mem.getOrCreate(Labels.of("a", v));
    }
    LabelPostings lp = mem.postings("a");
    PackedValues chunk = PackedValues.pack(lp, 0, PublishedList.CHUNK_SIZE);
    for (int q = 0; q < 5; q++) {
      String regex = regex(r, 0);
      Pattern pattern;
      try {
        pattern = Pattern.compile(regex, Pattern.DOTALL);
      } catch (PatternSyntaxException e) {
        continue;
      }
      ValueTester tester = ValueTester.of(FastRegex.analyse(regex, pattern), "");
      for (int i = 0; i < PublishedList.CHUNK_SIZE; i++) {
        String v = lp.valueAt(i).value();
        Boolean reference = reference(pattern, regex, v);
        if (reference == null) {
          break; // too expensive for java.util.regex itself
        }
        assertThat(tester.test(chunk, i)).as("seed=%d regex=%s value=%s", seed, regex, v).isEqualTo(reference);
      }
    }
  }

  /**
   * java.util.regex's verdict on {@code value}, or {@code null} when it needs more than 200,000 character reads
   * (random nested quantifiers sometimes backtrack for minutes). Far below the index's own budget
   * ({@link MatchInput#MAX_READS}), so the paths under test never hit theirs on the values compared.
   */
  static Boolean reference(Pattern pattern, String regex, String value) {
    try {
      return pattern.matcher(new MatchInput(regex, 200_000).reset(value)).matches();
    } catch (IndexException e) {
      return null;
    }
  }
}
