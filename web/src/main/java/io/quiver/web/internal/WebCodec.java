package io.quiver.web.internal;

import io.quiver.columnar.SeriesSamples;
import io.quiver.index.Labels;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/** The one place where domain values meet Vert.x JSON types (encoding answers, decoding admin bodies). */
final class WebCodec {
  private WebCodec() {}

  static String error(String code, String message) {
    return new JsonObject().put("code", code).put("message", message).encode();
  }

  /** Prometheus API envelope: {@code {"status":"success","data":...}}. */
  static String success(Object data) {
    return new JsonObject().put("status", "success").put("data", data).encode();
  }

  static JsonArray labelSets(List<Labels> series) {
    JsonArray out = new JsonArray();
    for (Labels l : series) {
      out.add(labels(l));
    }
    return out;
  }

  static JsonObject labels(Labels l) {
    JsonObject o = new JsonObject();
    for (int i = 0; i < l.size(); i++) {
      o.put(l.name(i), l.value(i));
    }
    return o;
  }

  static JsonArray strings(List<String> values) {
    return new JsonArray(List.copyOf(values));
  }

  /**
   * Export as JSON lines, one series per line: {@code {"metric":{...},"values":[...],"timestamps":[...]}}.
   * Non-finite values are strings ({@code "NaN"}, {@code "+Inf"}, {@code "-Inf"}, {@code "NaN:0x<bits>"} for a NaN
   * with another payload such as the stale marker), which {@code /api/v1/import} reads back bit for bit.
   */
  static Buffer exportLines(List<SeriesSamples> series) {
    StringBuilder sb = new StringBuilder(256);
    Buffer out = Buffer.buffer();
    for (SeriesSamples s : series) {
      sb.setLength(0);
      sb.append("{\"metric\":").append(labels(s.labels()).encode()).append(",\"values\":[");
      for (int i = 0; i < s.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(JsonImportAdapter.formatValue(s.valueBits()[i]));
      }
      sb.append("],\"timestamps\":[");
      for (int i = 0; i < s.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(s.timestampsMs()[i]);
      }
      sb.append("]}\n");
      out.appendString(sb.toString());
    }
    return out;
  }

  static JsonObject object(Map<String, Object> tree) {
    return new JsonObject(tree);
  }

  static JsonObject parseObject(Buffer body) {
    if (body == null || body.length() == 0) {
      return new JsonObject();
    }
    return new JsonObject(body);
  }
}
