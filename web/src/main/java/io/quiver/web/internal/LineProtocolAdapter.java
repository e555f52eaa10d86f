package io.quiver.web.internal;

import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.WriteBatch;
import io.quiver.index.Labels;
import io.quiver.web.ErrorCode;
import io.quiver.web.WebConfig;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes an Influx line-protocol body into one batch. Each field of a line becomes a sample of the series
 * {@code __name__ = sanitize(measurement + "_" + field)} with the line's tags as labels (keys sanitised the same
 * way); int ({@code i}), uint ({@code u}), float and boolean (1/0) values become float64. The whole request is
 * rejected at the first bad line, naming line and column. Escaping follows the InfluxDB 2.x reference: the
 * measurement escapes comma and space; tag keys, tag values and field keys escape comma, {@code =} and space;
 * string field values escape {@code "} and backslash; a doubled backslash is one backslash and a backslash before
 * any other character is literal. Stateless and thread-safe.
 */
final class LineProtocolAdapter {
  private final WebConfig config;

  LineProtocolAdapter(WebConfig config) {
    this.config = config;
  }

  /**
   * Decodes {@code body[0, length)}.
   *
   * @param precision unit of the timestamps
   * @param db value for {@link WebConfig#influxDbLabel()} ({@code null} or empty: none)
   * @param nowMs timestamp for lines without one
   */
  DecodeResult decode(byte[] body, int length, Precision precision, String db, long nowMs) {
    char[] chars;
    int charCount;
    try {
      CharBuffer cb = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body, 0, length));
      chars = cb.array();
      charCount = cb.limit();
    } catch (CharacterCodingException e) {
      // Translate: the body is not UTF-8.
      return DecodeResult.fail(ErrorCode.BAD_REQUEST, "line protocol body is not valid UTF-8");
    }
    Parser parser = new Parser(config, chars, precision, db, nowMs);
    int lineNo = 0;
    int start = 0;
    while (start < charCount) {
      int end = start;
      while (end < charCount && chars[end] != '\n') {
        end++;
      }
      lineNo++;
      int lineEnd = end > start && chars[end - 1] == '\r' ? end - 1 : end;
      if (parser.parseLine(start, lineEnd) != Status.OK) {
        return parser.failure(lineNo, start, lineEnd);
      }
      start = end + 1;
    }
    return parser.result(length);
  }

  /** Result of parsing one element of a line. */
  enum Status { OK, INVALID, TOO_LARGE }

  /** Which token is being read, which decides its terminators and escapable characters. */
  private enum Token { MEASUREMENT, TAG_KEY, TAG_VALUE, FIELD_KEY }

  /** Samples of one series within the request. */
  private static final class Acc {
    final Labels labels;
    long[] timestamps = new long[4];
    long[] values = new long[4];
    int size;

    Acc(Labels labels) {
      this.labels = labels;
    }

    void add(long ts, long bits) {
      if (size == timestamps.length) {
        timestamps = java.util.Arrays.copyOf(timestamps, size * 2);
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      timestamps[size] = ts;
      values[size] = bits;
      size++;
    }
  }

  /** Parses lines one by one; keeps per-request caches and the first error. */
  private static final class Parser {
    private final WebConfig config;
    private final char[] buf;
    private final Precision precision;
    private final String db;
    private final long nowMs;
    private final StringBuilder sb = new StringBuilder(64);
    /** Key: raw series text (measurement + tags as written) + '\n' + field name. */
    private final Map<String, Acc> series = new LinkedHashMap<>();
    private final Map<String, List<String>> tagCache = new HashMap<>();
    private long samples;
    private int pos;
    private int end;
    private int errorPos;
    private Status errorStatus = Status.OK;
    private String errorMessage = "";
    // Per line.
    private String measurement;
    private final List<String> tags = new ArrayList<>();
    private final List<String> fieldNames = new ArrayList<>();
    private long[] fieldBits = new long[8];

    Parser(WebConfig config, char[] buf, Precision precision, String db, long nowMs) {
      this.config = config;
      this.buf = buf;
      this.precision = precision;
      this.db = db == null ? "" : db;
      this.nowMs = nowMs;
    }

    Status parseLine(int start, int lineEnd) {
      pos = start;
      end = lineEnd;
      skipBlanks();
      if (pos == end || buf[pos] == '#') {
        return Status.OK;
      }
      int keyStart = pos;
      Status st = readMeasurementAndTags();
      if (st != Status.OK) {
        return st;
      }
      String rawKey = new String(buf, keyStart, pos - keyStart);
      if (pos == end) {
        return error(Status.INVALID, "missing field set");
      }
      skipSpaces();
      st = readFields();
      if (st != Status.OK) {
        return st;
      }
      long ts = nowMs;
      if (pos < end) {
        skipSpaces();
        if (pos < end) {
          st = readTimestamp();
          if (st != Status.OK) {
            return st;
          }
          ts = timestamp;
        }
      }
      return store(rawKey, start, ts);
    }

    private long timestamp;

    private Status readMeasurementAndTags() {
      Status st = readToken(Token.MEASUREMENT);
      if (st != Status.OK) {
        return st;
      }
      if (sb.length() == 0) {
        return error(Status.INVALID, "missing measurement");
      }
      measurement = sb.toString();
      tags.clear();
      while (pos < end && buf[pos] == ',') {
        pos++;
        st = readToken(Token.TAG_KEY);
        if (st != Status.OK) {
          return st;
        }
        if (sb.length() == 0) {
          return error(Status.INVALID, "missing tag key");
        }
        String key = sb.toString();
        pos++; // '='
        st = readToken(Token.TAG_VALUE);
        if (st != Status.OK) {
          return st;
        }
        if (sb.length() == 0) {
          return error(Status.INVALID, "missing tag value [tag=" + LabelChecks.abbreviate(key) + "]");
        }
        tags.add(key);
        tags.add(sb.toString());
      }
      return Status.OK;
    }

    private Status readFields() {
      fieldNames.clear();
      int n = 0;
      while (true) {
        Status st = readToken(Token.FIELD_KEY);
        if (st != Status.OK) {
          return st;
        }
        if (sb.length() == 0) {
          return error(Status.INVALID, "missing field key");
        }
        String key = sb.toString();
        pos++; // '='
        if (pos == end || buf[pos] == ' ' || buf[pos] == ',') {
          return error(Status.INVALID, "missing field value [field=" + LabelChecks.abbreviate(key) + "]");
        }
        if (buf[pos] == '"') {
          st = skipStringValue(key);
          if (st != Status.OK) {
            return st;
          }
          if (config.stringFields() == WebConfig.StringFieldPolicy.REJECT) {
            return error(Status.INVALID, "string field values are not supported; only float, integer, unsigned"
                + " and boolean fields can be stored [field=" + LabelChecks.abbreviate(key) + "]");
          }
        } else {
          st = readNumericValue(key);
          if (st != Status.OK) {
            return st;
          }
          if (n == fieldBits.length) {
            fieldBits = java.util.Arrays.copyOf(fieldBits, n * 2);
          }
          fieldBits[n++] = parsedBits;
          fieldNames.add(key);
        }
        if (pos == end || buf[pos] == ' ') {
          return Status.OK;
        }
        pos++; // ','
      }
    }

    private long parsedBits;

    private Status skipStringValue(String key) {
      int open = pos;
      pos++;
      while (pos < end) {
        char c = buf[pos];
        if (c == '\\' && pos + 1 < end && (buf[pos + 1] == '"' || buf[pos + 1] == '\\')) {
          pos += 2;
        } else if (c == '"') {
          pos++;
          if (pos < end && buf[pos] != ',' && buf[pos] != ' ') {
            return error(Status.INVALID, "unexpected character after string field value [field="
                + LabelChecks.abbreviate(key) + "]");
          }
          return Status.OK;
        } else {
          pos++;
        }
      }
      pos = open;
      return error(Status.INVALID, "unterminated string field value [field=" + LabelChecks.abbreviate(key) + "]");
    }

    private Status readNumericValue(String key) {
      int start = pos;
      while (pos < end && buf[pos] != ',' && buf[pos] != ' ') {
        pos++;
      }
      int len = pos - start;
      char last = buf[pos - 1];
      Status st;
      if (last == 'i' && len > 1) {
        st = parseInteger(start, pos - 1, false);
      } else if (last == 'u' && len > 1) {
        st = parseInteger(start, pos - 1, true);
      } else if (isBoolean(start, len)) {
        char c = buf[start];
        parsedBits = Double.doubleToRawLongBits(c == 't' || c == 'T' ? 1.0 : 0.0);
        st = Status.OK;
      } else {
        st = parseFloat(start, pos);
      }
      if (st != Status.OK) {
        pos = start;
        return error(st, errorMessage + " [field=" + LabelChecks.abbreviate(key) + ", value="
            + LabelChecks.abbreviate(new String(buf, start, len)) + "]");
      }
      return Status.OK;
    }

    private boolean isBoolean(int start, int len) {
      String s = new String(buf, start, len);
      return switch (s) {
        case "t", "T", "true", "True", "TRUE", "f", "F", "false", "False", "FALSE" -> true;
        default -> false;
      };
    }

    private Status parseInteger(int start, int stop, boolean unsigned) {
      int i = start;
      if (!unsigned && i < stop && buf[i] == '-') {
        i++;
      }
      if (i == stop) {
        return fieldError("invalid integer");
      }
      for (int k = i; k < stop; k++) {
        if (buf[k] < '0' || buf[k] > '9') {
          return fieldError(unsigned ? "invalid unsigned integer" : "invalid integer");
        }
      }
      String digits = new String(buf, start, stop - start);
      try {
        if (unsigned) {
          long v = Long.parseUnsignedLong(digits);
          double d = v >= 0 ? (double) v : ((double) (v >>> 1)) * 2.0 + (v & 1);
          parsedBits = Double.doubleToRawLongBits(d);
        } else {
          parsedBits = Double.doubleToRawLongBits((double) Long.parseLong(digits));
        }
        return Status.OK;
      } catch (NumberFormatException e) {
        // Translate: only reachable for out-of-range digit strings.
        return fieldError(unsigned ? "unsigned integer out of range" : "integer out of range");
      }
    }

    private Status parseFloat(int start, int stop) {
      int i = start;
      if (i < stop && (buf[i] == '-' || buf[i] == '+')) {
        i++;
      }
      int mantissaDigits = 0;
      while (i < stop && buf[i] >= '0' && buf[i] <= '9') {
        i++;
        mantissaDigits++;
      }
      if (i < stop && buf[i] == '.') {
        i++;
        while (i < stop && buf[i] >= '0' && buf[i] <= '9') {
          i++;
          mantissaDigits++;
        }
      }
      if (mantissaDigits == 0) {
        return fieldError("invalid field value (not a number, integer, unsigned or boolean)");
      }
      if (i < stop && (buf[i] == 'e' || buf[i] == 'E')) {
        i++;
        if (i < stop && (buf[i] == '-' || buf[i] == '+')) {
          i++;
        }
        int expDigits = 0;
        while (i < stop && buf[i] >= '0' && buf[i] <= '9') {
          i++;
          expDigits++;
        }
        if (expDigits == 0) {
          return fieldError("invalid float exponent");
        }
      }
      if (i != stop) {
        return fieldError("invalid field value (not a number, integer, unsigned or boolean)");
      }
      double d = Double.parseDouble(new String(buf, start, stop - start));
      if (Double.isInfinite(d)) {
        return fieldError("float out of range");
      }
      parsedBits = Double.doubleToRawLongBits(d);
      return Status.OK;
    }

    private Status fieldError(String message) {
      errorMessage = message;
      return Status.INVALID;
    }

    private Status readTimestamp() {
      int start = pos;
      while (pos < end && buf[pos] != ' ' && buf[pos] != '\t') {
        pos++;
      }
      int stop = pos;
      skipBlanks();
      if (pos != end) {
        return error(Status.INVALID, "unexpected text after timestamp");
      }
      int i = start;
      if (buf[i] == '-') {
        i++;
      }
      boolean digits = i < stop;
      for (int k = i; k < stop; k++) {
        digits &= buf[k] >= '0' && buf[k] <= '9';
      }
      if (!digits) {
        pos = start;
        return error(Status.INVALID, "invalid timestamp [value=" + LabelChecks.abbreviate(
            new String(buf, start, stop - start)) + "]");
      }
      long raw;
      try {
        raw = Long.parseLong(new String(buf, start, stop - start));
      } catch (NumberFormatException e) {
        // Translate: digits but out of the int64 range.
        pos = start;
        return error(Status.INVALID, "timestamp out of range");
      }
      long ms = precision.toMillis(raw);
      if (ms == Long.MIN_VALUE) {
        pos = start;
        return error(Status.INVALID, "timestamp out of range for precision [precision=" + precision + "]");
      }
      timestamp = ms;
      return Status.OK;
    }

    /** Reads an escaped token into {@link #sb}; stops before its terminator. */
    private Status readToken(Token token) {
      sb.setLength(0);
      while (pos < end) {
        char c = buf[pos];
        if (c == '\\' && pos + 1 < end && escapable(token, buf[pos + 1])) {
          sb.append(buf[pos + 1]);
          pos += 2;
          continue;
        }
        switch (token) {
          case MEASUREMENT -> {
            if (c == ',' || c == ' ') {
              return Status.OK;
            }
          }
          case TAG_KEY -> {
            if (c == '=') {
              return Status.OK;
            }
            if (c == ',' || c == ' ') {
              return error(Status.INVALID, "missing tag value (expected '=')");
            }
          }
          case TAG_VALUE -> {
            if (c == ',' || c == ' ') {
              return Status.OK;
            }
            if (c == '=') {
              return error(Status.INVALID, "unescaped '=' in tag value");
            }
          }
          case FIELD_KEY -> {
            if (c == '=') {
              return Status.OK;
            }
            if (c == ',' || c == ' ') {
              return error(Status.INVALID, "missing field value (expected '=')");
            }
          }
        }
        sb.append(c);
        pos++;
      }
      return switch (token) {
        case MEASUREMENT, TAG_VALUE -> Status.OK;
        case TAG_KEY -> error(Status.INVALID, "missing tag value (expected '=')");
        case FIELD_KEY -> error(Status.INVALID, sb.length() == 0 ? "missing field set"
            : "missing field value (expected '=')");
      };
    }

    private static boolean escapable(Token token, char next) {
      if (next == '\\' || next == ',' || next == ' ') {
        return true;
      }
      return next == '=' && token != Token.MEASUREMENT;
    }

    private Status store(String rawKey, int lineStart, long ts) {
      int n = fieldNames.size();
      if (samples + n > config.maxSamplesPerRequest()) {
        pos = lineStart;
        return error(Status.TOO_LARGE, "too many samples in one request [max=" + config.maxSamplesPerRequest()
            + "]");
      }
      for (int f = 0; f < n; f++) {
        String field = fieldNames.get(f);
        String key = rawKey + '\n' + field;
        Acc acc = series.get(key);
        if (acc == null) {
          if (series.size() >= config.maxSeriesPerRequest()) {
            pos = lineStart;
            return error(Status.TOO_LARGE, "too many series in one request [max=" + config.maxSeriesPerRequest()
                + "]");
          }
          Labels labels = labelsFor(field);
          if (labels == null) {
            pos = lineStart;
            return Status.INVALID;
          }
          acc = new Acc(labels);
          series.put(key, acc);
        }
        acc.add(ts, fieldBits[f]);
      }
      samples += n;
      return Status.OK;
    }

    private Labels labelsFor(String field) {
      Labels.Builder b = Labels.builder();
      String name = Names.metricName(measurement + "_" + field);
      b.add(Labels.METRIC_NAME, name);
      boolean hasDbTag = false;
      String dbLabel = config.influxDbLabel();
      for (int i = 0; i < tags.size(); i += 2) {
        String key = Names.labelName(tags.get(i));
        if (key.equals(Labels.METRIC_NAME)) {
          error(Status.INVALID, "tag __name__ is reserved");
          return null;
        }
        hasDbTag |= key.equals(dbLabel);
        String problem = LabelChecks.checkPair(key, tags.get(i + 1), config.labelLimits());
        if (problem != null) {
          error(Status.INVALID, problem);
          return null;
        }
        b.add(key, tags.get(i + 1));
      }
      if (!dbLabel.isEmpty() && !db.isEmpty() && !hasDbTag) {
        b.add(dbLabel, db);
      }
      String problem = LabelChecks.checkCount(b.size(), config.labelLimits());
      if (problem == null) {
        problem = LabelChecks.checkPair(Labels.METRIC_NAME, name, config.labelLimits());
      }
      if (problem != null) {
        error(Status.INVALID, problem);
        return null;
      }
      String[] err = new String[1];
      Labels labels = LabelChecks.build(b, err);
      if (labels == null) {
        error(Status.INVALID, err[0]);
      }
      return labels;
    }

    private void skipSpaces() {
      while (pos < end && buf[pos] == ' ') {
        pos++;
      }
    }

    private void skipBlanks() {
      while (pos < end && (buf[pos] == ' ' || buf[pos] == '\t')) {
        pos++;
      }
    }

    private Status error(Status status, String message) {
      errorStatus = status;
      errorMessage = message;
      errorPos = pos;
      return status;
    }

    DecodeResult failure(int lineNo, int lineStart, int lineEnd) {
      int column = Math.max(errorPos, lineStart) - lineStart + 1;
      String text = LabelChecks.abbreviate(new String(buf, lineStart, lineEnd - lineStart));
      String message = "invalid line protocol: " + errorMessage + " [line=" + lineNo + ", column=" + column
          + ", text=" + text + "]";
      ErrorCode code = errorStatus == Status.TOO_LARGE ? ErrorCode.PAYLOAD_TOO_LARGE : ErrorCode.BAD_REQUEST;
      return DecodeResult.fail(code, message);
    }

    DecodeResult result(long decodedBytes) {
      if (series.isEmpty()) {
        return DecodeResult.empty(decodedBytes);
      }
      List<SeriesSamples> out = new ArrayList<>(series.size());
      for (Acc acc : series.values()) {
        out.add(new SeriesSamples(acc.labels, java.util.Arrays.copyOf(acc.timestamps, acc.size),
            java.util.Arrays.copyOf(acc.values, acc.size)));
      }
      return DecodeResult.ok(new WriteBatch(out), samples, decodedBytes);
    }
  }
}
