package io.quiver.columnar.internal;

/**
 * Sorts parallel (timestamp, value) arrays by timestamp and keeps, for each timestamp, the value that came last in
 * the input order: "last write in log order wins". Callers put older sources first.
 */
final class SortDedup {
  private int[] idx = new int[0];
  private int[] tmp = new int[0];
  private long[] tsCopy = new long[0];
  private long[] valCopy = new long[0];

  /** Sorts and deduplicates {@code ts/vals[0..n)} in place; returns the new length. */
  int sortDedup(long[] ts, long[] vals, int n) {
    boolean strictly = true;
    boolean nonDecreasing = true;
    for (int i = 1; i < n; i++) {
      if (ts[i] <= ts[i - 1]) {
        strictly = false;
        if (ts[i] < ts[i - 1]) {
          nonDecreasing = false;
          break;
        }
      }
    }
    if (strictly) {
      return n;
    }
    if (nonDecreasing) {
      return dedupSorted(ts, vals, n);
    }
    if (idx.length < n) {
      idx = new int[n];
      tmp = new int[n];
      tsCopy = new long[n];
      valCopy = new long[n];
    }
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    mergeSort(ts, 0, n);
    System.arraycopy(ts, 0, tsCopy, 0, n);
    System.arraycopy(vals, 0, valCopy, 0, n);
    for (int i = 0; i < n; i++) {
      ts[i] = tsCopy[idx[i]];
      vals[i] = valCopy[idx[i]];
    }
    return dedupSorted(ts, vals, n);
  }

  /** Stable: equal timestamps keep input order, so the last of a run is the newest. */
  private static int dedupSorted(long[] ts, long[] vals, int n) {
    int w = 0;
    for (int i = 0; i < n; i++) {
      if (w > 0 && ts[w - 1] == ts[i]) {
        vals[w - 1] = vals[i];
      } else {
        ts[w] = ts[i];
        vals[w] = vals[i];
        w++;
      }
    }
    return w;
  }

  private void mergeSort(long[] keys, int from, int to) {
    if (to - from <= 16) {
      for (int i = from + 1; i < to; i++) {
        int v = idx[i];
        long k = keys[v];
        int j = i - 1;
        while (j >= from && keys[idx[j]] > k) {
          idx[j + 1] = idx[j];
          j--;
        }
        idx[j + 1] = v;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(keys, from, mid);
    mergeSort(keys, mid, to);
    if (keys[idx[mid - 1]] <= keys[idx[mid]]) {
      return;
    }
    System.arraycopy(idx, from, tmp, from, to - from);
    int i = from;
    int j = mid;
    int k = from;
    while (i < mid && j < to) {
      idx[k++] = keys[tmp[j]] < keys[tmp[i]] ? tmp[j++] : tmp[i++];
    }
    while (i < mid) {
      idx[k++] = tmp[i++];
    }
    while (j < to) {
      idx[k++] = tmp[j++];
    }
  }
}
