/**
 * Placement: where series and shard replicas live. Pure, deterministic functions with no I/O and no dependency on
 * the rest of Quiver; the metadata Raft group stores their inputs (nodes, shard map) and decides, this package only
 * proposes.
 *
 * <ul>
 *   <li><b>Series to shard.</b> {@link io.quiver.placement.PartitionKeys#hash64(byte[])} (XXH64, seed 0, over the
 *       canonical label bytes, pinned forever) then {@link io.quiver.placement.JumpHash#bucket(long, int)} via
 *       {@link io.quiver.placement.ShardFunction}.
 *   <li><b>Node order.</b> {@link io.quiver.placement.NodeOrder} maps jump-hash buckets to nodes by join ordinal;
 *       removed nodes stay as tombstones that are skipped deterministically, so nobody is renumbered.
 *   <li><b>Replica placement.</b> {@link io.quiver.placement.Placement#initial(int, int, java.util.List)}: RF
 *       distinct nodes per shard, the {@link io.quiver.placement.ZoneRule}, then a balancing pass for replica
 *       counts and leader hints.
 *   <li><b>Rebalancing.</b> {@link io.quiver.placement.Rebalancer} turns the current
 *       {@link io.quiver.placement.PlacementMap} and node states into ordered single-replica
 *       {@link io.quiver.placement.Move}s.
 * </ul>
 *
 * <p>Design notes: {@code docs/design/placement.md}.
 */
package io.quiver.placement;
