package io.quiver.columnar;

import io.quiver.index.Labels;
import java.util.Objects;

/**
 * The samples of one series in one write: parallel arrays of timestamps (milliseconds since the epoch, UTC) and
 * raw IEEE-754 value bits ({@link Double#doubleToRawLongBits}), so NaN payloads such as Prometheus' stale marker
 * {@code 0x7ff0000000000002} survive end to end. Samples may be in any order and may repeat timestamps.
 *
 * <p>The arrays are owned by this record once constructed; callers must not modify them afterwards.
 *
 * @param labels the series
 * @param timestampsMs sample timestamps, milliseconds UTC
 * @param valueBits sample values as raw double bits
 */
public record SeriesSamples(Labels labels, long[] timestampsMs, long[] valueBits) {
  /** Validates non-null arguments, a non-empty label set and equal, non-zero array lengths. */
  public SeriesSamples {
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(timestampsMs, "timestampsMs");
    Objects.requireNonNull(valueBits, "valueBits");
    if (labels.size() == 0) {
      throw new IllegalArgumentException("series without labels");
    }
    if (timestampsMs.length != valueBits.length) {
      throw new IllegalArgumentException("timestamps and values differ in length [series=" + labels
          + ", timestamps=" + timestampsMs.length + ", values=" + valueBits.length + "]");
    }
  }

  /** One sample of a double value. */
  public static SeriesSamples of(Labels labels, long timestampMs, double value) {
    return new SeriesSamples(labels, new long[] {timestampMs}, new long[] {Double.doubleToRawLongBits(value)});
  }

  /** Number of samples. */
  public int size() {
    return timestampsMs.length;
  }

  /** The i-th value as a double. */
  public double value(int i) {
    return Double.longBitsToDouble(valueBits[i]);
  }
}
