package io.quiver.raft.shard;

/** Read consistency levels offered by {@link ShardStateMachine#readBarrier(Consistency, long)}. */
public enum Consistency {
  /** Linearizable: Raft ReadIndex (leadership confirmed by a heartbeat round), served by any replica. */
  LINEARIZABLE,
  /**
   * The replica reflects every write committed before {@code now - maxStalenessMs}: served locally if a ReadIndex
   * round started within the bound has completed on this replica, otherwise one ReadIndex round is run first.
   */
  BOUNDED_STALENESS,
  /** Whatever this replica has applied; no guarantee (admin/debug only). */
  LOCAL
}
