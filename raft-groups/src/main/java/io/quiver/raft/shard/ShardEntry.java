package io.quiver.raft.shard;

import io.quiver.columnar.WriteBatch;
import java.util.Objects;

/** A decoded shard log entry: a write batch, an epoch fence or a read barrier. Immutable values. */
public sealed interface ShardEntry permits ShardEntry.Write, ShardEntry.EpochFence, ShardEntry.ReadBarrier {
  /** The shard-map epoch this entry carries. */
  long epoch();

  /**
   * A batch of samples routed with shard-map epoch {@code epoch}.
   *
   * @param epoch the epoch of the shard's row in the router's view (ShardReplicas.epoch)
   * @param batch the samples, all of which hash to this shard
   */
  record Write(long epoch, WriteBatch batch) implements ShardEntry {
    /** Validates. */
    public Write {
      Objects.requireNonNull(batch, "batch");
      if (epoch < 0) {
        throw new IllegalArgumentException("negative epoch [epoch=" + epoch + "]");
      }
    }
  }

  /**
   * Raises the replica-side epoch floor: once applied, writes carrying a smaller epoch are rejected with
   * {@code STALE_EPOCH}. Appended by the control plane whenever the shard's replica set changes.
   *
   * @param epoch the new minimum epoch (fences never lower it)
   */
  record EpochFence(long epoch) implements ShardEntry {
    /** Validates. */
    public EpochFence {
      if (epoch < 0) {
        throw new IllegalArgumentException("negative epoch [epoch=" + epoch + "]");
      }
    }
  }

  /**
   * A no-op whose commit proves that the proposing leader still held a majority after the reads waiting on it began
   * (see {@code ShardStateMachine#linearizableBarrier}). Applies as nothing; carries no epoch.
   */
  enum ReadBarrier implements ShardEntry {
    /** The only read barrier: all are alike. */
    INSTANCE;

    @Override
    public long epoch() {
      return 0;
    }
  }
}
