package io.quiver.flight.internal;

import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.WriteBatch;
import io.quiver.flight.ErrorCode;
import io.quiver.flight.FlightException;
import io.quiver.index.IndexException;
import io.quiver.index.LabelLimits;
import io.quiver.index.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Decodes one DoPut record batch into a {@link WriteBatch}, validating it completely first (like HTTP ingestion):
 * columns {@code timestamp} (timestamp[ms], any or no time zone), {@code value} (float64) and label columns
 * (utf8 or dictionary-encoded utf8) whose names follow the label name rules; per row a non-null timestamp and
 * value, a {@code __name__}, and labels within the {@link LabelLimits}. Errors name the column or the row.
 */
final class PutDecoder {
  private final LabelLimits limits;

  PutDecoder(LabelLimits limits) {
    this.limits = limits;
  }

  /** The batch carried by {@code root}; {@code batchIndex} only feeds error messages. */
  WriteBatch decode(VectorSchemaRoot root, DictionaryProvider dictionaries, long batchIndex) {
    Columns c = columns(root, dictionaries);
    int rows = root.getRowCount();
    Map<Labels, Series> series = new LinkedHashMap<>();
    String[] values = new String[c.labels.size()];
    String[] previousValues = null;
    Series current = null;
    for (int r = 0; r < rows; r++) {
      if (c.timestamp.isNull(r) || c.value.isNull(r)) {
        throw invalid("null timestamp or value [batch=" + batchIndex + ", row=" + r + "]");
      }
      for (int l = 0; l < values.length; l++) {
        values[l] = c.labels.get(l).value(r);
      }
      if (current == null || !Arrays.equals(values, previousValues)) {
        Labels labels = labels(c, values, batchIndex, r);
        current = series.computeIfAbsent(labels, Series::new);
        previousValues = values.clone();
      }
      // Raw bits, so NaN payloads (Prometheus stale markers) survive.
      current.add(c.timestamp.get(r), c.value.getDataBuffer().getLong((long) r * Float8Vector.TYPE_WIDTH));
    }
    List<SeriesSamples> out = new ArrayList<>(series.size());
    for (Series s : series.values()) {
      out.add(s.toSamples());
    }
    return new WriteBatch(out);
  }

  private Labels labels(Columns c, String[] values, long batchIndex, int row) {
    try {
      Labels.Builder b = Labels.builder();
      for (int l = 0; l < values.length; l++) {
        if (values[l] != null) {
          b.add(c.labels.get(l).name, values[l]);
        }
      }
      Labels labels = b.build();
      if (labels.metricName() == null) {
        throw invalid("series without __name__ [batch=" + batchIndex + ", row=" + row + "]");
      }
      limits.check(labels);
      return labels;
    } catch (IndexException e) {
      throw new FlightException(ErrorCode.INVALID_PUT, "invalid labels [batch=" + batchIndex + ", row=" + row
          + "]: " + e.getMessage(), e);
    }
  }

  private static Columns columns(VectorSchemaRoot root, DictionaryProvider dictionaries) {
    Columns c = new Columns();
    for (FieldVector v : root.getFieldVectors()) {
      Field f = v.getField();
      String name = f.getName();
      if (name.equals(ResultSchemas.TIMESTAMP)) {
        if (!(f.getType() instanceof ArrowType.Timestamp ts) || ts.getUnit() != TimeUnit.MILLISECOND
            || !(v instanceof TimeStampVector tv)) {
          throw invalid("timestamp must be timestamp[ms] [type=" + f.getType() + "]");
        }
        c.timestamp = tv;
      } else if (name.equals(ResultSchemas.VALUE)) {
        if (!(v instanceof Float8Vector fv)) {
          throw invalid("value must be float64 [type=" + f.getType() + "]");
        }
        c.value = fv;
      } else {
        c.labels.add(labelColumn(v, dictionaries));
      }
    }
    if (c.timestamp == null || c.value == null) {
      throw invalid("put needs columns timestamp and value [columns=" + root.getSchema().getFields().stream()
          .map(Field::getName).toList() + "]");
    }
    return c;
  }

  private static LabelColumn labelColumn(FieldVector v, DictionaryProvider dictionaries) {
    Field f = v.getField();
    if (!Labels.isValidName(f.getName())) {
      throw invalid("invalid label name in column [column=" + f.getName() + ", rule=[a-zA-Z_][a-zA-Z0-9_]*]");
    }
    if (f.getDictionary() != null) {
      Dictionary d = dictionaries.lookup(f.getDictionary().getId());
      if (d == null || !(d.getVector() instanceof VarCharVector dict) || !(v instanceof BaseIntVector idx)) {
        throw invalid("label column must be utf8 or dictionary<utf8> [column=" + f.getName() + "]");
      }
      String[] decoded = new String[dict.getValueCount()];
      for (int i = 0; i < decoded.length; i++) {
        decoded[i] = dict.isNull(i) ? null : new String(dict.get(i), StandardCharsets.UTF_8);
      }
      return new LabelColumn(f.getName(), v, idx, decoded, null);
    }
    if (!(v instanceof VarCharVector text)) {
      throw invalid("label column must be utf8 or dictionary<utf8> [column=" + f.getName() + ", type=" + f.getType()
          + "]");
    }
    return new LabelColumn(f.getName(), v, null, null, text);
  }

  private static FlightException invalid(String message) {
    return new FlightException(ErrorCode.INVALID_PUT, message);
  }

  private static final class Columns {
    TimeStampVector timestamp;
    Float8Vector value;
    final List<LabelColumn> labels = new ArrayList<>();
  }

  private record LabelColumn(String name, FieldVector vector, BaseIntVector indices, String[] dictionary,
      VarCharVector text) {
    /** The value at row {@code r}, or null (absent label). */
    String value(int r) {
      if (vector.isNull(r)) {
        return null;
      }
      if (indices != null) {
        long i = indices.getValueAsLong(r);
        if (i < 0 || i >= dictionary.length) {
          throw invalid("dictionary index out of range [column=" + name + ", row=" + r + ", index=" + i + "]");
        }
        return dictionary[(int) i];
      }
      return new String(text.get(r), StandardCharsets.UTF_8);
    }
  }

  /** Growable samples of one series. */
  private static final class Series {
    private final Labels labels;
    private long[] timestamps = new long[16];
    private long[] bits = new long[16];
    private int size;

    Series(Labels labels) {
      this.labels = labels;
    }

    void add(long timestampMs, long valueBits) {
      if (size == timestamps.length) {
        timestamps = Arrays.copyOf(timestamps, size * 2);
        bits = Arrays.copyOf(bits, size * 2);
      }
      timestamps[size] = timestampMs;
      bits[size] = valueBits;
      size++;
    }

    SeriesSamples toSamples() {
      return new SeriesSamples(labels, Arrays.copyOf(timestamps, size), Arrays.copyOf(bits, size));
    }
  }
}
