package io.quiver.columnar;

import java.util.List;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Arrow schemas of the columnar module. Samples: {@code series_id int32, timestamp timestamp[ms, UTC],
 * value float64}, all non-null; values carry the exact 64-bit patterns that were written (NaN payloads
 * included: they are written as raw bits, never through a {@code double}).
 */
public final class SampleSchema {
  /** Column name of the series id. */
  public static final String SERIES_ID = "series_id";
  /** Column name of the sample timestamp. */
  public static final String TIMESTAMP = "timestamp";
  /** Column name of the sample value. */
  public static final String VALUE = "value";
  /** Time zone of every timestamp column. */
  public static final String UTC = "UTC";

  /** {@code timestamp[ms, UTC]}. */
  public static final ArrowType TIMESTAMP_TYPE = new ArrowType.Timestamp(TimeUnit.MILLISECOND, UTC);
  /** {@code float64}. */
  public static final ArrowType VALUE_TYPE = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);

  /** The non-null {@code timestamp} field. */
  public static final Field TIMESTAMP_FIELD = new Field(TIMESTAMP, FieldType.notNullable(TIMESTAMP_TYPE), null);
  /** The non-null {@code value} field. */
  public static final Field VALUE_FIELD = new Field(VALUE, FieldType.notNullable(VALUE_TYPE), null);
  /** The non-null {@code series_id} field. */
  public static final Field SERIES_ID_FIELD =
      new Field(SERIES_ID, FieldType.notNullable(new ArrowType.Int(32, true)), null);

  /** Schema of raw scans: {@code series_id, timestamp, value}. */
  public static final Schema SAMPLES = new Schema(List.of(SERIES_ID_FIELD, TIMESTAMP_FIELD, VALUE_FIELD));

  private SampleSchema() {}
}
