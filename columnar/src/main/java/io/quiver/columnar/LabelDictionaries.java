package io.quiver.columnar;

import io.quiver.index.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.arrow.vector.VarCharVector;

/**
 * The label dictionaries of a select result, built in one pass over its series: label names sorted, each name's
 * distinct values sorted (dictionary index = position), and per label column the index of every series (by rank)
 * or -1 where the series lacks the label. Hash maps collect the values (label strings are mostly shared instances
 * from the index, so hashing is cheap); each column is sorted once at the end instead of keeping sorted sets while
 * inserting.
 */
final class LabelDictionaries {
  private final List<String> names;
  private final String[][] values;
  private final int[][] codes;

  private LabelDictionaries(List<String> names, String[][] values, int[][] codes) {
    this.names = names;
    this.values = values;
    this.codes = codes;
  }

  /** Builds the dictionaries of the series {@code ids} (rank = position in {@code ids}). */
  static LabelDictionaries build(int[] ids, IntFunction<Labels> labelsOf) {
    int n = ids.length;
    Map<String, Column> byName = new HashMap<>();
    List<Column> columns = new ArrayList<>();
    Column last = null;
    for (int rank = 0; rank < n; rank++) {
      Labels l = labelsOf.apply(ids[rank]);
      for (int i = 0; i < l.size(); i++) {
        String name = l.name(i);
        Column c = columns.size() > i && columns.get(i).name.equals(name) ? columns.get(i) : null;
        if (c == null) {
          c = last != null && last.name.equals(name) ? last : byName.get(name);
          if (c == null) {
            c = new Column(name, n);
            byName.put(name, c);
            columns.add(c);
          }
        }
        last = c;
        c.codes[rank] = c.add(l.value(i));
      }
    }
    columns.sort((a, b) -> a.name.compareTo(b.name));
    List<String> names = new ArrayList<>(columns.size());
    String[][] values = new String[columns.size()][];
    int[][] codes = new int[columns.size()][];
    for (int c = 0; c < columns.size(); c++) {
      Column col = columns.get(c);
      names.add(col.name);
      values[c] = col.sortAndRemap();
      codes[c] = col.codes;
    }
    return new LabelDictionaries(List.copyOf(names), values, codes);
  }

  /** Label names, sorted; column c of the result is {@code names().get(c)}. */
  List<String> names() {
    return names;
  }

  /** {@code codes()[c][rank]}: dictionary index of the series of that rank in column c, or -1. */
  int[][] codes() {
    return codes;
  }

  /** Writes the sorted values of column {@code c} into {@code out} (allocated here, exact size). */
  void fill(int c, VarCharVector out) {
    String[] vs = values[c];
    byte[][] bytes = new byte[vs.length][];
    long total = 0;
    for (int i = 0; i < vs.length; i++) {
      bytes[i] = vs[i].getBytes(StandardCharsets.UTF_8);
      total += bytes[i].length;
    }
    out.allocateNew(Math.max(total, 1), Math.max(vs.length, 1));
    for (int i = 0; i < vs.length; i++) {
      out.set(i, bytes[i]);
    }
    out.setValueCount(vs.length);
  }

  /** One label name: distinct values in first-seen order, and per series rank a provisional index. */
  private static final class Column {
    final String name;
    final int[] codes;
    final Map<String, Integer> ids = new HashMap<>();
    final List<String> seen = new ArrayList<>();

    Column(String name, int series) {
      this.name = name;
      this.codes = new int[series];
      Arrays.fill(codes, -1);
    }

    int add(String value) {
      Integer id = ids.get(value);
      if (id == null) {
        id = seen.size();
        ids.put(value, id);
        seen.add(value);
      }
      return id;
    }

    /** Sorts the values and rewrites {@link #codes} from first-seen to sorted indices; returns the values. */
    String[] sortAndRemap() {
      String[] firstSeen = seen.toArray(new String[0]);
      String[] sorted = firstSeen.clone();
      Arrays.sort(sorted);
      int[] remap = new int[firstSeen.length];
      for (int i = 0; i < firstSeen.length; i++) {
        remap[i] = Arrays.binarySearch(sorted, firstSeen[i]);
      }
      for (int r = 0; r < codes.length; r++) {
        if (codes[r] >= 0) {
          codes[r] = remap[codes[r]];
        }
      }
      return sorted;
    }
  }
}
