package io.quiver.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.index.internal.FastRegex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.roaringbitmap.RoaringBitmap;

/**
 * Selector evaluation and the regex fast paths against naive reference evaluators over random label sets. Each
 * try's {@code seed} is in the failure message (and jqwik prints its own seed); rerun one with
 * {@code @Property(seed = "...")}.
 */
class SelectPropertyTest {
  private Path root;
  private int tryNumber;

  @BeforeProperty
  void createRoot() throws Exception {
    root = Files.createTempDirectory("select-property");
  }

  @AfterProperty
  void deleteRoot() throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Property(tries = 60)
  void shouldSelectLikeTheReferenceEvaluator(@ForAll long seed) {
    RandomLabels gen = new RandomLabels(seed);
    List<Labels> all = new ArrayList<>();
    int n = 1 + gen.random().nextInt(gen.random().nextBoolean() ? 40 : 600);
    try (SeriesIndex index = SeriesIndex.open(root.resolve("try-" + tryNumber++))) {
      for (int i = 0; i < n; i++) {
        Labels l = gen.labels();
        if (index.lookup(l) < 0) {
          all.add(l);
        }
        index.getOrCreate(l);
      }
      for (int q = 0; q < 40; q++) {
        Selector selector;
        try {
          selector = new Selector(gen.matchers());
        } catch (IndexException e) {
          continue; // every matcher matched "": not a valid selector
        }
        RoaringBitmap expected = new RoaringBitmap();
        for (int id = 0; id < all.size(); id++) {
          if (reference(selector, all.get(id))) {
            expected.add(id);
          }
        }
        assertThat(index.select(selector)).as("seed=%d selector=%s", seed, selector).isEqualTo(expected);
      }
    }
  }

  /**
   * Large dictionaries (beyond the scan-cache threshold) queried repeatedly while series keep arriving: the cached
   * scan results, their per-series extension and the candidate filter must all agree with the reference.
   */
  private static final String[] PREFIXES = {"v", "v", "é", "日v"};

  @Property(tries = 4)
  void shouldKeepCachedScansExactWhileSeriesArrive(@ForAll long seed) {
    RandomLabels gen = new RandomLabels(seed);
    java.util.Random r = gen.random();
    List<Labels> all = new ArrayList<>();
    String[] selectors = {
      "{a=~\"v1.*7\"}", "{a=~\".*3.*\"}", "{b=\"x\", a=~\".*[27]\"}", "{b=~\".+\", a!~\".*1\"}",
      "{a!=\"\", b=~\"x|y\", a=~\"v[0-9]*5[0-9]\"}", "{a=~\"v.*\", b!=\"x\"}", "{b=~\"x|y\", a!~\"v9.*\"}",
      "{a=~\".*é1.*\"}", "{a=~\"日v.*3\"}", "{a=~\".*v1\"}", "{a=~\"(é|日v)12.*\"}", "{a=~\"[^v].*77\"}"
    };
    try (SeriesIndex index = SeriesIndex.open(root.resolve("try-" + tryNumber++))) {
      for (int round = 0; round < 8; round++) {
        int add = round == 0 ? 1500 + r.nextInt(1500) : r.nextInt(round % 3 == 0 ? 2000 : 40);
        for (int i = 0; i < add; i++) {
          Labels l = r.nextInt(10) == 0
              ? Labels.of("b", r.nextBoolean() ? "x" : "y")
              : Labels.of("a", PREFIXES[r.nextInt(PREFIXES.length)] + r.nextInt(20_000),
                  "b", r.nextBoolean() ? "x" : "y");
          if (index.lookup(l) < 0) {
            all.add(l);
          }
          index.getOrCreate(l);
        }
        for (String text : selectors) {
          Selector selector = Selector.parse(text);
          RoaringBitmap expected = new RoaringBitmap();
          for (int id = 0; id < all.size(); id++) {
            if (reference(selector, all.get(id))) {
              expected.add(id);
            }
          }
          RoaringBitmap actual = index.select(selector);
          assertThat(actual).as("seed=%d round=%d selector=%s", seed, round, selector).isEqualTo(expected);
          actual.add(Integer.MAX_VALUE - 1); // results are owned by the caller: mutating must not leak into caches
        }
      }
    }
  }

  @Property(tries = 200)
  void shouldMatchRegexLikeJavaUtilRegex(@ForAll long seed) {
    RandomLabels gen = new RandomLabels(seed);
    String regex = RandomLabels.REGEXES[gen.random().nextInt(RandomLabels.REGEXES.length)];
    if (gen.random().nextBoolean()) {
      regex = regex + "|" + RandomLabels.REGEXES[gen.random().nextInt(RandomLabels.REGEXES.length)];
    }
    Pattern pattern = Pattern.compile(regex, Pattern.DOTALL);
    FastRegex fast = FastRegex.compile(regex);
    for (int i = 0; i < 50; i++) {
      String v = gen.random().nextInt(3) == 0 ? gen.value() + gen.value() : gen.value();
      assertThat(fast.matches(v)).as("seed=%d regex=%s kind=%s value=%s", seed, regex, fast.kind(), v)
          .isEqualTo(pattern.matcher(v).matches());
    }
  }

  private static final java.util.Map<String, Pattern> PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();

  /** The definition: every matcher accepts the series' value of its label, "" when absent. */
  static boolean reference(Selector selector, Labels labels) {
    for (Matcher m : selector.matchers()) {
      String v = labels.get(m.name());
      String value = v == null ? "" : v;
      boolean inner = m.type().regex()
          ? PATTERNS.computeIfAbsent(m.value(), re -> Pattern.compile(re, Pattern.DOTALL)).matcher(value).matches()
          : m.value().equals(value);
      if (inner == m.type().negative()) {
        return false;
      }
    }
    return true;
  }
}
