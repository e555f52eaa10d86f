package io.quiver.index.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;

/**
 * Results of dictionary scans of one label name, by scan key (test and direction), least recently used evicted.
 *
 * <p>A label's values never change once added, so the ordinals of the values a regex accepted stay valid forever;
 * only values added since need scanning. The union of their postings is kept as of a series limit and extended
 * by checking just the series created since, so a repeated dashboard query costs O(new series), not
 * O(dictionary). Entries are immutable; the bitmap is shared and must not be mutated.
 */
final class ScanCache {
  private static final int MAX_ENTRIES = 16;

  /**
   * @param valuesChecked values (in insertion order) the ordinals cover
   * @param ordinals ascending ordinals of the accepted values, {@code ordinalCount} of them
   * @param seriesLimit the series count {@code union} is exact for
   * @param union series carrying an accepted value, below {@code seriesLimit}
   */
  record Entry(int valuesChecked, int[] ordinals, int ordinalCount, int seriesLimit, RoaringBitmap union) {}

  private final Map<String, Entry> entries = new LinkedHashMap<>(32, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  synchronized Entry get(String key) {
    return entries.get(key);
  }

  synchronized void put(String key, Entry entry) {
    Entry current = entries.get(key);
    if (current == null || current.seriesLimit() <= entry.seriesLimit()) {
      entries.put(key, entry);
    }
  }
}
