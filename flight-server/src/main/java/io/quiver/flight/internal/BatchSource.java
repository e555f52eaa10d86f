package io.quiver.flight.internal;

import io.quiver.flight.SelectCursor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The batches of one DoGet stream in the result schema ({@link ResultSchemas}): a root and a dictionary provider
 * complete before the first batch, refilled by {@link #next()}. Closing releases what the source allocated; the
 * cursors it reads are closed by their opener.
 */
interface BatchSource extends AutoCloseable {
  /** The root handed to {@code listener.start}; refilled by {@link #next()}. */
  VectorSchemaRoot root();

  /** Dictionaries of the label columns (id i for label column i). */
  DictionaryProvider dictionaries();

  /** Loads the next non-empty batch; {@code false} at the end. */
  boolean next();

  @Override
  void close();

  /**
   * The source for {@code cursors} (one per selector, already open) whose streams must carry at least
   * {@code ticketLabels}: zero-copy pass-through for a single cursor with int32 dictionary indices, a copying merge
   * (dictionary union, index remap, series deduplication across selectors) otherwise.
   */
  static BatchSource open(List<SelectCursor> cursors, Collection<String> ticketLabels, BufferAllocator allocator,
      int copyBatchRows) {
    SortedSet<String> labels = new TreeSet<>(ticketLabels);
    for (SelectCursor c : cursors) {
      labels.addAll(labelNames(c));
    }
    List<String> columns = new ArrayList<>(labels);
    if (cursors.size() == 1 && PassThroughSource.accepts(cursors.get(0))) {
      return new PassThroughSource(cursors.get(0), columns, allocator);
    }
    return new CopySource(cursors, columns, allocator, copyBatchRows);
  }

  /** Label column names of a cursor: every field after timestamp and value. */
  static List<String> labelNames(SelectCursor cursor) {
    List<String> names = new ArrayList<>();
    for (Field f : cursor.schema().getFields()) {
      if (!f.getName().equals(ResultSchemas.TIMESTAMP) && !f.getName().equals(ResultSchemas.VALUE)) {
        names.add(f.getName());
      }
    }
    return names;
  }

  /** Whether {@code f} is dictionary-encoded with signed int32 indices. */
  static boolean isInt32Dictionary(Field f) {
    DictionaryEncoding enc = f.getDictionary();
    if (enc == null) {
      return false;
    }
    ArrowType.Int type = enc.getIndexType();
    return type != null && type.getBitWidth() == 32 && type.getIsSigned();
  }
}
