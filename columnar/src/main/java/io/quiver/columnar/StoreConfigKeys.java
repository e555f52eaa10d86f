package io.quiver.columnar;

import java.util.Map;
import java.util.function.Function;

/**
 * Every configuration key of the columnar store: key, default and one line of documentation, plus a typed reader
 * ({@link #read(Map)}) that validates and produces a {@link StoreConfig}.
 */
public final class StoreConfigKeys {
  /** Key prefix shared by all store settings. */
  public static final String PREFIX = "quiver.store.";

  /** Head memory in bytes after which the head is sealed into segment files. */
  public static final String HEAD_MAX_BYTES = PREFIX + "head.max.bytes";
  /** Default of {@link #HEAD_MAX_BYTES}: 256 MiB. */
  public static final long HEAD_MAX_BYTES_DEFAULT = 256L << 20;

  /** Memory in bytes all heads of a node may hold together; past it the larger heads are sealed. */
  public static final String HEADS_MAX_BYTES = PREFIX + "heads.max.bytes";

  /**
   * Default of {@link #HEADS_MAX_BYTES}: a quarter of the JVM's maximum heap, at least 64 MiB. Heads are the
   * largest heap consumer of a node under ingest; the rest is the series catalog, Raft log caches and request
   * buffers.
   */
  public static long headsMaxBytesDefault() {
    return Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4);
  }

  /** Width of a segment time window in milliseconds (epoch aligned). */
  public static final String SEGMENT_WINDOW_MS = PREFIX + "segment.window.ms";
  /** Default of {@link #SEGMENT_WINDOW_MS}: 2 hours. */
  public static final long SEGMENT_WINDOW_MS_DEFAULT = 2L * 3600 * 1000;

  /** Age in milliseconds after which whole segments are dropped; 0 keeps data forever. */
  public static final String RETENTION_MS = PREFIX + "retention.ms";
  /** Default of {@link #RETENTION_MS}: 15 days, as Prometheus. */
  public static final long RETENTION_MS_DEFAULT = 15L * 24 * 3600 * 1000;

  /** Target rows per Arrow batch of a scan or select. */
  public static final String BATCH_ROWS = PREFIX + "batch.rows";
  /** Default of {@link #BATCH_ROWS}: 65536. */
  public static final int BATCH_ROWS_DEFAULT = 1 << 16;

  /** Series chunks per record batch inside a segment file (unit of decompression on read). */
  public static final String CHUNKS_PER_BLOCK = PREFIX + "segment.chunks.per.block";
  /** Default of {@link #CHUNKS_PER_BLOCK}: 2048. */
  public static final int CHUNKS_PER_BLOCK_DEFAULT = 2048;

  /** Number of segments in one window that triggers compaction of that window. */
  public static final String COMPACTION_MIN_SEGMENTS = PREFIX + "compaction.min.segments";
  /** Default of {@link #COMPACTION_MIN_SEGMENTS}: 2. */
  public static final int COMPACTION_MIN_SEGMENTS_DEFAULT = 2;

  /** Pause in milliseconds between a node's maintenance rounds (retention and compaction of its stores). */
  public static final String MAINTENANCE_INTERVAL_MS = PREFIX + "maintenance.interval.ms";
  /** Default of {@link #MAINTENANCE_INTERVAL_MS}: 10 seconds. */
  public static final long MAINTENANCE_INTERVAL_MS_DEFAULT = 10_000;

  /** Whether files and directories are fsync'd; turning it off is only for throw-away test directories. */
  public static final String FSYNC = PREFIX + "fsync";
  /** Default of {@link #FSYNC}: true. */
  public static final boolean FSYNC_DEFAULT = true;

  private StoreConfigKeys() {}

  /**
   * Reads a configuration from string properties; absent keys take their defaults.
   *
   * @throws StoreException with {@link ErrorCode#INVALID_REQUEST} on an unparsable or out-of-range value
   */
  public static StoreConfig read(Map<String, String> properties) {
    return StoreConfig.builder()
        .headMaxBytes(get(properties, HEAD_MAX_BYTES, HEAD_MAX_BYTES_DEFAULT, Long::parseLong))
        .headsMaxBytes(get(properties, HEADS_MAX_BYTES, headsMaxBytesDefault(), Long::parseLong))
        .segmentWindowMs(get(properties, SEGMENT_WINDOW_MS, SEGMENT_WINDOW_MS_DEFAULT, Long::parseLong))
        .retentionMs(get(properties, RETENTION_MS, RETENTION_MS_DEFAULT, Long::parseLong))
        .batchRows(get(properties, BATCH_ROWS, BATCH_ROWS_DEFAULT, Integer::parseInt))
        .chunksPerBlock(get(properties, CHUNKS_PER_BLOCK, CHUNKS_PER_BLOCK_DEFAULT, Integer::parseInt))
        .compactionMinSegments(
            get(properties, COMPACTION_MIN_SEGMENTS, COMPACTION_MIN_SEGMENTS_DEFAULT, Integer::parseInt))
        .maintenanceIntervalMs(get(properties, MAINTENANCE_INTERVAL_MS, MAINTENANCE_INTERVAL_MS_DEFAULT,
            Long::parseLong))
        .fsync(get(properties, FSYNC, FSYNC_DEFAULT, StoreConfigKeys::parseBoolean))
        .build();
  }

  private static <T> T get(Map<String, String> p, String key, T def, Function<String, T> parse) {
    String raw = p.get(key);
    if (raw == null) {
      return def;
    }
    try {
      return parse.apply(raw.trim());
    } catch (RuntimeException e) {
      throw new StoreException(ErrorCode.INVALID_REQUEST, "unparsable store setting [key=" + key + ", value="
          + raw + "]", e);
    }
  }

  private static Boolean parseBoolean(String s) {
    if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(s);
    }
    throw new IllegalArgumentException("not a boolean: " + s);
  }
}
