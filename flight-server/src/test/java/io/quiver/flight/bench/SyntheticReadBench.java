package io.quiver.flight.bench;

import io.quiver.columnar.WriteBatch;
import io.quiver.flight.LocalFlightBackend;
import io.quiver.flight.QuiverFlightServer;
import io.quiver.flight.SelectCursor;
import io.quiver.flight.SeriesSummary;
import io.quiver.index.Labels;
import io.quiver.index.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
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

/**
 * Upper bound of the Flight path alone: shards whose cursor serves one prebuilt batch (6 label columns) over and
 * over, so the figure is Flight server + gRPC + client decode, without the store's scan cost.
 *
 * <p>args: shards batchesPerShard batchRows parallel
 */
public final class SyntheticReadBench {
  private SyntheticReadBench() {}

  /** Runs three reads and prints the bench lines. */
  public static void main(String[] args) throws Exception {
    int shards = Integer.parseInt(args[0]);
    int batches = Integer.parseInt(args[1]);
    int batchRows = Integer.parseInt(args[2]);
    int parallel = Integer.parseInt(args[3]);
    try (BufferAllocator root = new RootAllocator()) {
      List<LocalFlightBackend.LocalShard> list = new ArrayList<>();
      for (int i = 0; i < shards; i++) {
        list.add(new Shard(batches, batchRows));
      }
      LocalFlightBackend backend = LocalFlightBackend.of("synthetic", list);
      try (QuiverFlightServer server = QuiverFlightServer.start(root, "127.0.0.1", 0, backend)) {
        ReadBench.Options o = new ReadBench.Options(server.location().getUri(), List.of("{__name__=~\".+\"}"),
            null, null, parallel, "linearizable");
        for (int run = 0; run < 3; run++) {
          try (BufferAllocator client = root.newChildAllocator("client", 0, Long.MAX_VALUE)) {
            System.out.println(ReadBench.run(client, o).line());
          }
        }
      }
    }
  }

  private static final String[] LABELS = {"__name__", "env", "instance", "job", "pod", "region"};

  private record Shard(int batches, int batchRows) implements LocalFlightBackend.LocalShard {
    @Override
    public SeriesSummary summarize(List<Selector> selectors) {
      return SeriesSummary.of(List.of(Labels.of("__name__", "m", "env", "e", "instance", "i", "job", "j", "pod", "p",
          "region", "r")));
    }

    @Override
    public SelectCursor select(Selector selector, long fromMs, long toMsExclusive, BufferAllocator allocator) {
      return new Cursor(batches, batchRows, allocator);
    }

    @Override
    public void write(WriteBatch batch, long logIndex) {
      throw new UnsupportedOperationException();
    }
  }

  private static final class Cursor implements SelectCursor {
    private final VectorSchemaRoot root;
    private final DictionaryProvider.MapDictionaryProvider dictionaries = new DictionaryProvider.MapDictionaryProvider();
    private final List<VarCharVector> dicts = new ArrayList<>();
    private int left;

    Cursor(int batches, int rows, BufferAllocator allocator) {
      left = batches;
      List<Field> fields = new ArrayList<>();
      fields.add(new Field("timestamp", FieldType.notNullable(new ArrowType.Timestamp(
          org.apache.arrow.vector.types.TimeUnit.MILLISECOND, "UTC")), null));
      fields.add(new Field("value", FieldType.notNullable(new ArrowType.FloatingPoint(
          org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE)), null));
      for (int l = 0; l < LABELS.length; l++) {
        DictionaryEncoding enc = new DictionaryEncoding(l, false, new ArrowType.Int(32, true));
        fields.add(new Field(LABELS[l], new FieldType(true, new ArrowType.Int(32, true), enc), null));
        VarCharVector d = new VarCharVector(LABELS[l] + "-dict", allocator);
        d.allocateNew();
        for (int v = 0; v < 100; v++) {
          d.setSafe(v, (LABELS[l] + "-" + v).getBytes(StandardCharsets.UTF_8));
        }
        d.setValueCount(100);
        dicts.add(d);
        dictionaries.put(new Dictionary(d, enc));
      }
      root = VectorSchemaRoot.create(new Schema(fields), allocator);
      root.allocateNew();
      TimeStampMilliTZVector ts = (TimeStampMilliTZVector) root.getVector(0);
      Float8Vector value = (Float8Vector) root.getVector(1);
      for (int r = 0; r < rows; r++) {
        ts.setSafe(r, 1_700_000_000_000L + r * 15_000L);
        value.setSafe(r, r * 0.5);
        for (int l = 0; l < LABELS.length; l++) {
          ((IntVector) root.getVector(2 + l)).setSafe(r, (r / 100) % 100);
        }
      }
      root.setRowCount(rows);
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
      return left-- > 0;
    }

    @Override
    public void close() {
      root.close();
      dicts.forEach(VarCharVector::close);
    }
  }
}
