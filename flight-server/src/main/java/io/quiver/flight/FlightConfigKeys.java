package io.quiver.flight;

import java.util.Map;

/**
 * Every knob of the Flight server: key, default and meaning in one place. {@link #read(Map)} validates and
 * produces the immutable {@link FlightConfig}.
 */
public final class FlightConfigKeys {
  /** Memory limit (bytes) of one DoGet stream's child allocator. */
  public static final String STREAM_MEMORY_LIMIT_BYTES = "quiver.flight.stream.memory.limit.bytes";
  /** Default: 256 MiB, room for a few store batches plus the copy path's output batch. */
  public static final long STREAM_MEMORY_LIMIT_BYTES_DEFAULT = 256L << 20;

  /** Memory limit (bytes) of one DoPut stream's child allocator. */
  public static final String PUT_MEMORY_LIMIT_BYTES = "quiver.flight.put.memory.limit.bytes";
  /** Default: 256 MiB. A larger incoming batch fails with RESOURCE_EXHAUSTED. */
  public static final long PUT_MEMORY_LIMIT_BYTES_DEFAULT = 256L << 20;

  /** Maximum rows of one DoPut record batch (one batch is one atomic write). */
  public static final String PUT_MAX_BATCH_ROWS = "quiver.flight.put.max.batch.rows";
  /** Default: 1,000,000 rows. */
  public static final int PUT_MAX_BATCH_ROWS_DEFAULT = 1_000_000;

  /** Threads that pump DoGet streams (each stream occupies one while it runs). */
  public static final String STREAM_THREADS = "quiver.flight.stream.threads";
  /** Default: 8. */
  public static final int STREAM_THREADS_DEFAULT = 8;

  /** DoGet streams allowed to wait for a stream thread; beyond that DoGet fails with RESOURCE_EXHAUSTED. */
  public static final String STREAM_QUEUE = "quiver.flight.stream.queue";
  /** Default: 64. */
  public static final int STREAM_QUEUE_DEFAULT = 64;

  /** Concurrent DoPut streams allowed; beyond that DoPut fails with RESOURCE_EXHAUSTED. */
  public static final String PUT_MAX_CONCURRENT = "quiver.flight.put.max.concurrent";
  /** Default: 8. */
  public static final int PUT_MAX_CONCURRENT_DEFAULT = 8;

  /** Deadline (ms) for a read barrier, a series summary or a write commit. */
  public static final String BACKEND_TIMEOUT_MS = "quiver.flight.backend.timeout.ms";
  /** Default: 30 s. */
  public static final long BACKEND_TIMEOUT_MS_DEFAULT = 30_000;

  /** How long (ms) a DoGet waits for a client that stopped reading before failing the stream with TIMED_OUT. */
  public static final String STALL_TIMEOUT_MS = "quiver.flight.stall.timeout.ms";
  /** Default: 5 min. */
  public static final long STALL_TIMEOUT_MS_DEFAULT = 300_000;

  /** Bytes queued on one gRPC call before it reports not-ready (Flight's backpressure threshold). */
  public static final String BACKPRESSURE_THRESHOLD_BYTES = "quiver.flight.backpressure.threshold.bytes";
  /** Default: 16 MiB (Flight's own default is 10 MiB; larger helps throughput, costs memory per stream). */
  public static final int BACKPRESSURE_THRESHOLD_BYTES_DEFAULT = 16 << 20;

  /** Staleness bound (ms) of follower reads whose command gives no {@code max_staleness_ms}. */
  public static final String DEFAULT_MAX_STALENESS_MS = "quiver.flight.follower.max.staleness.ms";
  /** Default: 5 s. */
  public static final long DEFAULT_MAX_STALENESS_MS_DEFAULT = 5_000;

  /** Rows per record batch on the copy path (several selectors on one shard, or schema reconciliation). */
  public static final String COPY_BATCH_ROWS = "quiver.flight.copy.batch.rows";
  /** Default: 65,536 rows. */
  public static final int COPY_BATCH_ROWS_DEFAULT = 65_536;

  private FlightConfigKeys() {}

  /** Reads every key of {@code properties} (missing keys take their defaults) and validates. */
  public static FlightConfig read(Map<String, String> properties) {
    return new FlightConfig(
        longValue(properties, STREAM_MEMORY_LIMIT_BYTES, STREAM_MEMORY_LIMIT_BYTES_DEFAULT),
        longValue(properties, PUT_MEMORY_LIMIT_BYTES, PUT_MEMORY_LIMIT_BYTES_DEFAULT),
        intValue(properties, PUT_MAX_BATCH_ROWS, PUT_MAX_BATCH_ROWS_DEFAULT),
        intValue(properties, STREAM_THREADS, STREAM_THREADS_DEFAULT),
        intValue(properties, STREAM_QUEUE, STREAM_QUEUE_DEFAULT),
        intValue(properties, PUT_MAX_CONCURRENT, PUT_MAX_CONCURRENT_DEFAULT),
        longValue(properties, BACKEND_TIMEOUT_MS, BACKEND_TIMEOUT_MS_DEFAULT),
        longValue(properties, STALL_TIMEOUT_MS, STALL_TIMEOUT_MS_DEFAULT),
        intValue(properties, BACKPRESSURE_THRESHOLD_BYTES, BACKPRESSURE_THRESHOLD_BYTES_DEFAULT),
        longValue(properties, DEFAULT_MAX_STALENESS_MS, DEFAULT_MAX_STALENESS_MS_DEFAULT),
        intValue(properties, COPY_BATCH_ROWS, COPY_BATCH_ROWS_DEFAULT));
  }

  private static int intValue(Map<String, String> properties, String key, int defaultValue) {
    long v = longValue(properties, key, defaultValue);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("setting out of range [" + key + "=" + v + "]");
    }
    return (int) v;
  }

  private static long longValue(Map<String, String> properties, String key, long defaultValue) {
    String raw = properties.get(key);
    if (raw == null) {
      return defaultValue;
    }
    try {
      return Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("setting is not an integer [" + key + "=" + raw + "]", e);
    }
  }
}
