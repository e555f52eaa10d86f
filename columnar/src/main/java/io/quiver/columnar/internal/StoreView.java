package io.quiver.columnar.internal;

import java.util.List;

/**
 * An immutable picture of the store: sealed segments ordered by seq (oldest first) plus the head. Published by a
 * volatile write; readers retain the segments they read.
 */
record StoreView(List<Segment> segments, Head head) {
  StoreView {
    segments = List.copyOf(segments);
  }
}
