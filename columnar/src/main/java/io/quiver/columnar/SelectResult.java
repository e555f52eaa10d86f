package io.quiver.columnar;

import io.quiver.columnar.internal.ColumnarEngine;
import io.quiver.columnar.internal.SampleBatchBuilder;
import io.quiver.index.Labels;
import java.util.ArrayList;
import java.util.List;
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
  /** Ids of the result's series, ascending; the rank of a series is its position here. */
  private final int[] seriesIds;
  private final int[][] codes; // [label column][rank of series] -> dictionary index or -1
  private final int batchRows;
  private final Schema schema;
  /** Rank of the series of each run of the current batch (-1 if not in {@link #seriesIds}). */
  private int[] runRanks = new int[64];
  /** Position in {@link #seriesIds} of the last run's series: runs arrive in ascending series order. */
  private int rankCursor;
  private boolean closed;

  SelectResult(ColumnarEngine.Scan scan, RoaringBitmap series, IntFunction<Labels> labelsOf,
      BufferAllocator allocator, int batchRows) {
    this.scan = scan;
    this.seriesIds = series.toArray();
    this.batchRows = batchRows;
    LabelDictionaries dicts = LabelDictionaries.build(seriesIds, labelsOf);
    List<String> names = dicts.names();
    dictionaries = new DictionaryProvider.MapDictionaryProvider();
    List<Field> fields = new ArrayList<>();
    fields.add(SampleSchema.TIMESTAMP_FIELD);
    fields.add(SampleSchema.VALUE_FIELD);
    try {
      for (int c = 0; c < names.size(); c++) {
        DictionaryEncoding enc = new DictionaryEncoding(c, false, new ArrowType.Int(32, true));
        // In memory a dictionary-encoded field has the index type; IPC/Flight writers turn it into utf8 + encoding.
        fields.add(new Field(names.get(c), new FieldType(true, enc.getIndexType(), enc), null));
        VarCharVector dict = new VarCharVector(names.get(c) + "_dictionary", allocator);
        dictionaryVectors.add(dict);
        dicts.fill(c, dict);
        dictionaries.put(new Dictionary(dict, enc));
      }
      codes = dicts.codes();
      root = VectorSchemaRoot.create(new Schema(fields), allocator);
    } catch (RuntimeException e) {
      dictionaryVectors.forEach(VarCharVector::close);
      throw e;
    }
    List<FieldVector> vectors = root.getFieldVectors();
    labelColumns = new IntVector[names.size()];
    for (int c = 0; c < names.size(); c++) {
      labelColumns[c] = (IntVector) vectors.get(2 + c);
      // Sized for a full batch once, instead of doubling from Arrow's default capacity in the first batch.
      labelColumns[c].allocateNew(batchRows);
    }
    builder = new SampleBatchBuilder((TimeStampMilliTZVector) vectors.get(0), (Float8Vector) vectors.get(1), null);
    this.schema = new Schema(fields);
  }

  /**
   * The result schema. Label fields carry their {@link DictionaryEncoding}; as in Arrow Java's in-memory
   * convention their vectors in {@link #root()} hold the int32 indices (Flight's {@code start(root, provider)} and
   * the IPC writers send them as {@code dictionary<int32, utf8>}).
   */
  public Schema schema() {
    return schema;
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
    return seriesIds.length;
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
    rankRuns();
    for (int c = 0; c < labelColumns.length; c++) {
      fillLabels(labelColumns[c], codes[c], rows);
    }
    root.setRowCount(rows);
    return any;
  }

  /** Maps each run's series to its rank, walking {@link #seriesIds} forward (runs ascend by series id). */
  private void rankRuns() {
    int runs = builder.runCount();
    if (runRanks.length < runs) {
      runRanks = new int[Math.max(runs, runRanks.length * 2)];
    }
    for (int r = 0; r < runs; r++) {
      int id = builder.runSeries(r);
      if (rankCursor >= seriesIds.length || seriesIds[rankCursor] > id) {
        // Not ascending (never expected) or past the end: fall back to a search from the start.
        rankCursor = 0;
      }
      while (rankCursor < seriesIds.length && seriesIds[rankCursor] < id) {
        rankCursor++;
      }
      runRanks[r] = rankCursor < seriesIds.length && seriesIds[rankCursor] == id ? rankCursor : -1;
    }
  }

  /** Writes each run's dictionary index into the column in bulk, with validity set per run (null = no label). */
  private void fillLabels(IntVector col, int[] columnCodes, int rows) {
    while (col.getValueCapacity() < Math.max(rows, 1)) {
      col.reAlloc();
    }
    ArrowBuf validity = col.getValidityBuffer();
    long validityAddress = validity.memoryAddress();
    long data = col.getDataBuffer().memoryAddress();
    validity.setZero(0, (rows + 7) / 8);
    int runs = builder.runCount();
    for (int r = 0; r < runs; r++) {
      int rank = runRanks[r];
      int code = rank < 0 ? -1 : columnCodes[rank];
      if (code < 0) {
        continue;
      }
      int start = builder.runStart(r);
      int end = start + builder.runLength(r);
      SampleBatchBuilder.fillInts(data + 4L * start, end - start, code);
      setBits(validityAddress, start, end);
    }
    col.setValueCount(rows);
  }

  /** Sets bits {@code [from, to)} of the bitmap at {@code addr} (LSB first, as Arrow validity buffers are). */
  static void setBits(long addr, int from, int to) {
    int i = from;
    while (i < to && (i & 7) != 0) {
      long a = addr + (i >>> 3);
      MemoryUtil.putByte(a, (byte) (MemoryUtil.getByte(a) | (1 << (i & 7))));
      i++;
    }
    int fullBytes = (to - i) >>> 3;
    if (fullBytes > 0) {
      MemoryUtil.setMemory(addr + (i >>> 3), fullBytes, (byte) 0xFF);
      i += fullBytes << 3;
    }
    while (i < to) {
      long a = addr + (i >>> 3);
      MemoryUtil.putByte(a, (byte) (MemoryUtil.getByte(a) | (1 << (i & 7))));
      i++;
    }
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
