/**
 * Multi-Raft on Apache Ratis: one {@code RaftServer} per node hosting the metadata group (cluster membership,
 * node order, shard map, moves) and one group per shard replica the node holds; the shard state machine that
 * applies write batches into a {@code ShardStore}; the client-side router. Ratis types stay inside this module.
 */
package io.quiver.raft;
