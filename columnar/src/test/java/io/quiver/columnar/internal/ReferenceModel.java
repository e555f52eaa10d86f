package io.quiver.columnar.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The obvious model of a store: per series a TreeMap of timestamp to value bits; later puts win. */
final class ReferenceModel {
  final TreeMap<Integer, TreeMap<Long, Long>> data = new TreeMap<>();

  void put(int series, long ts, long bits) {
    data.computeIfAbsent(series, k -> new TreeMap<>()).put(ts, bits);
  }

  /** Rows (series, ts, bits) ordered by series then time, for series in {@code wanted} (null = all). */
  List<long[]> rows(java.util.Set<Integer> wanted, long from, long to) {
    List<long[]> out = new ArrayList<>();
    for (Map.Entry<Integer, TreeMap<Long, Long>> e : data.entrySet()) {
      if (wanted != null && !wanted.contains(e.getKey())) {
        continue;
      }
      for (Map.Entry<Long, Long> s : e.getValue().subMap(from, true, to, false).entrySet()) {
        out.add(new long[] {e.getKey(), s.getKey(), s.getValue()});
      }
    }
    return out;
  }
}
