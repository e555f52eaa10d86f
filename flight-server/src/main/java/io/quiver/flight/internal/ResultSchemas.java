package io.quiver.flight.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The result schema of every Quiver read: {@code timestamp} timestamp[ms, UTC] (not null), {@code value} float64
 * (not null), then one {@code dictionary<int32, utf8>} column per label name, sorted by name, label column i using
 * dictionary id i. A label absent from a series is null in that column.
 */
public final class ResultSchemas {
  /** Name of the timestamp column. */
  public static final String TIMESTAMP = "timestamp";
  /** Name of the value column. */
  public static final String VALUE = "value";
  /** Time zone of the timestamp column. */
  public static final String UTC = "UTC";
  /** Index type of every label column. */
  public static final ArrowType.Int INDEX_TYPE = new ArrowType.Int(32, true);

  private ResultSchemas() {}

  /** The timestamp field. */
  public static Field timestampField() {
    return new Field(TIMESTAMP, FieldType.notNullable(new ArrowType.Timestamp(TimeUnit.MILLISECOND, UTC)), null);
  }

  /** The value field. */
  public static Field valueField() {
    return new Field(VALUE, FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), null);
  }

  /**
   * The label column {@code name} with dictionary id {@code dictionaryId}, in Java's in-memory form (the field type
   * is the index type), as a {@code VectorSchemaRoot} needs it.
   */
  public static Field labelField(String name, long dictionaryId) {
    DictionaryEncoding encoding = new DictionaryEncoding(dictionaryId, false, INDEX_TYPE);
    return new Field(name, new FieldType(true, INDEX_TYPE, encoding), null);
  }

  /**
   * The label column in IPC message form (the field type is the value type, utf8), as a serialized schema carries
   * it: {@code FlightInfo} and {@code SchemaResult} serialize their schema as given.
   */
  public static Field labelMessageField(String name, long dictionaryId) {
    DictionaryEncoding encoding = new DictionaryEncoding(dictionaryId, false, INDEX_TYPE);
    return new Field(name, new FieldType(true, ArrowType.Utf8.INSTANCE, encoding), null);
  }

  /** The in-memory schema of a stream root for {@code labelNames} (sorted by the caller). */
  public static Schema rootSchema(Collection<String> labelNames) {
    return build(labelNames, false);
  }

  /**
   * The schema clients see (message form) for {@code labelNames} (sorted by the caller): what GetFlightInfo and
   * GetSchema answer and what each DoGet stream's schema message carries.
   */
  public static Schema schema(Collection<String> labelNames) {
    return build(labelNames, true);
  }

  /** Schema metadata: the row order of every stream. */
  public static Map<String, String> metadata() {
    return Map.of("quiver.order", "series,timestamp");
  }

  private static Schema build(Collection<String> labelNames, boolean messageForm) {
    List<Field> fields = new ArrayList<>(labelNames.size() + 2);
    fields.add(timestampField());
    fields.add(valueField());
    int id = 0;
    for (String name : labelNames) {
      fields.add(messageForm ? labelMessageField(name, id) : labelField(name, id));
      id++;
    }
    return new Schema(fields, metadata());
  }
}
