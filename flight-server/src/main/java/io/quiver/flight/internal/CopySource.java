package io.quiver.flight.internal;

import io.quiver.flight.ErrorCode;
import io.quiver.flight.FlightException;
import io.quiver.flight.SelectCursor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Copying stream over several cursors of one shard (one per selector of the query). Dictionaries of all cursors
 * are unioned before the first batch (Flight sends them once); label indices are remapped into the union; a series
 * already streamed by an earlier selector is skipped, so the union has no duplicate rows. Rows stay grouped by
 * series and ordered by time within a series. Also used when a cursor's label columns are not int32 dictionaries.
 */
final class CopySource implements BatchSource {
  private final List<SelectCursor> cursors;
  private final int batchRows;
  private final int labelCount;
  private final VectorSchemaRoot root;
  private final TimeStampMilliTZVector outTimestamp;
  private final Float8Vector outValue;
  private final IntVector[] outLabels;
  private final DictionaryProvider.MapDictionaryProvider dictionaries = new DictionaryProvider.MapDictionaryProvider();
  private final List<FieldVector> owned = new ArrayList<>();
  /** remap[cursor][label] maps a cursor dictionary index to the union index; null if the cursor lacks the label. */
  private final int[][][] remap;
  /** Which cursor first streamed each series, keyed by its union label indices (-1 for absent). */
  private final Map<SeriesKey, Integer> firstCursor = new HashMap<>();

  private int cursorIndex;
  private int row;
  private int rows;
  private boolean skipSeries;
  private int[] previous;
  private TimeStampVector inTimestamp;
  private Float8Vector inValue;
  private BaseIntVector[] inLabels;

  CopySource(List<SelectCursor> cursors, List<String> columns, BufferAllocator allocator, int batchRows) {
    this.cursors = cursors;
    this.batchRows = batchRows;
    this.labelCount = columns.size();
    this.remap = new int[cursors.size()][labelCount][];
    try {
      List<FieldVector> vectors = new ArrayList<>();
      outTimestamp = own(new TimeStampMilliTZVector(ResultSchemas.timestampField(), allocator));
      outValue = own(new Float8Vector(ResultSchemas.valueField(), allocator));
      vectors.add(outTimestamp);
      vectors.add(outValue);
      outLabels = new IntVector[labelCount];
      for (int l = 0; l < labelCount; l++) {
        Field field = ResultSchemas.labelField(columns.get(l), l);
        outLabels[l] = own(new IntVector(field, allocator));
        vectors.add(outLabels[l]);
        VarCharVector union = own(unionDictionary(columns.get(l), l, allocator));
        dictionaries.put(new Dictionary(union, field.getDictionary()));
      }
      outTimestamp.allocateNew(batchRows);
      outValue.allocateNew(batchRows);
      for (IntVector v : outLabels) {
        v.allocateNew(batchRows);
      }
      root = new VectorSchemaRoot(ResultSchemas.rootSchema(columns), vectors, 0);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    cursorIndex = -1;
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
    int out = 0;
    int[] current = new int[labelCount];
    while (out < batchRows) {
      if (row >= rows && !advance()) {
        break;
      }
      if (row >= rows) {
        continue;
      }
      readLabels(row, current);
      if (previous == null || !Arrays.equals(previous, current)) {
        previous = current.clone();
        SeriesKey key = new SeriesKey(previous);
        Integer first = firstCursor.putIfAbsent(key, cursorIndex);
        skipSeries = first != null && first != cursorIndex;
      }
      if (!skipSeries) {
        copyRow(row, out, current);
        out++;
      }
      row++;
    }
    root.setRowCount(out);
    return out > 0;
  }

  private boolean advance() {
    while (cursorIndex < cursors.size()) {
      if (cursorIndex >= 0 && cursors.get(cursorIndex).next()) {
        rows = cursors.get(cursorIndex).root().getRowCount();
        row = 0;
        return true;
      }
      cursorIndex++;
      if (cursorIndex >= cursors.size()) {
        rows = 0;
        row = 0;
        return false;
      }
      bind(cursors.get(cursorIndex));
      previous = null;
      rows = 0;
      row = 0;
    }
    return false;
  }

  private void bind(SelectCursor cursor) {
    VectorSchemaRoot in = cursor.root();
    if (!(in.getVector(ResultSchemas.TIMESTAMP) instanceof TimeStampVector ts)
        || !(in.getVector(ResultSchemas.VALUE) instanceof Float8Vector value)) {
      throw new FlightException(ErrorCode.INTERNAL, "store result has an unexpected schema [schema="
          + cursor.schema() + "]");
    }
    inTimestamp = ts;
    inValue = value;
    inLabels = new BaseIntVector[labelCount];
    for (int l = 0; l < labelCount; l++) {
      if (remap[cursorIndex][l] != null) {
        inLabels[l] = (BaseIntVector) in.getVector(outLabels[l].getName());
      }
    }
  }

  private void readLabels(int r, int[] into) {
    for (int l = 0; l < labelCount; l++) {
      BaseIntVector v = inLabels[l];
      if (v == null || ((FieldVector) v).isNull(r)) {
        into[l] = -1;
      } else {
        into[l] = remap[cursorIndex][l][(int) v.getValueAsLong(r)];
      }
    }
  }

  private void copyRow(int r, int out, int[] labels) {
    outTimestamp.set(out, inTimestamp.get(r));
    outValue.set(out, inValue.get(r));
    for (int l = 0; l < labelCount; l++) {
      if (labels[l] < 0) {
        outLabels[l].setNull(out);
      } else {
        outLabels[l].set(out, labels[l]);
      }
    }
  }

  /** Builds the union dictionary of label {@code l} and every cursor's remap table for it. */
  private VarCharVector unionDictionary(String name, int l, BufferAllocator allocator) {
    LinkedHashMap<String, Integer> union = new LinkedHashMap<>();
    for (int c = 0; c < cursors.size(); c++) {
      SelectCursor cursor = cursors.get(c);
      FieldVector v = cursor.root().getVector(name);
      if (v == null) {
        continue;
      }
      Field f = v.getField();
      if (f.getDictionary() == null || !(v instanceof BaseIntVector)) {
        throw new FlightException(ErrorCode.INTERNAL, "label column is not dictionary-encoded [column=" + name
            + ", type=" + f.getType() + "]");
      }
      VarCharVector dict = (VarCharVector) cursor.dictionaries().lookup(f.getDictionary().getId()).getVector();
      int[] map = new int[dict.getValueCount()];
      for (int i = 0; i < map.length; i++) {
        String value = dict.isNull(i) ? "" : new String(dict.get(i), StandardCharsets.UTF_8);
        Integer id = union.putIfAbsent(value, union.size());
        map[i] = id == null ? union.size() - 1 : id;
      }
      remap[c][l] = map;
    }
    VarCharVector out = new VarCharVector(name + "-dictionary", allocator);
    out.allocateNew(Math.max(1, union.size()));
    int i = 0;
    for (String value : union.keySet()) {
      out.setSafe(i++, value.getBytes(StandardCharsets.UTF_8));
    }
    out.setValueCount(union.size());
    return out;
  }

  private <V extends FieldVector> V own(V vector) {
    owned.add(vector);
    return vector;
  }

  @Override
  public void close() {
    for (int i = owned.size() - 1; i >= 0; i--) {
      owned.get(i).close();
    }
    owned.clear();
  }

  /** Label indices of one series in the union dictionaries. */
  private record SeriesKey(int[] labels) {
    @Override
    public boolean equals(Object o) {
      return o instanceof SeriesKey k && Arrays.equals(labels, k.labels);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
      return Arrays.toString(labels);
    }
  }
}
