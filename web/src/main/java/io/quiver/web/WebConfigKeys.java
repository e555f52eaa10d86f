package io.quiver.web;

import io.quiver.index.LabelLimits;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Every setting of the web module: key, default, one-line doc and a typed, validating reader. Keys live under
 * {@code quiver.web.}; {@link #read} turns a flat map (file, flags and environment merged by the node) into a
 * {@link WebConfig}. Unknown keys under the prefix are rejected so typos do not pass silently.
 */
public final class WebConfigKeys {
  /** Prefix of every key of this module. */
  public static final String PREFIX = "quiver.web.";

  private static final long MIB = 1024L * 1024L;

  /** One setting. */
  public record Key<T>(String name, String defaultValue, String doc, Function<String, T> parser) {
    /** The typed value of this key in {@code props}, or the default. */
    public T get(Map<String, String> props) {
      String raw = props.getOrDefault(name, defaultValue).trim();
      try {
        return parser.apply(raw);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("invalid setting [key=" + name + ", value=" + raw + "]", e);
      }
    }
  }

  /** Interface to listen on. */
  public static final Key<String> BIND_HOST = new Key<>(PREFIX + "bind-host", "0.0.0.0",
      "Interface the HTTP server listens on.", s -> s);
  /** Wire body cap. */
  public static final Key<Long> MAX_BODY_BYTES = new Key<>(PREFIX + "max-body-bytes", Long.toString(64 * MIB),
      "Largest request body accepted as sent (compressed); larger requests get 413.", Long::parseLong);
  /** Decoded body cap. */
  public static final Key<Long> MAX_DECODED_BYTES = new Key<>(PREFIX + "max-decoded-bytes",
      Long.toString(64 * MIB),
      "Largest body after snappy/gzip decompression; refused with 413 before allocating.", Long::parseLong);
  /** Series per request. */
  public static final Key<Integer> MAX_SERIES = new Key<>(PREFIX + "max-series-per-request", "500000",
      "Most distinct series in one ingest request; more gets 413.", Integer::parseInt);
  /** Samples per request. */
  public static final Key<Long> MAX_SAMPLES = new Key<>(PREFIX + "max-samples-per-request", "5000000",
      "Most samples in one ingest request; more gets 413.", Long::parseLong);
  /** Labels per series. */
  public static final Key<Integer> MAX_LABELS = new Key<>(PREFIX + "max-labels-per-series",
      Integer.toString(LabelLimits.DEFAULT.maxLabels()),
      "Most labels per series, __name__ included; more gets 400.", Integer::parseInt);
  /** Label name length. */
  public static final Key<Integer> MAX_NAME_LENGTH = new Key<>(PREFIX + "max-label-name-length",
      Integer.toString(LabelLimits.DEFAULT.maxNameLength()),
      "Longest label name in UTF-16 chars; longer gets 400.", Integer::parseInt);
  /** Label value length. */
  public static final Key<Integer> MAX_VALUE_LENGTH = new Key<>(PREFIX + "max-label-value-length",
      Integer.toString(LabelLimits.DEFAULT.maxValueLength()),
      "Longest label value in UTF-16 chars; longer gets 400.", Integer::parseInt);
  /** In-flight budget. */
  public static final Key<Long> IN_FLIGHT_BYTES = new Key<>(PREFIX + "in-flight-bytes", Long.toString(256 * MIB),
      "Budget of decoded bytes of ingest requests being decoded or committed; over it: 503 + Retry-After.",
      Long::parseLong);
  /** Ingest deadline. */
  public static final Key<Long> INGEST_TIMEOUT_MS = new Key<>(PREFIX + "ingest-timeout-ms", "30000",
      "Deadline for committing one ingest request; past it: 503, outcome unknown.", Long::parseLong);
  /** Retry-After. */
  public static final Key<Integer> RETRY_AFTER_SECONDS = new Key<>(PREFIX + "retry-after-seconds", "1",
      "Retry-After value (seconds) sent with 503 answers.", Integer::parseInt);
  /** Decode pool. */
  public static final Key<Integer> DECODE_THREADS = new Key<>(PREFIX + "decode-threads",
      Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors())),
      "Threads of the named worker pool that decodes request bodies (default: number of CPUs).",
      Integer::parseInt);
  /** Influx string fields. */
  public static final Key<WebConfig.StringFieldPolicy> INFLUX_STRING_FIELDS = new Key<>(
      PREFIX + "influx-string-fields", "reject",
      "Influx string fields: reject (400 naming line and field) or drop (ignore the field).",
      s -> WebConfig.StringFieldPolicy.valueOf(s.toUpperCase(Locale.ROOT)));
  /** Influx db label. */
  public static final Key<String> INFLUX_DB_LABEL = new Key<>(PREFIX + "influx-db-label", "db",
      "Label that receives the db (1.x) / bucket (2.x) parameter unless a line has that tag; empty disables.",
      s -> s);
  /** Export cap. */
  public static final Key<Long> MAX_EXPORT_SAMPLES = new Key<>(PREFIX + "max-export-samples", "10000000",
      "Most samples one read-back (export) call returns; more gets 422.", Long::parseLong);

  /** All keys, in documentation order. */
  public static final List<Key<?>> ALL = List.of(BIND_HOST, MAX_BODY_BYTES, MAX_DECODED_BYTES, MAX_SERIES,
      MAX_SAMPLES, MAX_LABELS, MAX_NAME_LENGTH, MAX_VALUE_LENGTH, IN_FLIGHT_BYTES, INGEST_TIMEOUT_MS,
      RETRY_AFTER_SECONDS, DECODE_THREADS, INFLUX_STRING_FIELDS, INFLUX_DB_LABEL, MAX_EXPORT_SAMPLES);

  private WebConfigKeys() {}

  /**
   * Reads and validates every key from {@code props} (keys outside {@link #PREFIX} are ignored).
   *
   * @throws IllegalArgumentException naming the key on an unknown key, a malformed or out-of-range value
   */
  public static WebConfig read(Map<String, String> props) {
    for (String key : props.keySet()) {
      if (key.startsWith(PREFIX) && ALL.stream().noneMatch(k -> k.name().equals(key))) {
        throw new IllegalArgumentException("unknown setting [key=" + key + "]");
      }
    }
    LabelLimits limits = new LabelLimits(MAX_LABELS.get(props), MAX_NAME_LENGTH.get(props),
        MAX_VALUE_LENGTH.get(props));
    return new WebConfig(BIND_HOST.get(props), MAX_BODY_BYTES.get(props), MAX_DECODED_BYTES.get(props),
        MAX_SERIES.get(props), MAX_SAMPLES.get(props), limits, IN_FLIGHT_BYTES.get(props),
        INGEST_TIMEOUT_MS.get(props), RETRY_AFTER_SECONDS.get(props), DECODE_THREADS.get(props),
        INFLUX_STRING_FIELDS.get(props), INFLUX_DB_LABEL.get(props), MAX_EXPORT_SAMPLES.get(props));
  }
}
