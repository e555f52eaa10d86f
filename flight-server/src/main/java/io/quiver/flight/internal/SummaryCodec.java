package io.quiver.flight.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quiver.flight.ErrorCode;
import io.quiver.flight.FlightException;
import io.quiver.flight.MetricSeries;
import io.quiver.flight.ReadConsistency;
import io.quiver.flight.ReadOptions;
import io.quiver.flight.SeriesSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * JSON of the {@code quiver.summarize} action, which lets one node plan a query over shards it does not host:
 * request {@code {"shard":s,"match":[...],"consistency":"linearizable","max_staleness_ms":n}}, response
 * {@code {"metrics":{"<metric>":{"series":n,"labels":["__name__",...]}}}}.
 */
public final class SummaryCodec {
  /** The action type. */
  public static final String ACTION = "quiver.summarize";

  private static final ObjectMapper JSON = new ObjectMapper();

  private SummaryCodec() {}

  /**
   * A decoded request.
   *
   * @param shard the shard
   * @param match selector strings
   * @param read consistency
   */
  public record Request(int shard, List<String> match, ReadOptions read) {
    /** Copies. */
    public Request {
      match = List.copyOf(match);
    }
  }

  /** Encodes a request. */
  public static byte[] encodeRequest(Request r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("shard", r.shard());
    ArrayNode m = n.putArray("match");
    r.match().forEach(m::add);
    n.put("consistency", r.read().consistency().wireName());
    n.put("max_staleness_ms", r.read().maxStalenessMs());
    return bytes(n);
  }

  /** Decodes a request; malformed input is {@link ErrorCode#INVALID_COMMAND}. */
  public static Request decodeRequest(byte[] body) {
    JsonNode n = read(body);
    JsonNode shard = n.get("shard");
    JsonNode match = n.get("match");
    ReadConsistency c = n.hasNonNull("consistency") ? ReadConsistency.fromWireName(n.get("consistency").asText())
        : ReadConsistency.LINEARIZABLE;
    if (shard == null || !shard.canConvertToInt() || match == null || !match.isArray() || match.isEmpty()
        || c == null) {
      throw new FlightException(ErrorCode.INVALID_COMMAND, "malformed summarize request [body="
          + new String(body, StandardCharsets.UTF_8) + "]");
    }
    List<String> selectors = new ArrayList<>();
    match.forEach(s -> selectors.add(s.asText()));
    return new Request(shard.asInt(), selectors, new ReadOptions(c, Math.max(0, n.path("max_staleness_ms").asLong())));
  }

  /** Encodes a summary. */
  public static byte[] encodeSummary(SeriesSummary s) {
    ObjectNode n = JSON.createObjectNode();
    ObjectNode metrics = n.putObject("metrics");
    s.metrics().forEach((metric, m) -> {
      ObjectNode o = metrics.putObject(metric);
      o.put("series", m.seriesCount());
      ArrayNode labels = o.putArray("labels");
      m.labelNames().forEach(labels::add);
    });
    return bytes(n);
  }

  /** Decodes a summary. */
  public static SeriesSummary decodeSummary(byte[] body) {
    JsonNode metrics = read(body).path("metrics");
    Map<String, MetricSeries> out = new TreeMap<>();
    metrics.fields().forEachRemaining(e -> {
      TreeSet<String> labels = new TreeSet<>();
      e.getValue().path("labels").forEach(l -> labels.add(l.asText()));
      out.put(e.getKey(), new MetricSeries(e.getValue().path("series").asLong(), labels));
    });
    return new SeriesSummary(out);
  }

  private static JsonNode read(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new FlightException(ErrorCode.INVALID_COMMAND, "malformed JSON [error=" + e.getMessage() + "]", e);
    }
  }

  private static byte[] bytes(JsonNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
