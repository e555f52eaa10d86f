package io.quiver.flight;

import io.quiver.index.Labels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.DictionaryUtility;

/** Reads Flight results back into a (series -> timestamp -> value bits) model and checks their invariants. */
final class FlightTestSupport {
  private FlightTestSupport() {}

  /** A GetFlightInfo descriptor for a JSON command. */
  static FlightDescriptor command(String json) {
    return FlightDescriptor.command(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Everything the endpoints of {@code info} return, checking schema and order per stream. */
  static Map<Labels, TreeMap<Long, Long>> readAll(FlightClient client, FlightInfo info) {
    Map<Labels, TreeMap<Long, Long>> out = new TreeMap<>();
    for (FlightEndpoint ep : info.getEndpoints()) {
      readEndpoint(client, ep, info.getSchema(), out);
    }
    return out;
  }

  static void readEndpoint(FlightClient client, FlightEndpoint ep, Schema expected,
      Map<Labels, TreeMap<Long, Long>> out) {
    try (FlightStream stream = client.getStream(ep.getTicket())) {
      VectorSchemaRoot root = stream.getRoot();
      if (expected != null && !messageForm(stream).equals(expected)) {
        throw new AssertionError("stream schema differs from the info schema:\n" + messageForm(stream) + "\n"
            + expected);
      }
      Labels previous = null;
      long previousTs = Long.MIN_VALUE;
      List<Labels> finished = new ArrayList<>();
      while (stream.next()) {
        TimeStampMilliTZVector ts = (TimeStampMilliTZVector) root.getVector("timestamp");
        Float8Vector value = (Float8Vector) root.getVector("value");
        for (int r = 0; r < root.getRowCount(); r++) {
          Labels labels = labelsAt(stream, root, r);
          long t = ts.get(r);
          if (labels.equals(previous)) {
            if (t <= previousTs) {
              throw new AssertionError("rows of " + labels + " not strictly ordered by time: " + previousTs + ", "
                  + t);
            }
          } else {
            if (finished.contains(labels)) {
              throw new AssertionError("series " + labels + " not contiguous in its stream");
            }
            if (previous != null) {
              finished.add(previous);
            }
          }
          previous = labels;
          previousTs = t;
          long bits = value.getDataBuffer().getLong((long) r * Float8Vector.TYPE_WIDTH);
          Long old = out.computeIfAbsent(labels, k -> new TreeMap<>()).put(t, bits);
          if (old != null) {
            throw new AssertionError("duplicate sample " + labels + " @" + t);
          }
        }
      }
    } catch (Exception e) {
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e);
    }
  }

  /** The stream's schema as it travelled (dictionary fields carry the value type), comparable to FlightInfo's. */
  static Schema messageForm(FlightStream stream) {
    List<Field> fields = new ArrayList<>();
    Set<Long> ids = new HashSet<>();
    for (Field f : stream.getSchema().getFields()) {
      fields.add(DictionaryUtility.toMessageFormat(f, stream.getDictionaryProvider(), ids));
    }
    return new Schema(fields, stream.getSchema().getCustomMetadata());
  }

  static Labels labelsAt(FlightStream stream, VectorSchemaRoot root, int r) {
    Labels.Builder b = Labels.builder();
    for (FieldVector v : root.getFieldVectors()) {
      if (v.getField().getDictionary() == null || v.isNull(r)) {
        continue;
      }
      VarCharVector dict = (VarCharVector) stream.getDictionaryProvider()
          .lookup(v.getField().getDictionary().getId()).getVector();
      int idx = (int) ((BaseIntVector) v).getValueAsLong(r);
      b.add(v.getField().getName(), new String(dict.get(idx), StandardCharsets.UTF_8));
    }
    return b.build();
  }

  /** Waits for {@code condition} up to {@code timeout}, polling. */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(5_000_000);
    }
  }
}
