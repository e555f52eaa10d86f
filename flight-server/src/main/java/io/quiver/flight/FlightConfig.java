package io.quiver.flight;

/**
 * Effective configuration of the Flight server, validated once; see {@link FlightConfigKeys} for each knob's key,
 * default and meaning.
 *
 * @param streamMemoryLimitBytes memory limit of one DoGet stream's child allocator
 * @param putMemoryLimitBytes memory limit of one DoPut stream's child allocator
 * @param putMaxBatchRows maximum rows of one DoPut record batch
 * @param streamThreads threads pumping DoGet streams
 * @param streamQueue DoGet streams allowed to wait for a thread
 * @param putMaxConcurrent concurrent DoPut streams
 * @param backendTimeoutMs deadline of a read barrier, summary or commit
 * @param stallTimeoutMs how long a DoGet waits for a client that stopped reading
 * @param backpressureThresholdBytes bytes queued per gRPC call before it reports not-ready
 * @param defaultMaxStalenessMs staleness bound of follower reads that give none
 * @param copyBatchRows rows per batch on the copy path
 */
public record FlightConfig(
    long streamMemoryLimitBytes,
    long putMemoryLimitBytes,
    int putMaxBatchRows,
    int streamThreads,
    int streamQueue,
    int putMaxConcurrent,
    long backendTimeoutMs,
    long stallTimeoutMs,
    int backpressureThresholdBytes,
    long defaultMaxStalenessMs,
    int copyBatchRows) {

  /** Validates every field. */
  public FlightConfig {
    require(streamMemoryLimitBytes >= 1 << 20, FlightConfigKeys.STREAM_MEMORY_LIMIT_BYTES, streamMemoryLimitBytes);
    require(putMemoryLimitBytes >= 1 << 20, FlightConfigKeys.PUT_MEMORY_LIMIT_BYTES, putMemoryLimitBytes);
    require(putMaxBatchRows >= 1, FlightConfigKeys.PUT_MAX_BATCH_ROWS, putMaxBatchRows);
    require(streamThreads >= 1 && streamThreads <= 1024, FlightConfigKeys.STREAM_THREADS, streamThreads);
    require(streamQueue >= 0, FlightConfigKeys.STREAM_QUEUE, streamQueue);
    require(putMaxConcurrent >= 1, FlightConfigKeys.PUT_MAX_CONCURRENT, putMaxConcurrent);
    require(backendTimeoutMs >= 1, FlightConfigKeys.BACKEND_TIMEOUT_MS, backendTimeoutMs);
    require(stallTimeoutMs >= 1, FlightConfigKeys.STALL_TIMEOUT_MS, stallTimeoutMs);
    require(backpressureThresholdBytes >= 1 << 16, FlightConfigKeys.BACKPRESSURE_THRESHOLD_BYTES,
        backpressureThresholdBytes);
    require(defaultMaxStalenessMs >= 0, FlightConfigKeys.DEFAULT_MAX_STALENESS_MS, defaultMaxStalenessMs);
    require(copyBatchRows >= 1 && copyBatchRows <= 1 << 24, FlightConfigKeys.COPY_BATCH_ROWS, copyBatchRows);
  }

  /** Every default of {@link FlightConfigKeys}. */
  public static FlightConfig defaults() {
    return FlightConfigKeys.read(java.util.Map.of());
  }

  private static void require(boolean ok, String key, long value) {
    if (!ok) {
      throw new IllegalArgumentException("invalid flight setting [" + key + "=" + value + "]");
    }
  }
}
