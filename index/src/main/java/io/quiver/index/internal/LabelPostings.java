package io.quiver.index.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything the index knows about one label name: its values, each with a {@link Posting}.
 *
 * <p>Three views of the values, all safe for lock-free readers while the single writer adds values:
 *
 * <ul>
 *   <li>by value, a {@link ConcurrentHashMap}, for {@code =} and literal-set regexes;
 *   <li>in insertion order, a {@link PublishedList}, for scans (regexes without a usable prefix);
 *   <li>sorted, an immutable {@link SortedView} covering the first {@code covered} values in insertion order, plus
 *       the unsorted tail after it. Readers that need order (prefix ranges, value listings) rebuild the view when
 *       the tail has grown past a fraction of it and publish it for the next reader, so the apply thread never
 *       sorts and sorting costs O(log n) amortised per value.
 * </ul>
 */
public final class LabelPostings {
  private static final Comparator<Posting> BY_VALUE = Comparator.comparing(Posting::value);

  private final String name;
  private final int symbol;
  private final ConcurrentHashMap<String, Posting> byValue = new ConcurrentHashMap<>();
  private final PublishedList<Posting> values = new PublishedList<>();
  private volatile SortedView sorted = new SortedView(new Posting[0], 0);
  private final ScanCache scanCache = new ScanCache();
  /** Packed bytes of full value chunks, by chunk number; built lazily by readers, grown under the monitor. */
  private volatile PackedValues[] packed = new PackedValues[0];

  /** Postings sorted by value, covering the first {@code covered} values in insertion order. */
  record SortedView(Posting[] postings, int covered) {}

  LabelPostings(String name, int symbol) {
    this.name = name;
    this.symbol = symbol;
  }

  /** The label name (interned for the index). */
  public String name() {
    return name;
  }

  /** Catalog symbol id of the name. */
  public int symbol() {
    return symbol;
  }

  /** The posting of {@code value}, or {@code null}. */
  public Posting get(String value) {
    return byValue.get(value);
  }

  /** Adds a value; single writer only, and only if {@link #get(String)} returned {@code null}. */
  Posting add(String value, int valueSymbol) {
    Posting p = new Posting(value, valueSymbol);
    values.add(p);
    byValue.put(value, p);
    return p;
  }

  /** Cached dictionary-scan results of this label. */
  ScanCache scanCache() {
    return scanCache;
  }

  /** Number of distinct values published (some may have no series below a reader's limit yet). */
  public int valueCount() {
    return values.size();
  }

  /** The i-th value in insertion order, {@code i < valueCount()}. */
  public Posting valueAt(int i) {
    return values.get(i);
  }

  /** Ordinal receiver of {@link #scan}. */
  @FunctionalInterface
  interface OrdinalSink {
    void accept(int ordinal);
  }

  /**
   * Calls {@code sink} with the ordinal of every value in {@code [from, to)} (insertion order) for which
   * {@code tester} returns {@code want}. Full chunks are read from their packed bytes, the partial last chunk from
   * the strings.
   */
  void scan(int from, int to, ValueTester tester, boolean want, OrdinalSink sink) {
    int i = from;
    while (i < to) {
      int chunk = i >>> PublishedList.CHUNK_SHIFT;
      int chunkStart = chunk << PublishedList.CHUNK_SHIFT;
      int chunkEnd = chunkStart + PublishedList.CHUNK_SIZE;
      int end = Math.min(to, chunkEnd);
      if (chunkEnd <= to) {
        PackedValues pv = packed(chunk);
        if (want && tester.needle() != null) {
          searchChunk(pv, chunkStart, i, end, tester, sink);
          i = end;
          continue;
        }
        for (; i < end; i++) {
          if (tester.test(pv, i - chunkStart) == want) {
            sink.accept(i);
          }
        }
      } else {
        for (; i < end; i++) {
          if (tester.test(values.get(i).value()) == want) {
            sink.accept(i);
          }
        }
      }
    }
  }

  /** Accepted values of a packed chunk among ordinals {@code [from, to)}, found by searching the needle. */
  private static void searchChunk(PackedValues pv, int chunkStart, int from, int to, ValueTester tester,
      OrdinalSink sink) {
    String needle = tester.needle();
    int pos = pv.offsets[from - chunkStart];
    int endByte = pv.offsets[to - chunkStart];
    while (true) {
      int hit = pv.latin1.indexOf(needle, pos);
      if (hit < 0 || hit >= endByte) {
        return;
      }
      int v = pv.valueAt(hit);
      int valueEnd = pv.offsets[v + 1];
      if (hit + needle.length() <= valueEnd) {
        if (tester.test(pv, v)) {
          sink.accept(chunkStart + v);
        }
        pos = valueEnd; // the next value; later hits in this one add nothing
      } else {
        pos = hit + 1; // the occurrence straddles two values
      }
    }
  }

  private PackedValues packed(int chunk) {
    PackedValues[] a = packed;
    if (chunk < a.length && a[chunk] != null) {
      return a[chunk];
    }
    PackedValues pv = PackedValues.pack(this, chunk << PublishedList.CHUNK_SHIFT, PublishedList.CHUNK_SIZE);
    synchronized (this) {
      PackedValues[] current = packed;
      PackedValues[] grown = chunk < current.length ? current.clone()
          : java.util.Arrays.copyOf(current, Math.max(chunk + 1, current.length * 2));
      if (grown[chunk] == null) {
        grown[chunk] = pv;
      }
      packed = grown;
      return grown[chunk];
    }
  }

  /** A sorted view of the values, plus how many values (in insertion order) it covers; the rest is the tail. */
  SortedView sortedView() {
    int n = values.size();
    SortedView view = sorted;
    int tail = n - view.covered();
    if (tail > 32 && tail > view.covered() / 8) {
      view = rebuild(view, n);
      SortedView latest = sorted;
      if (latest.covered() < view.covered()) {
        sorted = view; // benign race: every published view is complete and immutable
      }
    }
    return view;
  }

  private SortedView rebuild(SortedView old, int n) {
    Posting[] tail = new Posting[n - old.covered()];
    for (int i = old.covered(); i < n; i++) {
      tail[i - old.covered()] = values.get(i);
    }
    Arrays.sort(tail, BY_VALUE);
    Posting[] a = old.postings();
    Posting[] merged = new Posting[a.length + tail.length];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < a.length && j < tail.length) {
      merged[k++] = a[i].value().compareTo(tail[j].value()) <= 0 ? a[i++] : tail[j++];
    }
    while (i < a.length) {
      merged[k++] = a[i++];
    }
    while (j < tail.length) {
      merged[k++] = tail[j++];
    }
    return new SortedView(merged, n);
  }

  /**
   * Adds to {@code out} the postings whose value starts with {@code prefix}: a binary-searched range of the sorted
   * view plus a scan of the tail. Order of {@code out} is unspecified.
   */
  void withPrefix(String prefix, List<Posting> out) {
    int n = values.size();
    SortedView view = sortedView();
    Posting[] a = view.postings();
    int from = lowerBound(a, prefix);
    String next = successor(prefix);
    int to = next == null ? a.length : lowerBound(a, next);
    for (int i = from; i < to; i++) {
      out.add(a[i]); // bounds found by binary search: the range's strings are never touched
    }
    for (int i = view.covered(); i < n; i++) {
      Posting p = values.get(i);
      if (p.value().startsWith(prefix)) {
        out.add(p);
      }
    }
  }

  /** Estimated number of values starting with {@code prefix} (exact over the sorted view, plus the whole tail). */
  int estimatePrefix(String prefix) {
    SortedView view = sortedView();
    Posting[] a = view.postings();
    int from = lowerBound(a, prefix);
    String next = successor(prefix);
    int to = next == null ? a.length : lowerBound(a, next);
    return Math.max(0, to - from) + (values.size() - view.covered());
  }

  /** The values with at least one series below {@code seriesLimit}, sorted. */
  List<String> sortedValues(int seriesLimit) {
    int n = values.size();
    SortedView view = sortedView();
    List<Posting> tail = new ArrayList<>();
    for (int i = view.covered(); i < n; i++) {
      tail.add(values.get(i));
    }
    tail.sort(BY_VALUE);
    List<String> out = new ArrayList<>(view.postings().length + tail.size());
    Posting[] a = view.postings();
    int i = 0;
    int j = 0;
    while (i < a.length || j < tail.size()) {
      Posting p;
      if (j >= tail.size() || (i < a.length && a[i].value().compareTo(tail.get(j).value()) <= 0)) {
        p = a[i++];
      } else {
        p = tail.get(j++);
      }
      if (p.countBelow(seriesLimit) > 0) {
        out.add(p.value());
      }
    }
    return out;
  }

  /**
   * Whether any series below {@code seriesLimit} carries this name. The first value added belongs to the first
   * series carrying the name, so its posting holds the name's smallest id.
   */
  boolean hasSeriesBelow(int seriesLimit) {
    return values.size() > 0 && values.get(0).countBelow(seriesLimit) > 0;
  }

  private static int lowerBound(Posting[] a, String key) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid].value().compareTo(key) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * The smallest string greater than every string starting with {@code prefix} (so the prefix range is
   * {@code [prefix, successor)}), or {@code null} if there is none (empty prefix, or only U+FFFF chars).
   */
  private static String successor(String prefix) {
    int i = prefix.length() - 1;
    while (i >= 0 && prefix.charAt(i) == Character.MAX_VALUE) {
      i--;
    }
    if (i < 0) {
      return null;
    }
    return prefix.substring(0, i) + (char) (prefix.charAt(i) + 1);
  }

}
