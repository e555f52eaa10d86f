/**
 * Implementation of the columnar store; not for use outside this module. {@code ColumnarEngine} owns the view
 * (segments + head), seal, checkpoints, compaction and retention; {@code Head} is the append-only in-memory part;
 * {@code SegmentWriter}/{@code Segment}/{@code DecodedBlock} write and read segment files; {@code TimestampCodec}
 * and {@code ValueCodec} encode series chunks; {@code Scanner} merges sources into Arrow buffers.
 */
package io.quiver.columnar.internal;
