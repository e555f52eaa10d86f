package io.quiver.flight;

import java.util.Objects;

/**
 * The consistency a read asks a shard replica for.
 *
 * @param consistency linearizable or follower read
 * @param maxStalenessMs for {@link ReadConsistency#FOLLOWER}: how far (milliseconds) the replica's applied state may
 *     lag the leader; ignored for linearizable reads
 */
public record ReadOptions(ReadConsistency consistency, long maxStalenessMs) {
  /** Linearizable reads. */
  public static final ReadOptions LINEARIZABLE = new ReadOptions(ReadConsistency.LINEARIZABLE, 0);

  /** Validates. */
  public ReadOptions {
    Objects.requireNonNull(consistency, "consistency");
    if (maxStalenessMs < 0) {
      throw new IllegalArgumentException("negative staleness bound [maxStalenessMs=" + maxStalenessMs + "]");
    }
  }
}
