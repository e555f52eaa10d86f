package io.quiver.columnar;

/**
 * A point-in-time summary of one shard store, for {@code /metrics} and the admin UI.
 *
 * @param seriesCount series known to the index
 * @param headSamples samples in the in-memory head (duplicates included until sealed)
 * @param headBytes bytes the head accounts for (array capacity, not just used slots)
 * @param segmentCount sealed segment files in the live set
 * @param segmentSamples samples in sealed segments (after deduplication within each segment)
 * @param segmentBytes bytes of the live segment files on disk
 * @param lastAppliedIndex log index of the last applied write
 * @param lastDurableIndex log index up to which everything is sealed and fsync'd
 */
public record StoreStats(
    long seriesCount,
    long headSamples,
    long headBytes,
    int segmentCount,
    long segmentSamples,
    long segmentBytes,
    long lastAppliedIndex,
    long lastDurableIndex) {}
