package io.quiver.index.internal;

import io.quiver.index.Labels;
import io.quiver.index.Matcher;
import io.quiver.index.Selector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.roaringbitmap.BitSetUtil;
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
  private static final int FILTER_COST_PER_SERIES = 4;
  /** Below 1/32 of the id space a union is gathered as ids; above, as a dense bitset. */
  private static final int SPARSE_UNION_DIVISOR = 32;

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
        Union u = union(p.postings(), limit);
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
        acc = RoaringBitmap.andNot(acc, union(p.postings(), limit).bitmap());
      }
      shared = false;
    }
    return shared ? acc.clone() : acc;
  }

  /** Keeps the candidates whose own value of the plan's label satisfies its matcher. */
  private RoaringBitmap filter(RoaringBitmap candidates, Plan p) {
    Matcher m = p.matcher;
    String name = m.name();
    Map<String, Boolean> memo = p.regex != null ? new HashMap<>() : null;
    RoaringBitmapWriter<RoaringBitmap> out = RoaringBitmapWriter.writer().get();
    candidates.forEach((int id) -> {
      Labels labels = mem.labels(id);
      String v = labels.get(name);
      if (v == null) {
        v = "";
      }
      boolean keep = memo == null ? m.matches(v) : memo.computeIfAbsent(v, m::matches);
      if (keep) {
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
    for (Posting p : postings) {
      p.setBits(words, limit);
    }
    return new Union(BitSetUtil.bitmapOf(words), false);
  }

  /**
   * How one matcher is answered from the dictionary: which values it needs (those it accepts for a positive
   * matcher, those it rejects for a negative one) and an estimate of the work.
   */
  private static final class Plan {
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

    private long estimate() {
      int values = lp.valueCount();
      long idsPerValue = Math.max(1, limit / Math.max(1, values));
      if (!wantInner) {
        return values + (long) values * idsPerValue;
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
        case PREFIXED_REGEX: {
          long range = lp.estimatePrefix(regex.literal());
          return range + range * idsPerValue;
        }
        default:
          return values + (long) values * idsPerValue;
      }
    }

    /** The postings of the values this plan needs. */
    List<Posting> postings() {
      List<Posting> out = new ArrayList<>();
      if (!wantInner) {
        scan(out, false);
      } else if (regex == null) {
        Posting p = lp.get(matcher.value());
        if (p != null) {
          out.add(p);
        }
      } else {
        innerRegex(out);
      }
      return out;
    }

    private void innerRegex(List<Posting> out) {
      switch (regex.kind()) {
        case SET:
          for (String literal : regex.setLiterals()) {
            Posting p = lp.get(literal);
            if (p != null) {
              out.add(p);
            }
          }
          return;
        case PREFIX:
          lp.withPrefix(regex.literal(), out);
          return;
        case PREFIXED_REGEX: {
          List<Posting> range = new ArrayList<>();
          lp.withPrefix(regex.literal(), range);
          for (Posting p : range) {
            if (regex.matches(p.value())) {
              out.add(p);
            }
          }
          return;
        }
        default:
          scan(out, true);
      }
    }

    /** Scans every value, keeping those whose inner test equals {@code want}. */
    private void scan(List<Posting> out, boolean want) {
      int n = lp.valueCount();
      for (int i = 0; i < n; i++) {
        Posting p = lp.valueAt(i);
        boolean inner = regex != null ? regex.matches(p.value()) : matcher.value().equals(p.value());
        if (inner == want) {
          out.add(p);
        }
      }
    }
  }
}
