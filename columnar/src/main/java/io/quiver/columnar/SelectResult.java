package io.quiver.columnar;

import io.quiver.columnar.internal.ColumnarEngine;
import io.quiver.columnar.internal.SampleBatchBuilder;
import io.quiver.index.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * The streaming result of {@link ShardStore#select}: rows ordered by series then time, deduplicated, in the schema
 * {@code timestamp timestamp[ms, UTC], value float64}, then one dictionary-encoded ({@code int32} indices) utf8
 * column per label name of the result, sorted by name ({@code __name__} included); a series lacking a label has a
 * null there. Dictionary ids are 0, 1, ... in column order; every dictionary is complete before the first batch
 * (what an Arrow Flight {@code DoGet} needs). {@link #root()} is reused by {@link #next()}.
 *
 * <p>The label columns cover the series that have data in a segment or head overlapping the time range; a series
 * whose samples all fall outside {@code [from, to)} may still contribute dictionary entries but no rows.
 */
public final class SelectResult implements AutoCloseable {
  private final ColumnarEngine.Scan scan;
  private final VectorSchemaRoot root;
  private final DictionaryProvider.MapDictionaryProvider dictionaries;
  private final List<VarCharVector> dictionaryVectors = new ArrayList<>();
  private final SampleBatchBuilder builder;
  private final IntVector[] labelColumns;
  private final RoaringBitmap series;
  private final int[][] codes; // [rank of series in `series`][label column] -> dictionary index or -1
  private final int batchRows;
  private final Schema schema;
  private boolean closed;

  SelectResult(ColumnarEngine.Scan scan, RoaringBitmap series, IntFunction<Labels> labelsOf,
      BufferAllocator allocator, int batchRows) {
    this.scan = scan;
    this.series = series;
    this.batchRows = batchRows;
    List<Labels> labels = new ArrayList<>(series.getCardinality());
    TreeMap<String, TreeSet<String>> values = new TreeMap<>();
    PeekableIntIterator it = series.getIntIterator();
    while (it.hasNext()) {
      Labels l = labelsOf.apply(it.next());
      labels.add(l);
      for (int i = 0; i < l.size(); i++) {
        values.computeIfAbsent(l.name(i), k -> new TreeSet<>()).add(l.value(i));
      }
    }
    List<String> names = new ArrayList<>(values.keySet());
    dictionaries = new DictionaryProvider.MapDictionaryProvider();
    List<Field> fields = new ArrayList<>();
    fields.add(SampleSchema.TIMESTAMP_FIELD);
    fields.add(SampleSchema.VALUE_FIELD);
    List<String[]> sortedValues = new ArrayList<>();
    try {
      for (int c = 0; c < names.size(); c++) {
        DictionaryEncoding enc = new DictionaryEncoding(c, false, new ArrowType.Int(32, true));
        // In memory a dictionary-encoded field has the index type; IPC/Flight writers turn it into utf8 + encoding.
        fields.add(new Field(names.get(c), new FieldType(true, enc.getIndexType(), enc), null));
        String[] vs = values.get(names.get(c)).toArray(new String[0]);
        sortedValues.add(vs);
        VarCharVector dict = new VarCharVector(names.get(c) + "_dictionary", allocator);
        dictionaryVectors.add(dict);
        dict.allocateNew(vs.length);
        for (int i = 0; i < vs.length; i++) {
          dict.setSafe(i, vs[i].getBytes(StandardCharsets.UTF_8));
        }
        dict.setValueCount(vs.length);
        dictionaries.put(new Dictionary(dict, enc));
      }
      codes = new int[labels.size()][names.size()];
      for (int r = 0; r < labels.size(); r++) {
        Labels l = labels.get(r);
        Arrays.fill(codes[r], -1);
        for (int i = 0; i < l.size(); i++) {
          int c = Collections.binarySearch(names, l.name(i));
          codes[r][c] = Arrays.binarySearch(sortedValues.get(c), l.value(i));
        }
      }
      root = VectorSchemaRoot.create(new Schema(fields), allocator);
    } catch (RuntimeException e) {
      dictionaryVectors.forEach(VarCharVector::close);
      throw e;
    }
    List<FieldVector> vectors = root.getFieldVectors();
    labelColumns = new IntVector[names.size()];
    for (int c = 0; c < names.size(); c++) {
      labelColumns[c] = (IntVector) vectors.get(2 + c);
    }
    builder = new SampleBatchBuilder((TimeStampMilliTZVector) vectors.get(0), (Float8Vector) vectors.get(1), null);
    this.schema = new Schema(fieldsForClients(fields));
  }

  /**
   * The result schema. Label fields carry their {@link DictionaryEncoding}; as in Arrow Java's in-memory
   * convention their vectors in {@link #root()} hold the int32 indices (Flight's {@code start(root, provider)} and
   * the IPC writers send them as {@code dictionary<int32, utf8>}).
   */
  public Schema schema() {
    return schema;
  }

  private static List<Field> fieldsForClients(List<Field> fields) {
    return fields;
  }

  /** The dictionaries of the label columns, complete before the first batch. */
  public DictionaryProvider dictionaries() {
    return dictionaries;
  }

  /** The batch most recently loaded by {@link #next()}; reused. */
  public VectorSchemaRoot root() {
    return root;
  }

  /** Number of series the result may contain (those with data in a segment or head overlapping the range). */
  public long seriesCount() {
    return series.getCardinality();
  }

  /** Loads the next batch (up to the configured batch rows) into {@link #root()}; false at the end. */
  public boolean next() {
    if (closed) {
      throw new StoreException(ErrorCode.CLOSED, "select result already closed");
    }
    builder.reset(batchRows);
    boolean any = scan.fill(builder, batchRows);
    builder.finish();
    int rows = builder.rowCount();
    for (int c = 0; c < labelColumns.length; c++) {
      fillLabels(labelColumns[c], c, rows);
    }
    root.setRowCount(rows);
    return any;
  }

  private void fillLabels(IntVector col, int c, int rows) {
    while (col.getValueCapacity() < Math.max(rows, 1)) {
      col.reAlloc();
    }
    ArrowBuf validity = col.getValidityBuffer();
    long data = col.getDataBuffer().memoryAddress();
    validity.setZero(0, (rows + 7) / 8);
    for (int r = 0; r < builder.runCount(); r++) {
      int id = builder.runSeries(r);
      int code = series.contains(id) ? codes[(int) series.rank(id) - 1][c] : -1;
      if (code < 0) {
        continue;
      }
      int start = builder.runStart(r);
      int end = start + builder.runLength(r);
      for (int i = start; i < end; i++) {
        MemoryUtil.putInt(data + 4L * i, code);
        validity.setByte(i >>> 3, validity.getByte(i >>> 3) | (1 << (i & 7)));
      }
    }
    col.setValueCount(rows);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      scan.close();
    } finally {
      root.close();
      dictionaryVectors.forEach(VarCharVector::close);
    }
  }
}
