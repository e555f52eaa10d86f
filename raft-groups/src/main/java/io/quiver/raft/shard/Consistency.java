package io.quiver.raft.shard;

/** Read consistency levels offered by {@link ShardStateMachine#readBarrier(Consistency, long)}. */
public enum Consistency {
  /**
   * Linearizable: the replica waits until it has applied a read-barrier entry committed after the read began (Raft's
   * read through the log), served by any replica.
   */
  LINEARIZABLE,
  /**
   * The replica reflects every write committed before {@code now - maxStalenessMs}: served locally if a linearizable
   * barrier that began within the bound has completed on this replica, otherwise one barrier is run first.
   */
  BOUNDED_STALENESS,
  /** Whatever this replica has applied; no guarantee (admin/debug only). */
  LOCAL
}
