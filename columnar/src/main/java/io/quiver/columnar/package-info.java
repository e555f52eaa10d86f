/**
 * The columnar storage engine of one shard. {@link io.quiver.columnar.ShardStore} composes the series index
 * ({@code io.quiver.index.SeriesIndex}) with an in-memory head and immutable, checksummed segment files (Arrow IPC
 * with ZSTD buffer compression, one row per series chunk holding delta-encoded timestamps and decimal or XOR
 * encoded values). Writes come from one thread (the shard's Raft apply thread) as
 * {@link io.quiver.columnar.WriteBatch}es; reads ({@link io.quiver.columnar.ShardStore#select},
 * {@link io.quiver.columnar.ShardStore#scan}) stream Arrow batches ordered by series then time, deduplicated with
 * "last write in log order wins". {@link io.quiver.columnar.ShardStore#checkpoint} yields the immutable files a
 * Raft snapshot ships; {@link io.quiver.columnar.StoreMaintenanceAgent} compacts and applies retention in the
 * background. Errors are {@link io.quiver.columnar.StoreException}s carrying an
 * {@link io.quiver.columnar.ErrorCode}. Design notes: {@code docs/design/columnar.md}.
 */
package io.quiver.columnar;
