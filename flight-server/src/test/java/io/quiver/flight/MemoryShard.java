package io.quiver.flight;

import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.WriteBatch;
import io.quiver.index.Labels;
import io.quiver.index.Matcher;
import io.quiver.index.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * An in-memory shard with the semantics of the columnar store's contract (last write wins per (series,
 * timestamp); select ordered by series then time; dictionaries complete before the first batch). A test fake and
 * the reference model the Flight tests compare against.
 */
final class MemoryShard implements LocalFlightBackend.LocalShard {
  private final Map<Labels, TreeMap<Long, Long>> series = new ConcurrentSkipListMap<>();
  private final int batchRows;
  private final ArrowType.Int indexType;

  MemoryShard(int batchRows) {
    this(batchRows, new ArrowType.Int(32, true));
  }

  MemoryShard(int batchRows, ArrowType.Int indexType) {
    this.batchRows = batchRows;
    this.indexType = indexType;
  }

  @Override
  public synchronized void write(WriteBatch batch, long logIndex) {
    for (SeriesSamples s : batch.series()) {
      TreeMap<Long, Long> samples = new TreeMap<>(series.getOrDefault(s.labels(), new TreeMap<>()));
      for (int i = 0; i < s.size(); i++) {
        samples.put(s.timestampsMs()[i], s.valueBits()[i]);
      }
      series.put(s.labels(), samples);
    }
  }

  @Override
  public SeriesSummary summarize(List<Selector> selectors) {
    Set<Labels> matched = new HashSet<>();
    for (Selector s : selectors) {
      matched.addAll(matching(s));
    }
    return SeriesSummary.of(matched);
  }

  static boolean matches(Selector selector, Labels labels) {
    for (Matcher m : selector.matchers()) {
      String v = labels.get(m.name());
      if (!m.matches(v == null ? "" : v)) {
        return false;
      }
    }
    return true;
  }

  List<Labels> matching(Selector selector) {
    List<Labels> out = new ArrayList<>();
    for (Labels l : series.keySet()) {
      if (matches(selector, l)) {
        out.add(l);
      }
    }
    return out;
  }

  @Override
  public io.quiver.flight.SelectCursor select(Selector selector, long fromMs, long toMsExclusive,
      BufferAllocator allocator) {
    List<Labels> chosen = new ArrayList<>();
    List<long[][]> samples = new ArrayList<>();
    for (Labels l : matching(selector)) {
      TreeMap<Long, Long> s = series.get(l);
      var range = s.subMap(fromMs, true, toMsExclusive, false);
      if (range.isEmpty()) {
        continue;
      }
      long[][] ts = new long[2][range.size()];
      int i = 0;
      for (var e : range.entrySet()) {
        ts[0][i] = e.getKey();
        ts[1][i++] = e.getValue();
      }
      chosen.add(l);
      samples.add(ts);
    }
    return new Cursor(chosen, samples, allocator);
  }

  private final class Cursor implements io.quiver.flight.SelectCursor {
    private final List<Labels> chosen;
    private final List<long[][]> samples;
    private final List<String> names;
    private final List<List<String>> values = new ArrayList<>();
    private final DictionaryProvider.MapDictionaryProvider dictionaries =
        new DictionaryProvider.MapDictionaryProvider();
    private final VectorSchemaRoot root;
    private final List<VarCharVector> dictVectors = new ArrayList<>();
    private int seriesIndex;
    private int sampleIndex;

    Cursor(List<Labels> chosen, List<long[][]> samples, BufferAllocator allocator) {
      this.chosen = chosen;
      this.samples = samples;
      TreeSet<String> nameSet = new TreeSet<>();
      for (Labels l : chosen) {
        for (int i = 0; i < l.size(); i++) {
          nameSet.add(l.name(i));
        }
      }
      names = new ArrayList<>(nameSet);
      List<Field> fields = new ArrayList<>();
      fields.add(new Field("timestamp",
          FieldType.notNullable(new ArrowType.Timestamp(TimeUnit.MILLISECOND, "UTC")), null));
      fields.add(new Field("value",
          FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), null));
      // Distinct ids from the result schema's, to prove the server renumbers them.
      long id = 100;
      for (String name : names) {
        DictionaryEncoding enc = new DictionaryEncoding(id, false, indexType);
        fields.add(new Field(name, new FieldType(true, indexType, enc), null));
        Set<String> vs = new LinkedHashSet<>();
        for (Labels l : chosen) {
          if (l.get(name) != null) {
            vs.add(l.get(name));
          }
        }
        List<String> sorted = new ArrayList<>(new TreeSet<>(vs));
        values.add(sorted);
        VarCharVector dict = new VarCharVector(name + "-dict", allocator);
        dict.allocateNew();
        for (int i = 0; i < sorted.size(); i++) {
          dict.setSafe(i, sorted.get(i).getBytes(StandardCharsets.UTF_8));
        }
        dict.setValueCount(sorted.size());
        dictVectors.add(dict);
        dictionaries.put(new Dictionary(dict, enc));
        id++;
      }
      root = VectorSchemaRoot.create(new Schema(fields), allocator);
    }

    @Override
    public Schema schema() {
      return root.getSchema();
    }

    @Override
    public DictionaryProvider dictionaries() {
      return dictionaries;
    }

    @Override
    public VectorSchemaRoot root() {
      return root;
    }

    @Override
    public boolean next() {
      if (seriesIndex >= chosen.size()) {
        return false;
      }
      root.allocateNew();
      TimeStampMilliTZVector ts = (TimeStampMilliTZVector) root.getVector(0);
      Float8Vector value = (Float8Vector) root.getVector(1);
      int row = 0;
      while (row < batchRows && seriesIndex < chosen.size()) {
        long[][] s = samples.get(seriesIndex);
        Labels l = chosen.get(seriesIndex);
        ts.setSafe(row, s[0][sampleIndex]);
        value.setSafe(row, 0.0);
        value.getDataBuffer().setLong((long) row * Float8Vector.TYPE_WIDTH, s[1][sampleIndex]);
        for (int n = 0; n < names.size(); n++) {
          FieldVector v = root.getVector(n + 2);
          String lv = l.get(names.get(n));
          if (lv == null) {
            v.setNull(row);
          } else {
            int idx = values.get(n).indexOf(lv);
            if (v instanceof IntVector iv) {
              iv.setSafe(row, idx);
            } else {
              ((org.apache.arrow.vector.SmallIntVector) v).setSafe(row, idx);
            }
          }
        }
        row++;
        sampleIndex++;
        if (sampleIndex >= s[0].length) {
          seriesIndex++;
          sampleIndex = 0;
        }
      }
      root.setRowCount(row);
      return true;
    }

    @Override
    public void close() {
      root.close();
      for (VarCharVector d : dictVectors) {
        d.close();
      }
    }
  }
}
