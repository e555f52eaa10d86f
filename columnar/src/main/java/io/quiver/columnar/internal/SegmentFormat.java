package io.quiver.columnar.internal;

import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import io.quiver.columnar.SampleSchema;

/**
 * Layout of a segment file ({@code seg-<seq>.qseg}):
 *
 * <pre>
 * [Arrow IPC file, ZSTD buffer compression]   one row per series chunk, sorted by series_id:
 *                                             series_id int32, min_ts/max_ts timestamp[ms,UTC], count int32,
 *                                             ts_block binary, value_block binary
 * [series bitmap]                             RoaringBitmap portable serialization
 * [block index]                               per record batch: firstSeries i32, lastSeries i32, firstRow i32,
 *                                             offset i64, metadataLength i32, bodyLength i64, crc32c i32 (36 B)
 * [tail, 76 bytes, little endian]             version i32, ipcLength i64, bitmapLength i32, blockCount i32,
 *                                             windowStartMs i64, seq i64, minTs i64, maxTs i64, samples i64,
 *                                             series i32, crc32c i32 (of every preceding byte), magic "QVSEG\0\0\1"
 * </pre>
 *
 * The first {@code ipcLength} bytes are a standard Arrow IPC file (pyarrow opens them as such).
 */
final class SegmentFormat {
  static final int VERSION = 1;
  static final long MAGIC = 0x0100_0047_4553_5651L; // "QVSEG\0\0\1" little endian
  static final int TAIL_BYTES = 76;
  static final int BLOCK_ENTRY_BYTES = 36;
  /** Offset of the crc field from the end of the file. */
  static final int CRC_FROM_END = 12;

  static final String MIN_TS = "min_ts";
  static final String MAX_TS = "max_ts";
  static final String COUNT = "count";
  static final String TS_BLOCK = "ts_block";
  static final String VALUE_BLOCK = "value_block";

  static final Schema SCHEMA = new Schema(List.of(
      SampleSchema.SERIES_ID_FIELD,
      new Field(MIN_TS, FieldType.notNullable(SampleSchema.TIMESTAMP_TYPE), null),
      new Field(MAX_TS, FieldType.notNullable(SampleSchema.TIMESTAMP_TYPE), null),
      new Field(COUNT, FieldType.notNullable(new ArrowType.Int(32, true)), null),
      new Field(TS_BLOCK, FieldType.notNullable(ArrowType.Binary.INSTANCE), null),
      new Field(VALUE_BLOCK, FieldType.notNullable(ArrowType.Binary.INSTANCE), null)));

  private SegmentFormat() {}
}
