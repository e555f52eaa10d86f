package io.quiver.columnar.internal;

import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Per-series sample counts of the head taken at a batch boundary (under the store's read lock): a reader sees
 * exactly the prefix of each series that existed then, however much is appended later.
 */
final class HeadSnapshot {
  private final Head head;
  private final RoaringBitmap ids;
  private final int[] counts;
  private final PeekableIntIterator it;
  private int index;

  HeadSnapshot(Head head, RoaringBitmap requested) {
    this.head = head;
    this.ids = requested == null ? head.touched().clone() : RoaringBitmap.and(requested, head.touched());
    this.counts = new int[ids.getCardinality()];
    int i = 0;
    PeekableIntIterator scan = ids.getIntIterator();
    while (scan.hasNext()) {
      counts[i++] = head.count(scan.next());
    }
    this.it = ids.getIntIterator();
  }

  RoaringBitmap ids() {
    return ids;
  }

  Head head() {
    return head;
  }

  int peek() {
    return it.hasNext() ? it.peekNext() : Integer.MAX_VALUE;
  }

  /** Consumes the next series and returns its snapshot count. */
  int next() {
    it.next();
    return counts[index++];
  }
}
