package io.quiver.flight.internal;

import io.quiver.flight.FlightException;
import io.quiver.flight.SelectCursor;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Zero-copy stream of one cursor: the output root is a view over the cursor's own vectors (timestamp, value,
 * label indices) under the result schema's fields and dictionary ids, plus all-null columns for ticket labels the
 * cursor lacks (so every stream of a query has the same schema). The dictionaries are the cursor's dictionary
 * vectors under new ids. Nothing per row is touched: the Flight listener copies the buffers into gRPC messages on
 * {@code putNext}.
 */
final class PassThroughSource implements BatchSource {
  private final SelectCursor cursor;
  private final VectorSchemaRoot root;
  private final DictionaryProvider.MapDictionaryProvider dictionaries = new DictionaryProvider.MapDictionaryProvider();
  /** Vectors this source allocated (null-filled label columns and their empty dictionaries); closed on close. */
  private final List<FieldVector> owned = new ArrayList<>();
  private final List<IntVector> nullColumns = new ArrayList<>();

  PassThroughSource(SelectCursor cursor, List<String> columns, BufferAllocator allocator) {
    this.cursor = cursor;
    VectorSchemaRoot in = cursor.root();
    List<FieldVector> vectors = new ArrayList<>(columns.size() + 2);
    vectors.add(required(in, ResultSchemas.TIMESTAMP));
    vectors.add(required(in, ResultSchemas.VALUE));
    try {
      for (int i = 0; i < columns.size(); i++) {
        String name = columns.get(i);
        FieldVector v = in.getVector(name);
        Field field = ResultSchemas.labelField(name, i);
        if (v != null) {
          Dictionary source = cursor.dictionaries().lookup(v.getField().getDictionary().getId());
          dictionaries.put(new Dictionary(source.getVector(), encoding(field)));
          vectors.add(v);
        } else {
          IntVector nulls = new IntVector(field, allocator);
          owned.add(nulls);
          nullColumns.add(nulls);
          VarCharVector empty = new VarCharVector(name + "-dictionary", allocator);
          owned.add(empty);
          empty.allocateNew(0, 0);
          empty.setValueCount(0);
          dictionaries.put(new Dictionary(empty, encoding(field)));
          vectors.add(nulls);
        }
      }
    } catch (RuntimeException e) {
      closeOwned();
      throw e;
    }
    this.root = new VectorSchemaRoot(ResultSchemas.rootSchema(columns), vectors, 0);
  }

  /** Whether the cursor's label columns all use int32 dictionary indices (Flight ships them as they are). */
  static boolean accepts(SelectCursor cursor) {
    for (Field f : cursor.schema().getFields()) {
      boolean fixed = f.getName().equals(ResultSchemas.TIMESTAMP) || f.getName().equals(ResultSchemas.VALUE);
      if (!fixed && !BatchSource.isInt32Dictionary(f)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public VectorSchemaRoot root() {
    return root;
  }

  @Override
  public DictionaryProvider dictionaries() {
    return dictionaries;
  }

  @Override
  public boolean next() {
    while (cursor.next()) {
      int rows = cursor.root().getRowCount();
      if (rows == 0) {
        continue;
      }
      for (IntVector nulls : nullColumns) {
        // A fresh allocation is zeroed: every row of the column is null.
        nulls.clear();
        nulls.allocateNew(rows);
        nulls.setValueCount(rows);
      }
      root.setRowCount(rows);
      return true;
    }
    return false;
  }

  @Override
  public void close() {
    closeOwned();
  }

  private void closeOwned() {
    for (int i = owned.size() - 1; i >= 0; i--) {
      owned.get(i).close();
    }
    owned.clear();
  }

  private static DictionaryEncoding encoding(Field field) {
    return field.getDictionary();
  }

  private static FieldVector required(VectorSchemaRoot in, String name) {
    FieldVector v = in.getVector(name);
    if (v == null) {
      throw new FlightException(io.quiver.flight.ErrorCode.INTERNAL, "store result lacks a column [column=" + name
          + "]");
    }
    return v;
  }
}
