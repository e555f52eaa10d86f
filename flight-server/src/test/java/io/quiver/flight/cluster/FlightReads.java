package io.quiver.flight.cluster;

import io.quiver.index.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Decodes an endpoint's stream into (series -> timestamp -> value bits). */
final class FlightReads {
  private FlightReads() {}

  /** One decoded row. */
  record Row(Labels labels, long timestampMs, long valueBits) {}

  static void readEndpoint(FlightClient client, FlightEndpoint ep, Map<Labels, TreeMap<Long, Long>> out)
      throws Exception {
    List<Row> rows = new ArrayList<>();
    readEndpoint(client, ep, rows, () -> {});
    for (Row r : rows) {
      out.computeIfAbsent(r.labels(), k -> new TreeMap<>()).put(r.timestampMs(), r.valueBits());
    }
  }

  /** Appends every row of the endpoint's stream to {@code out}; runs {@code afterFirstBatch} once, after it. */
  static void readEndpoint(FlightClient client, FlightEndpoint ep, List<Row> out, Runnable afterFirstBatch)
      throws Exception {
    boolean first = true;
    try (FlightStream stream = client.getStream(ep.getTicket())) {
      VectorSchemaRoot root = stream.getRoot();
      while (stream.next()) {
        TimeStampMilliTZVector ts = (TimeStampMilliTZVector) root.getVector("timestamp");
        Float8Vector value = (Float8Vector) root.getVector("value");
        for (int r = 0; r < root.getRowCount(); r++) {
          Labels.Builder b = Labels.builder();
          for (FieldVector v : root.getFieldVectors()) {
            if (v.getField().getDictionary() != null && !v.isNull(r)) {
              VarCharVector dict = (VarCharVector) stream.getDictionaryProvider()
                  .lookup(v.getField().getDictionary().getId()).getVector();
              b.add(v.getName(), new String(dict.get((int) ((BaseIntVector) v).getValueAsLong(r)),
                  StandardCharsets.UTF_8));
            }
          }
          out.add(new Row(b.build(), ts.get(r), value.getDataBuffer().getLong((long) r * Float8Vector.TYPE_WIDTH)));
        }
        if (first) {
          first = false;
          afterFirstBatch.run();
        }
      }
    }
  }
}
