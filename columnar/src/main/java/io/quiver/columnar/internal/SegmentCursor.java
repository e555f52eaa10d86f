package io.quiver.columnar.internal;

import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Walks the chunks of one segment for an ascending set of series, reading (and verifying) one record batch at a
 * time into a reused {@link DecodedBlock}.
 */
final class SegmentCursor implements AutoCloseable {
  private final Segment segment;
  private final PeekableIntIterator ids;
  private final RoaringBitmap idSet;
  private final DecodedBlock decoded = new DecodedBlock();
  private int block = -1;
  private int row;

  SegmentCursor(Segment segment, RoaringBitmap requested) {
    this.segment = segment;
    RoaringBitmap both = requested == null ? segment.series() : RoaringBitmap.and(requested, segment.series());
    this.idSet = both;
    this.ids = both.getIntIterator();
  }

  /** The series this cursor visits. */
  RoaringBitmap ids() {
    return idSet;
  }

  Segment segment() {
    return segment;
  }

  /** Next series id this cursor has, or {@link Integer#MAX_VALUE}. */
  int peek() {
    return ids.hasNext() ? ids.peekNext() : Integer.MAX_VALUE;
  }

  /** Moves to the chunk of {@link #peek()} and consumes that id; the chunk accessors then describe it. */
  void next() {
    int s = ids.next();
    if (block < 0 || s > segment.blockLastSeries(block)) {
      int b = Math.max(block + 1, 0);
      while (b < segment.blockCount() && segment.blockLastSeries(b) < s) {
        b++;
      }
      if (b >= segment.blockCount()) {
        throw Segment.corrupt(segment.file(), "series missing from block index [series=" + s + "]");
      }
      segment.readBlock(b, decoded);
      block = b;
      row = 0;
    }
    int[] sids = decoded.seriesIds;
    int rows = decoded.rows;
    while (row < rows && sids[row] < s) {
      row++;
    }
    if (row >= rows || sids[row] != s) {
      throw Segment.corrupt(segment.file(), "series missing from its block [series=" + s + "]");
    }
  }

  long chunkMinTs() {
    return decoded.minTs[row];
  }

  long chunkMaxTs() {
    return decoded.maxTs[row];
  }

  int chunkCount() {
    return decoded.counts[row];
  }

  /** Decodes the current chunk's timestamps to native memory. */
  void decodeTimestamps(long outAddr) {
    int start = decoded.tsOffsets[row];
    int end = decoded.tsOffsets[row + 1];
    int count = chunkCount();
    if (count < 1 || TimestampCodec.decode(decoded.tsData, start, end, chunkMinTs(), chunkMaxTs(), count, outAddr)
        != end) {
      throw Segment.corrupt(segment.file(), "bad timestamp block [series=" + decoded.seriesIds[row] + "]");
    }
  }

  /** Decodes the current chunk's values (raw bits) to native memory. */
  void decodeValues(long outAddr) {
    int start = decoded.valueOffsets[row];
    int end = decoded.valueOffsets[row + 1];
    if (ValueCodec.decode(decoded.valueData, start, end, chunkCount(), outAddr) != end) {
      throw Segment.corrupt(segment.file(), "bad value block [series=" + decoded.seriesIds[row] + "]");
    }
  }

  @Override
  public void close() {
    decoded.close();
  }
}
