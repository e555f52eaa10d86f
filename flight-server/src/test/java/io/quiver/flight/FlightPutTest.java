package io.quiver.flight;

import static io.quiver.flight.FlightTestSupport.command;
import static io.quiver.flight.FlightTestSupport.readAll;
import static io.quiver.flight.QuiverFlightServerTest.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.index.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.SyncPutListener;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FlightPutTest {
  private static final ArrowType.Int INT32 = new ArrowType.Int(32, true);

  private BufferAllocator allocator;
  private BufferAllocator serverAllocator;
  private BufferAllocator clientAllocator;
  private QuiverFlightServer server;
  private FlightClient client;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
    serverAllocator = allocator.newChildAllocator("server", 0, Long.MAX_VALUE);
    clientAllocator = allocator.newChildAllocator("client", 0, Long.MAX_VALUE);
    List<MemoryShard> shards = List.of(new MemoryShard(64), new MemoryShard(64), new MemoryShard(64));
    LocalFlightBackend backend = LocalFlightBackend.of("put-test", shards);
    server = QuiverFlightServer.builder(serverAllocator, backend)
        .config(FlightConfigKeys.read(Map.of(FlightConfigKeys.PUT_MAX_BATCH_ROWS, "1000")))
        .start();
    client = FlightClient.builder(clientAllocator, server.location()).build();
  }

  @AfterEach
  void tearDown() throws Exception {
    client.close();
    server.close();
    serverAllocator.close();
    clientAllocator.close();
    assertThat(allocator.getAllocatedMemory()).isZero();
    allocator.close();
  }

  @Test
  void shouldStoreWhatDoPutSendsAndAcknowledgeEachBatch() throws Exception {
    Map<Labels, TreeMap<Long, Long>> expected = new TreeMap<>();
    List<PutResult> acks = new ArrayList<>();
    try (PutBatch batch = new PutBatch(List.of("__name__", "host"))) {
      SyncPutListener listener = new SyncPutListener();
      FlightClient.ClientStreamListener put = client.startPut(FlightDescriptor.path("ingest"), batch.root,
          batch.dictionaries, listener);
      for (int b = 0; b < 3; b++) {
        batch.clear();
        for (int i = 0; i < 200; i++) {
          String host = "h" + (i % 7);
          long ts = 10_000 + (b * 200 + i) / 7;
          double value = b * 1000 + i;
          batch.add(ts, value, "disk_used", host);
          expected.computeIfAbsent(Labels.of("__name__", "disk_used", "host", host), k -> new TreeMap<>())
              .put(ts, Double.doubleToRawLongBits(value));
        }
        batch.finish();
        put.putNext();
      }
      put.completed();
      put.getResult();
      for (PutResult r; (r = listener.read()) != null; ) {
        acks.add(r);
      }
      assertThat(acks).hasSize(3);
      for (PutResult r : acks) {
        byte[] meta = new byte[(int) r.getApplicationMetadata().readableBytes()];
        r.getApplicationMetadata().getBytes(0, meta);
        assertThat(new String(meta, StandardCharsets.UTF_8)).contains("\"samples\":200");
        r.close();
      }
      listener.close();
    }

    assertThat(readAll(client, client.getInfo(command("{\"match\":[\"disk_used\"]}")))).isEqualTo(expected);
  }

  @Test
  void shouldRejectInvalidPutsWithInvalidArgument() {
    assertStatus(() -> putOne(List.of("__name__", "bad-name"), "m", "x"), FlightStatusCode.INVALID_ARGUMENT,
        "invalid label name in column [column=bad-name");
    assertStatus(() -> putOne(List.of("host"), "x"), FlightStatusCode.INVALID_ARGUMENT,
        "series without __name__");
    assertStatus(() -> putRows(1001), FlightStatusCode.RESOURCE_EXHAUSTED, "put batch too large");
  }

  private void putOne(List<String> labelNames, String... values) throws Exception {
    try (PutBatch batch = new PutBatch(labelNames)) {
      SyncPutListener listener = new SyncPutListener();
      FlightClient.ClientStreamListener put = client.startPut(FlightDescriptor.path("ingest"), batch.root,
          batch.dictionaries, listener);
      batch.add(1, 1.0, values);
      batch.finish();
      put.putNext();
      put.completed();
      try {
        put.getResult();
      } finally {
        listener.close();
      }
    }
  }

  private void putRows(int rows) throws Exception {
    try (PutBatch batch = new PutBatch(List.of("__name__"))) {
      SyncPutListener listener = new SyncPutListener();
      FlightClient.ClientStreamListener put = client.startPut(FlightDescriptor.path("ingest"), batch.root,
          batch.dictionaries, listener);
      for (int i = 0; i < rows; i++) {
        batch.add(i, i, "m");
      }
      batch.finish();
      put.putNext();
      put.completed();
      try {
        put.getResult();
      } finally {
        listener.close();
      }
    }
  }

  /**
   * A DoPut batch: timestamp, value, {@code __name__} dictionary-encoded (dictionary "disk_used", "m"), other labels
   * plain utf8.
   */
  private final class PutBatch implements AutoCloseable {
    final VectorSchemaRoot root;
    final DictionaryProvider.MapDictionaryProvider dictionaries = new DictionaryProvider.MapDictionaryProvider();
    private final VarCharVector names;
    private final List<String> labelNames;
    private int rows;

    PutBatch(List<String> labelNames) {
      this.labelNames = labelNames;
      List<Field> fields = new ArrayList<>();
      fields.add(new Field("timestamp", FieldType.notNullable(new ArrowType.Timestamp(TimeUnit.MILLISECOND, "UTC")),
          null));
      fields.add(new Field("value", FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
          null));
      DictionaryEncoding enc = new DictionaryEncoding(1, false, INT32);
      for (String name : labelNames) {
        fields.add(name.equals("__name__") ? new Field(name, new FieldType(true, INT32, enc), null)
            : new Field(name, FieldType.nullable(ArrowType.Utf8.INSTANCE), null));
      }
      names = new VarCharVector("names", clientAllocator);
      names.allocateNew();
      names.setSafe(0, "disk_used".getBytes(StandardCharsets.UTF_8));
      names.setSafe(1, "m".getBytes(StandardCharsets.UTF_8));
      names.setValueCount(2);
      dictionaries.put(new Dictionary(names, enc));
      root = VectorSchemaRoot.create(new Schema(fields), clientAllocator);
      root.allocateNew();
    }

    void clear() {
      root.allocateNew();
      rows = 0;
    }

    void add(long ts, double value, String... labelValues) {
      ((TimeStampMilliTZVector) root.getVector("timestamp")).setSafe(rows, ts);
      ((Float8Vector) root.getVector("value")).setSafe(rows, value);
      for (int i = 0; i < labelNames.size(); i++) {
        String name = labelNames.get(i);
        if (name.equals("__name__")) {
          ((IntVector) root.getVector(name)).setSafe(rows, labelValues[i].equals("disk_used") ? 0 : 1);
        } else {
          ((VarCharVector) root.getVector(name)).setSafe(rows, labelValues[i].getBytes(StandardCharsets.UTF_8));
        }
      }
      rows++;
    }

    void finish() {
      root.setRowCount(rows);
    }

    @Override
    public void close() {
      root.close();
      names.close();
    }
  }
}
