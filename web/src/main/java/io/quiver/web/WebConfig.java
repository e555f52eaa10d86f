package io.quiver.web;

import io.quiver.index.LabelLimits;
import java.util.Objects;

/**
 * Effective, validated settings of the HTTP edge; built by {@link WebConfigKeys#read} (defaults documented there)
 * or {@link #defaults()}. Sizes are bytes, times milliseconds.
 *
 * @param bindHost interface to listen on
 * @param maxBodyBytes largest request body accepted on the wire (compressed, as sent); larger: 413
 * @param maxDecodedBytes largest body after snappy/gzip decompression; larger: 413, refused before allocating
 * @param maxSeriesPerRequest most distinct series (remote write: TimeSeries messages) in one request; more: 413
 * @param maxSamplesPerRequest most samples in one request; more: 413
 * @param labelLimits labels per series and label name/value lengths; breaking one: 400
 * @param inFlightBytes budget of decoded bytes of ingest requests being decoded or proposed; over it: 503
 * @param ingestTimeoutMs deadline for the commit of one ingest request; past it: 503 (outcome unknown)
 * @param retryAfterSeconds value of {@code Retry-After} on 503 answers
 * @param decodeThreads size of the named worker pool that decodes bodies off the event loop
 * @param stringFields what Influx string fields do: reject the request (default) or drop the field
 * @param influxDbLabel label set from the {@code db} (1.x) or {@code bucket} (2.x) parameter unless the line has
 *     that tag; {@code ""} disables it
 * @param maxExportSamples most samples one read-back call returns; more: 422
 */
public record WebConfig(
    String bindHost,
    long maxBodyBytes,
    long maxDecodedBytes,
    int maxSeriesPerRequest,
    long maxSamplesPerRequest,
    LabelLimits labelLimits,
    long inFlightBytes,
    long ingestTimeoutMs,
    int retryAfterSeconds,
    int decodeThreads,
    StringFieldPolicy stringFields,
    String influxDbLabel,
    long maxExportSamples) {

  /** What to do with Influx string fields, which a float64 store cannot hold. */
  public enum StringFieldPolicy {
    /** Answer 400 naming the line and field (default: nothing is silently lost). */
    REJECT,
    /** Ignore string fields; numeric fields of the same line are stored (what Telegraf users usually want). */
    DROP
  }

  /** Validates ranges; sizes must fit a Java array. */
  public WebConfig {
    Objects.requireNonNull(bindHost, "bindHost");
    Objects.requireNonNull(labelLimits, "labelLimits");
    Objects.requireNonNull(stringFields, "stringFields");
    Objects.requireNonNull(influxDbLabel, "influxDbLabel");
    requireRange("maxBodyBytes", maxBodyBytes, 1, Integer.MAX_VALUE - 16);
    requireRange("maxDecodedBytes", maxDecodedBytes, 1, Integer.MAX_VALUE - 16);
    requireRange("maxSeriesPerRequest", maxSeriesPerRequest, 1, Integer.MAX_VALUE);
    requireRange("maxSamplesPerRequest", maxSamplesPerRequest, 1, Integer.MAX_VALUE - 16);
    requireRange("inFlightBytes", inFlightBytes, 1, Long.MAX_VALUE);
    requireRange("ingestTimeoutMs", ingestTimeoutMs, 1, Long.MAX_VALUE);
    requireRange("retryAfterSeconds", retryAfterSeconds, 0, 3600);
    requireRange("decodeThreads", decodeThreads, 1, 1024);
    requireRange("maxExportSamples", maxExportSamples, 1, Integer.MAX_VALUE - 16);
    if (!influxDbLabel.isEmpty() && !io.quiver.index.Labels.isValidName(influxDbLabel)) {
      throw new IllegalArgumentException("invalid label name [influxDbLabel=" + influxDbLabel + "]");
    }
  }

  /** Every knob at its documented default. */
  public static WebConfig defaults() {
    return WebConfigKeys.read(java.util.Map.of());
  }

  /** A copy with other body limits, for tests and embedding. */
  public WebConfig withBodyLimits(long maxBody, long maxDecoded) {
    return new WebConfig(bindHost, maxBody, maxDecoded, maxSeriesPerRequest, maxSamplesPerRequest, labelLimits,
        inFlightBytes, ingestTimeoutMs, retryAfterSeconds, decodeThreads, stringFields, influxDbLabel,
        maxExportSamples);
  }

  /** A copy with other request count limits. */
  public WebConfig withRequestLimits(int maxSeries, long maxSamples, LabelLimits limits) {
    return new WebConfig(bindHost, maxBodyBytes, maxDecodedBytes, maxSeries, maxSamples, limits,
        inFlightBytes, ingestTimeoutMs, retryAfterSeconds, decodeThreads, stringFields, influxDbLabel,
        maxExportSamples);
  }

  /** A copy with another in-flight budget and ingest deadline. */
  public WebConfig withBackpressure(long inFlight, long timeoutMs) {
    return new WebConfig(bindHost, maxBodyBytes, maxDecodedBytes, maxSeriesPerRequest, maxSamplesPerRequest,
        labelLimits, inFlight, timeoutMs, retryAfterSeconds, decodeThreads, stringFields, influxDbLabel,
        maxExportSamples);
  }

  /** A copy with another string-field policy. */
  public WebConfig withStringFields(StringFieldPolicy policy) {
    return new WebConfig(bindHost, maxBodyBytes, maxDecodedBytes, maxSeriesPerRequest, maxSamplesPerRequest,
        labelLimits, inFlightBytes, ingestTimeoutMs, retryAfterSeconds, decodeThreads, policy, influxDbLabel,
        maxExportSamples);
  }

  private static void requireRange(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException("setting out of range [key=" + name + ", value=" + value + ", min=" + min
          + ", max=" + max + "]");
    }
  }
}
