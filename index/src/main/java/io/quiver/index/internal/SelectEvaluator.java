package io.quiver.index.internal;

import io.quiver.index.Labels;
import io.quiver.index.Matcher;
import io.quiver.index.Selector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.roaringbitmap.BitSetUtil;
import org.roaringbitmap.FastAggregation;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.RoaringBitmapWriter;

/**
 * Evaluates a {@link Selector} against a {@link MemIndex}, the way Prometheus' {@code PostingsForMatchers} does,
 * plus VictoriaMetrics' "filter the few candidates instead of scanning a huge dictionary" step.
 *
 * <p>Every matcher {@code m} on label {@code L} denotes the series {@code s} with {@code m.matches(L(s) or "")}.
 *
 * <ul>
 *   <li>If {@code m} rejects {@code ""} it is <em>positive</em>: the union of the postings of the values it accepts.
 *   <li>Otherwise it is <em>negative</em>: all series minus the union of the postings of the values it rejects
 *       (series lacking {@code L} are kept, they count as {@code ""}).
 * </ul>
 *
 * The result is the intersection of the positive sets, cheapest first, minus the negative ones; with no positive
 * matcher the base is every series ({@code [0, seriesCount)}, ids are dense). When the candidates so far are far
 * fewer than the values a matcher would have to examine (a regex over a label with a million values after
 * {@code __name__="x"} left 2,000 series), the matcher is instead checked against each candidate's own value,
 * remembering the answer per distinct value. The whole evaluation uses one series-count limit read at the start,
 * so a concurrent writer never makes a result mix two states.
 */
public final class SelectEvaluator {
  /** Estimated work of checking one candidate series directly, in units of "one dictionary value examined". */
  private static final int FILTER_COST_PER_SERIES = 16;
  /** Assumed share of a dictionary a scanning matcher accepts, as a divisor (1/8), for the postings estimate. */
  private static final int SCAN_SELECTIVITY_DIVISOR = 8;
  /** Below 1/32 of the id space a union is gathered as ids; above, as a dense bitset. */
  private static final int SPARSE_UNION_DIVISOR = 32;
  /** Dictionaries smaller than this are scanned afresh: caching would not pay. */
  private static final int CACHE_MIN_VALUES = 1024;
  /** Postings with at least this many ids join a dense union as their cached bitmap rather than bit by bit. */
  private static final int BIG_POSTING_IDS = 4096;

  private final MemIndex mem;

  /** An evaluator over {@code mem}. */
  public SelectEvaluator(MemIndex mem) {
    this.mem = mem;
  }

  /** The ids of the series matching every matcher of {@code selector}; a new bitmap the caller owns. */
  public RoaringBitmap select(Selector selector) {
    int limit = mem.seriesCount();
    List<Plan> positives = new ArrayList<>();
    List<Plan> negatives = new ArrayList<>();
    for (Matcher m : selector.matchers()) {
      FastRegex regex = m.type().regex() ? FastRegex.compile(m.value()) : null;
      if (regex != null && regex.kind() == FastRegex.Kind.ANY) {
        if (m.type() == Matcher.Type.NOT_REGEX) {
          return new RoaringBitmap(); // !~".*" rejects everything
        }
        continue; // =~".*" accepts everything
      }
      LabelPostings lp = mem.postings(m.name());
      boolean present = lp != null && lp.hasSeriesBelow(limit);
      if (m.matchesEmpty()) {
        if (present) {
          negatives.add(new Plan(m, regex, lp, limit, false));
        }
      } else if (!present) {
        return new RoaringBitmap(); // needs a value of a label no series has
      } else {
        positives.add(new Plan(m, regex, lp, limit, true));
      }
    }
    positives.sort(Comparator.comparingLong(Plan::cost));
    negatives.sort(Comparator.comparingLong(Plan::cost));
    RoaringBitmap acc = null;
    boolean shared = false;
    for (Plan p : positives) {
      if (acc != null && acc.isEmpty()) {
        return acc;
      }
      if (acc != null && acc.getLongCardinality() * FILTER_COST_PER_SERIES < p.cost()) {
        acc = filter(acc, p);
        shared = false;
      } else {
        Union u = p.set();
        if (acc == null) {
          acc = u.bitmap();
          shared = u.shared();
        } else {
          acc = RoaringBitmap.and(acc, u.bitmap());
          shared = false;
        }
      }
    }
    if (acc == null) {
      acc = RoaringBitmap.bitmapOfRange(0, limit);
      shared = false;
    }
    for (Plan p : negatives) {
      if (acc.isEmpty()) {
        break;
      }
      if (acc.getLongCardinality() * FILTER_COST_PER_SERIES < p.cost()) {
        acc = filter(acc, p);
      } else {
        acc = RoaringBitmap.andNot(acc, p.set().bitmap());
      }
      shared = false;
    }
    return shared ? acc.clone() : acc;
  }

  /** Keeps the candidates whose own value of the plan's label satisfies its matcher. */
  private RoaringBitmap filter(RoaringBitmap candidates, Plan p) {
    Matcher m = p.matcher;
    String name = p.lp.name(); // the instance the index's label sets hold: Labels.get finds it by identity
    boolean negated = m.type().negative();
    FastRegex.Tester tester = p.regex != null ? p.regex.tester() : null;
    // Remember answers per value only when values repeat among the candidates (not for a unique-per-series label).
    Map<String, Boolean> memo =
        tester != null && (long) p.lp.valueCount() * 4 < candidates.getLongCardinality() ? new HashMap<>() : null;
    RoaringBitmapWriter<RoaringBitmap> out = RoaringBitmapWriter.writer().get();
    candidates.forEach((int id) -> {
      String v = mem.labels(id).get(name);
      boolean inner;
      if (v == null) {
        inner = tester != null ? tester.test("") : m.value().isEmpty();
      } else if (tester == null) {
        inner = m.value().equals(v);
      } else if (memo != null) {
        inner = memo.computeIfAbsent(v, tester::test);
      } else {
        inner = tester.test(v);
      }
      if (inner != negated) {
        out.add(id);
      }
    });
    return out.get();
  }

  private record Union(RoaringBitmap bitmap, boolean shared) {}

  /** Union of postings below {@code limit}; {@code shared} means the bitmap is a cached one (do not mutate). */
  static Union union(List<Posting> postings, int limit) {
    if (postings.isEmpty()) {
      return new Union(new RoaringBitmap(), false);
    }
    if (postings.size() == 1) {
      return new Union(postings.get(0).bitmap(limit), true);
    }
    long total = 0;
    for (Posting p : postings) {
      total += p.countBelow(limit);
    }
    if (total * SPARSE_UNION_DIVISOR < limit) {
      int[] ids = new int[(int) total];
      int offset = 0;
      for (Posting p : postings) {
        offset = p.copyIds(ids, offset, limit);
      }
      return new Union(RoaringBitmap.bitmapOfUnordered(ids), false);
    }
    long[] words = new long[(limit + 63) >>> 6];
    List<RoaringBitmap> big = new ArrayList<>();
    for (Posting p : postings) {
      if (p.countBelow(limit) >= BIG_POSTING_IDS) {
        big.add(p.bitmap(limit)); // cached per posting, and a container-wise OR beats setting 100k bits
      } else {
        p.setBits(words, limit);
      }
    }
    RoaringBitmap small = BitSetUtil.bitmapOf(words);
    if (big.isEmpty()) {
      return new Union(small, false);
    }
    big.add(small);
    return new Union(FastAggregation.or(big.iterator()), false);
  }

  /**
   * How one matcher is answered from the dictionary: which values it needs (those it accepts for a positive
   * matcher, those it rejects for a negative one) and an estimate of the work.
   */
  private final class Plan {
    private final Matcher matcher;
    private final FastRegex regex;
    private final LabelPostings lp;
    private final int limit;
    /** True: collect the values where the matcher's inner test (equality or regex, ignoring negation) holds. */
    private final boolean wantInner;
    private final long cost;

    Plan(Matcher matcher, FastRegex regex, LabelPostings lp, int limit, boolean positive) {
      this.matcher = matcher;
      this.regex = regex;
      this.lp = lp;
      this.limit = limit;
      // positive & non-negated, or negative & negated: the values of interest are those the inner test accepts.
      this.wantInner = positive != matcher.type().negative();
      this.cost = estimate();
    }

    long cost() {
      return cost;
    }

    /**
     * Work of answering through the dictionary, in "values examined or ids touched": exact for literals, the
     * range size for prefixes, and for scans the whole dictionary plus an assumed 1/8 of its postings.
     */
    private long estimate() {
      int values = lp.valueCount();
      long idsPerValue = Math.max(1, limit / Math.max(1, values));
      long scan = 2L * values + (long) values * idsPerValue / SCAN_SELECTIVITY_DIVISOR;
      if (!wantInner) {
        return scan;
      }
      if (regex == null) {
        Posting p = lp.get(matcher.value());
        return 1 + (p == null ? 0 : p.countBelow(limit));
      }
      switch (regex.kind()) {
        case SET: {
          long c = 0;
          for (String literal : regex.setLiterals()) {
            Posting p = lp.get(literal);
            c += 1 + (p == null ? 0 : p.countBelow(limit));
          }
          return c;
        }
        case PREFIX:
          long range = lp.estimatePrefix(regex.literal());
          return range + range * idsPerValue;
        case PREFIXED_REGEX:
          long prefixed = lp.estimatePrefix(regex.literal());
          return Math.min(scan, 2 * prefixed + prefixed * idsPerValue / SCAN_SELECTIVITY_DIVISOR);
        case ALTERNATION:
          return narrowAlternation() ? Math.min(scan, narrowCost(regex, idsPerValue)) : scan;
        default:
          return scan;
      }
    }

    /**
     * Whether an alternation is answered branch by branch from the dictionary: every branch is a literal set or
     * has a literal prefix, and together they examine at most half the values (else one scan is cheaper).
     */
    private boolean narrowAlternation() {
      long examined = narrowValues(regex);
      return examined >= 0 && examined * 2 <= lp.valueCount();
    }

    /** Dictionary values {@code r} examines through lookups and prefix ranges; -1 if it needs a full scan. */
    private long narrowValues(FastRegex r) {
      switch (r.kind()) {
        case SET:
          return r.setLiterals().size();
        case PREFIX:
        case PREFIXED_REGEX:
          return lp.estimatePrefix(r.literal());
        case ALTERNATION: {
          long sum = 0;
          for (FastRegex b : r.branches()) {
            long n = narrowValues(b);
            if (n < 0) {
              return -1;
            }
            sum += n;
          }
          return sum;
        }
        default:
          return -1;
      }
    }

    /** Estimated work of a narrow regex, as in {@link #estimate()}. */
    private long narrowCost(FastRegex r, long idsPerValue) {
      switch (r.kind()) {
        case SET: {
          long c = 0;
          for (String literal : r.setLiterals()) {
            Posting p = lp.get(literal);
            c += 1 + (p == null ? 0 : p.countBelow(limit));
          }
          return c;
        }
        case PREFIX: {
          long range = lp.estimatePrefix(r.literal());
          return range + range * idsPerValue;
        }
        case PREFIXED_REGEX: {
          long range = lp.estimatePrefix(r.literal());
          return 2 * range + range * idsPerValue / SCAN_SELECTIVITY_DIVISOR;
        }
        default: {
          long c = 0;
          for (FastRegex b : r.branches()) {
            c += narrowCost(b, idsPerValue);
          }
          return c;
        }
      }
    }

    /** Adds the postings of the values a narrow regex accepts (an alternation may add one twice). */
    private void collect(FastRegex r, List<Posting> out) {
      switch (r.kind()) {
        case SET:
          for (String literal : r.setLiterals()) {
            Posting p = lp.get(literal);
            if (p != null) {
              out.add(p);
            }
          }
          return;
        case PREFIX:
          lp.withPrefix(r.literal(), out);
          return;
        case PREFIXED_REGEX: {
          List<Posting> range = new ArrayList<>();
          lp.withPrefix(r.literal(), range);
          FastRegex.Tester tester = r.tester();
          for (Posting p : range) {
            if (tester.test(p.value())) {
              out.add(p);
            }
          }
          return;
        }
        default:
          for (FastRegex b : r.branches()) {
            collect(b, out);
          }
      }
    }

    /** The union of the postings of the values this plan needs. */
    Union set() {
      if (!wantInner) {
        return scan();
      }
      List<Posting> out = new ArrayList<>();
      if (regex == null) {
        Posting p = lp.get(matcher.value());
        if (p != null) {
          out.add(p);
        }
        return union(out, limit);
      }
      switch (regex.kind()) {
        case SET:
          for (String literal : regex.setLiterals()) {
            Posting p = lp.get(literal);
            if (p != null) {
              out.add(p);
            }
          }
          return union(out, limit);
        case PREFIX:
          lp.withPrefix(regex.literal(), out);
          return union(out, limit);
        case PREFIXED_REGEX: {
          if (lp.estimatePrefix(regex.literal()) * 2 > lp.valueCount()) {
            return scan(); // the prefix hardly narrows (every value starts with "pod-"): cached full scan
          }
          List<Posting> range = new ArrayList<>();
          lp.withPrefix(regex.literal(), range);
          FastRegex.Tester tester = regex.tester();
          for (Posting p : range) {
            if (tester.test(p.value())) {
              out.add(p);
            }
          }
          return union(out, limit);
        }
        case ALTERNATION: {
          if (!narrowAlternation()) {
            return scan();
          }
          int contributing = 0;
          for (FastRegex b : regex.branches()) {
            int before = out.size();
            collect(b, out);
            contributing += out.size() > before ? 1 : 0;
          }
          if (contributing > 1) {
            Set<Posting> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
            out.removeIf(p -> !distinct.add(p)); // overlapping branches (a.*|ab) find a value twice
          }
          return union(out, limit);
        }
        default:
          return scan();
      }
    }

    /**
     * Scans the whole dictionary for values whose inner test equals {@code wantInner}, through the label's
     * {@link ScanCache}: only values and series added since the cached result are examined.
     */
    private Union scan() {
      int values = lp.valueCount();
      ValueTester tester = ValueTester.of(regex, matcher.value());
      if (values < CACHE_MIN_VALUES) {
        List<Posting> out = new ArrayList<>();
        lp.scan(0, values, tester, wantInner, ordinal -> out.add(lp.valueAt(ordinal)));
        return union(out, limit);
      }
      String key = (wantInner ? "+" : "-") + matcher.type().regex() + ":" + matcher.value();
      ScanCache cache = lp.scanCache();
      ScanCache.Entry e = cache.get(key);
      if (e != null && e.seriesLimit() == limit) {
        return new Union(e.union(), true);
      }
      if (e != null && e.seriesLimit() < limit && (long) (limit - e.seriesLimit()) * 8 < e.ordinalCount() + 4096) {
        RoaringBitmap union = e.union().clone();
        addNewSeries(union, e.seriesLimit(), tester);
        cache.put(key, new ScanCache.Entry(e.valuesChecked(), e.ordinals(), e.ordinalCount(), limit, union));
        return new Union(union, true);
      }
      boolean usable = e != null && e.seriesLimit() <= limit;
      int[][] ordinals = {usable ? e.ordinals() : new int[16]};
      int[] count = {usable ? e.ordinalCount() : 0};
      if (usable) {
        ordinals[0] = java.util.Arrays.copyOf(ordinals[0], Math.max(16, count[0])); // entries are immutable
      }
      lp.scan(usable ? e.valuesChecked() : 0, values, tester, wantInner, ordinal -> {
        if (count[0] == ordinals[0].length) {
          ordinals[0] = java.util.Arrays.copyOf(ordinals[0], count[0] * 2);
        }
        ordinals[0][count[0]++] = ordinal;
      });
      List<Posting> out = new ArrayList<>(count[0]);
      for (int i = 0; i < count[0]; i++) {
        out.add(lp.valueAt(ordinals[0][i]));
      }
      Union u = union(out, limit);
      cache.put(key, new ScanCache.Entry(values, ordinals[0], count[0], limit, u.bitmap()));
      return new Union(u.bitmap(), true);
    }

    /** Adds the series in {@code [from, limit)} carrying a value this plan needs. */
    private void addNewSeries(RoaringBitmap union, int from, ValueTester tester) {
      String name = matcher.name();
      for (int id = from; id < limit; id++) {
        String v = mem.labels(id).get(name);
        if (v != null && tester.test(v) == wantInner) {
          union.add(id);
        }
      }
    }
  }
}
