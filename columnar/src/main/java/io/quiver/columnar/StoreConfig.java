package io.quiver.columnar;

import java.time.Duration;

/**
 * Effective configuration of one shard store, validated once. Build it with {@link #builder()} or from properties
 * with {@link StoreConfigKeys#read(java.util.Map)}; every knob's key, default and meaning lives in
 * {@link StoreConfigKeys}.
 *
 * @param headMaxBytes head memory (bytes) after which {@link ShardStore#write} seals the head into segments
 * @param headsMaxBytes memory (bytes) the heads of all stores sharing one {@link HeadMemory} (a node's replicas) may
 *     hold together; past it the larger heads seal
 * @param segmentWindowMs width of a segment's time window in milliseconds; windows are aligned to the epoch
 * @param retentionMs segments whose window ends more than this many milliseconds before now are dropped; 0 keeps
 *     everything
 * @param batchRows target rows per Arrow batch returned by scans and selects
 * @param chunksPerBlock series chunks per Arrow record batch inside a segment file (the unit of decompression)
 * @param compactionMinSegments a window with at least this many segments is compacted into one
 * @param maintenanceIntervalMs pause between a node's maintenance rounds (retention and compaction of every store)
 * @param fsync whether files and directories are fsync'd (only tests on throw-away directories turn it off)
 */
public record StoreConfig(
    long headMaxBytes,
    long headsMaxBytes,
    long segmentWindowMs,
    long retentionMs,
    int batchRows,
    int chunksPerBlock,
    int compactionMinSegments,
    long maintenanceIntervalMs,
    boolean fsync) {

  /** Validates every field. */
  public StoreConfig {
    require(headMaxBytes >= 1 << 16, "headMaxBytes", headMaxBytes);
    require(headsMaxBytes >= HeadMemory.MIN_SEAL_BYTES, "headsMaxBytes", headsMaxBytes);
    require(segmentWindowMs >= 1000 && segmentWindowMs <= Duration.ofDays(31).toMillis(), "segmentWindowMs",
        segmentWindowMs);
    require(retentionMs >= 0, "retentionMs", retentionMs);
    require(batchRows >= 1 && batchRows <= 1 << 24, "batchRows", batchRows);
    require(chunksPerBlock >= 1 && chunksPerBlock <= 1 << 20, "chunksPerBlock", chunksPerBlock);
    require(compactionMinSegments >= 2, "compactionMinSegments", compactionMinSegments);
    require(maintenanceIntervalMs >= 1, "maintenanceIntervalMs", maintenanceIntervalMs);
  }

  /** The defaults of {@link StoreConfigKeys}. */
  public static StoreConfig defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.headMaxBytes = headMaxBytes;
    b.headsMaxBytes = headsMaxBytes;
    b.segmentWindowMs = segmentWindowMs;
    b.retentionMs = retentionMs;
    b.batchRows = batchRows;
    b.chunksPerBlock = chunksPerBlock;
    b.compactionMinSegments = compactionMinSegments;
    b.maintenanceIntervalMs = maintenanceIntervalMs;
    b.fsync = fsync;
    return b;
  }

  private static void require(boolean ok, String name, long value) {
    if (!ok) {
      throw new StoreException(ErrorCode.INVALID_REQUEST, "invalid store setting [" + name + "=" + value + "]");
    }
  }

  /** Mutable builder for {@link StoreConfig}. */
  public static final class Builder {
    private long headMaxBytes = StoreConfigKeys.HEAD_MAX_BYTES_DEFAULT;
    private long headsMaxBytes = StoreConfigKeys.headsMaxBytesDefault();
    private long segmentWindowMs = StoreConfigKeys.SEGMENT_WINDOW_MS_DEFAULT;
    private long retentionMs = StoreConfigKeys.RETENTION_MS_DEFAULT;
    private int batchRows = StoreConfigKeys.BATCH_ROWS_DEFAULT;
    private int chunksPerBlock = StoreConfigKeys.CHUNKS_PER_BLOCK_DEFAULT;
    private int compactionMinSegments = StoreConfigKeys.COMPACTION_MIN_SEGMENTS_DEFAULT;
    private long maintenanceIntervalMs = StoreConfigKeys.MAINTENANCE_INTERVAL_MS_DEFAULT;
    private boolean fsync = StoreConfigKeys.FSYNC_DEFAULT;

    private Builder() {}

    /** See {@link StoreConfig#headMaxBytes()}. */
    public Builder headMaxBytes(long v) {
      headMaxBytes = v;
      return this;
    }

    /** See {@link StoreConfig#headsMaxBytes()}. */
    public Builder headsMaxBytes(long v) {
      headsMaxBytes = v;
      return this;
    }

    /** See {@link StoreConfig#segmentWindowMs()}. */
    public Builder segmentWindowMs(long v) {
      segmentWindowMs = v;
      return this;
    }

    /** See {@link StoreConfig#retentionMs()}. */
    public Builder retentionMs(long v) {
      retentionMs = v;
      return this;
    }

    /** See {@link StoreConfig#batchRows()}. */
    public Builder batchRows(int v) {
      batchRows = v;
      return this;
    }

    /** See {@link StoreConfig#chunksPerBlock()}. */
    public Builder chunksPerBlock(int v) {
      chunksPerBlock = v;
      return this;
    }

    /** See {@link StoreConfig#compactionMinSegments()}. */
    public Builder compactionMinSegments(int v) {
      compactionMinSegments = v;
      return this;
    }

    /** See {@link StoreConfig#maintenanceIntervalMs()}. */
    public Builder maintenanceIntervalMs(long v) {
      maintenanceIntervalMs = v;
      return this;
    }

    /** See {@link StoreConfig#fsync()}. */
    public Builder fsync(boolean v) {
      fsync = v;
      return this;
    }

    /** Validates and builds. */
    public StoreConfig build() {
      return new StoreConfig(headMaxBytes, headsMaxBytes, segmentWindowMs, retentionMs, batchRows, chunksPerBlock,
          compactionMinSegments, maintenanceIntervalMs, fsync);
    }
  }
}
