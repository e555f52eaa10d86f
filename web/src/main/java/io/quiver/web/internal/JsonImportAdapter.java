package io.quiver.web.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.WriteBatch;
import io.quiver.index.Labels;
import io.quiver.web.ErrorCode;
import io.quiver.web.WebConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes JSON lines for {@code /api/v1/import}: one object per line, either
 * {@code {"labels":{"__name__":"x","job":"a"},"samples":[[ts_ms, value], ...]}} or the export shape
 * {@code {"metric":{...},"values":[...],"timestamps":[...]}} (so an export can be re-imported). Values are JSON
 * numbers or the strings {@code "NaN"}, {@code "+Inf"}, {@code "-Inf"} ({@code "Inf"} too), or
 * {@code "NaN:0x<16 hex digits>"} for a NaN with a specific payload (how export writes, e.g., Prometheus stale
 * markers). Anything else fails the request with 400 naming the line. Stateless and thread-safe.
 */
final class JsonImportAdapter {
  private static final long CANONICAL_NAN = 0x7ff8000000000000L;

  private final WebConfig config;
  private final JsonFactory factory;

  JsonImportAdapter(WebConfig config) {
    this.config = config;
    this.factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).build())
        .build();
  }

  /** Decodes {@code body[0, length)}. */
  DecodeResult decode(byte[] body, int length) {
    List<SeriesSamples> out = new ArrayList<>();
    LineState state = new LineState();
    long samples = 0;
    int lineNo = 0;
    int start = 0;
    while (start < length) {
      int end = start;
      while (end < length && body[end] != '\n') {
        end++;
      }
      lineNo++;
      if (!blank(body, start, end)) {
        state.reset();
        String problem = parseLine(body, start, end - start, state);
        if (problem == null) {
          problem = state.finish(config);
        }
        if (problem != null) {
          return DecodeResult.fail(ErrorCode.BAD_REQUEST, "invalid JSON line: " + problem + " [line=" + lineNo
              + "]");
        }
        samples += state.size;
        if (samples > config.maxSamplesPerRequest()) {
          return DecodeResult.fail(ErrorCode.PAYLOAD_TOO_LARGE, "too many samples in one request [max="
              + config.maxSamplesPerRequest() + ", line=" + lineNo + "]");
        }
        if (out.size() >= config.maxSeriesPerRequest()) {
          return DecodeResult.fail(ErrorCode.PAYLOAD_TOO_LARGE, "too many series in one request [max="
              + config.maxSeriesPerRequest() + ", line=" + lineNo + "]");
        }
        if (state.size > 0) {
          out.add(new SeriesSamples(state.labels, Arrays.copyOf(state.timestamps, state.size),
              Arrays.copyOf(state.values, state.size)));
        }
      }
      start = end + 1;
    }
    return out.isEmpty() ? DecodeResult.empty(length) : DecodeResult.ok(new WriteBatch(out), samples, length);
  }

  private static boolean blank(byte[] b, int start, int end) {
    for (int i = start; i < end; i++) {
      if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
        return false;
      }
    }
    return true;
  }

  private String parseLine(byte[] body, int offset, int len, LineState state) {
    try (JsonParser p = factory.createParser(body, offset, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return "expected an object";
      }
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        if (t != JsonToken.FIELD_NAME) {
          return "truncated JSON object";
        }
        String field = p.currentName();
        p.nextToken();
        String problem = switch (field) {
          case "labels", "metric" -> readLabels(p, state);
          case "samples" -> readSamples(p, state);
          case "values" -> readValues(p, state);
          case "timestamps" -> readTimestamps(p, state);
          default -> "unknown field [field=" + LabelChecks.abbreviate(field) + "]";
        };
        if (problem != null) {
          return problem;
        }
      }
      if (p.nextToken() != null) {
        return "trailing data after the object";
      }
      return null;
    } catch (IOException e) {
      // Translate: Jackson reports syntax errors (with their position) this way.
      String reason = e instanceof com.fasterxml.jackson.core.JsonProcessingException j
          ? j.getOriginalMessage() : e.getMessage();
      return "malformed JSON [reason=" + LabelChecks.abbreviate(firstLine(String.valueOf(reason))) + "]";
    }
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private String readLabels(JsonParser p, LineState state) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      return "labels must be an object";
    }
    if (state.labelsSeen) {
      return "labels given twice";
    }
    state.labelsSeen = true;
    int count = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      if (t != JsonToken.FIELD_NAME) {
        return "truncated JSON object";
      }
      String name = p.currentName();
      if (p.nextToken() != JsonToken.VALUE_STRING) {
        return "label value must be a string [name=" + LabelChecks.abbreviate(name) + "]";
      }
      String value = p.getText();
      String problem = LabelChecks.checkCount(++count, config.labelLimits());
      if (problem == null) {
        problem = LabelChecks.checkPair(name, value, config.labelLimits());
      }
      if (problem != null) {
        return problem;
      }
      state.builder.add(name, value);
    }
    return null;
  }

  private static String readSamples(JsonParser p, LineState state) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      return "samples must be an array of [timestamp_ms, value] pairs";
    }
    state.pairsSeen = true;
    int i = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t == null) {
        return "truncated JSON array";
      }
      if (t != JsonToken.START_ARRAY) {
        return "sample must be a [timestamp_ms, value] pair [sample=" + i + "]";
      }
      p.nextToken();
      String problem = readTimestamp(p, state, i);
      if (problem != null) {
        return problem;
      }
      p.nextToken();
      problem = readValue(p, state, i);
      if (problem != null) {
        return problem;
      }
      if (p.nextToken() != JsonToken.END_ARRAY) {
        return "sample must be a [timestamp_ms, value] pair [sample=" + i + "]";
      }
      state.size++;
      i++;
    }
    return null;
  }

  private static String readValues(JsonParser p, LineState state) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      return "values must be an array";
    }
    int i = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t == null) {
        return "truncated JSON array";
      }
      String problem = readValue(p, state, i++);
      if (problem != null) {
        return problem;
      }
    }
    state.valueCount = i;
    return null;
  }

  private static String readTimestamps(JsonParser p, LineState state) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      return "timestamps must be an array";
    }
    int i = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t == null) {
        return "truncated JSON array";
      }
      String problem = readTimestamp(p, state, i++);
      if (problem != null) {
        return problem;
      }
    }
    state.timestampCount = i;
    return null;
  }

  private static String readTimestamp(JsonParser p, LineState state, int i) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT
        || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      return "timestamp must be an integer of milliseconds [sample=" + i + "]";
    }
    state.ensure(i + 1);
    state.timestamps[i] = p.getLongValue();
    return null;
  }

  private static String readValue(JsonParser p, LineState state, int i) throws IOException {
    long bits;
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      bits = Double.doubleToRawLongBits(p.getDoubleValue());
    } else if (t == JsonToken.VALUE_STRING) {
      bits = specialValue(p.getText());
      if (bits == 0L) {
        return "value must be a number or \"NaN\", \"+Inf\", \"-Inf\" [sample=" + i + ", value="
            + LabelChecks.abbreviate(p.getText()) + "]";
      }
    } else {
      return "value must be a number or \"NaN\", \"+Inf\", \"-Inf\" [sample=" + i + "]";
    }
    state.ensure(i + 1);
    state.values[i] = bits;
    return null;
  }

  /** Bits of a non-finite value written as a string, or 0 (the bits of +0.0, never special) if invalid. */
  static long specialValue(String s) {
    switch (s) {
      case "NaN":
        return CANONICAL_NAN;
      case "+Inf", "Inf":
        return Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);
      case "-Inf":
        return Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY);
      default:
        break;
    }
    if (s.length() == 22 && s.startsWith("NaN:0x")) {
      long bits = 0;
      for (int i = 6; i < 22; i++) {
        int d = Character.digit(s.charAt(i), 16);
        if (d < 0) {
          return 0L;
        }
        bits = (bits << 4) | d;
      }
      return Double.isNaN(Double.longBitsToDouble(bits)) ? bits : 0L;
    }
    return 0L;
  }

  /** Text form of a value for export: a JSON number, or one of the strings {@link #specialValue} accepts. */
  static String formatValue(long bits) {
    double d = Double.longBitsToDouble(bits);
    if (Double.isNaN(d)) {
      return bits == CANONICAL_NAN ? "\"NaN\"" : "\"NaN:0x" + String.format("%016x", bits) + "\"";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "\"+Inf\"" : "\"-Inf\"";
    }
    return Double.toString(d);
  }

  /** Parse state of one line, reused across lines. */
  private static final class LineState {
    final Labels.Builder builder = Labels.builder();
    Labels labels;
    long[] timestamps = new long[16];
    long[] values = new long[16];
    int size;
    int valueCount = -1;
    int timestampCount = -1;
    boolean labelsSeen;
    boolean pairsSeen;

    void reset() {
      builder.reset();
      labels = null;
      size = 0;
      valueCount = -1;
      timestampCount = -1;
      labelsSeen = false;
      pairsSeen = false;
    }

    void ensure(int n) {
      if (n > timestamps.length) {
        int cap = Math.max(n, timestamps.length * 2);
        timestamps = Arrays.copyOf(timestamps, cap);
        values = Arrays.copyOf(values, cap);
      }
    }

    String finish(WebConfig config) {
      if (!labelsSeen) {
        return "missing labels";
      }
      if (pairsSeen && (valueCount >= 0 || timestampCount >= 0)) {
        return "use either samples or values+timestamps, not both";
      }
      if (!pairsSeen) {
        if (valueCount < 0 || timestampCount < 0) {
          return "missing samples";
        }
        if (valueCount != timestampCount) {
          return "values and timestamps differ in length [values=" + valueCount + ", timestamps="
              + timestampCount + "]";
        }
        size = valueCount;
      }
      String[] err = new String[1];
      labels = LabelChecks.build(builder, err);
      return labels == null ? err[0] : null;
    }
  }
}
