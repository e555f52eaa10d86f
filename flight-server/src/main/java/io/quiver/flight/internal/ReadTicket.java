package io.quiver.flight.internal;

import io.quiver.flight.ReadOptions;
import java.util.List;
import java.util.Objects;

/**
 * Everything a replica needs to serve one endpoint, carried in the Flight ticket so that any replica can redeem it
 * without server-side state. Encoded by {@link TicketCodec}.
 *
 * @param clusterId the cluster that issued the ticket (a ticket of another cluster is unknown)
 * @param shardCount the cluster's shard count when the ticket was issued
 * @param shard the shard to read
 * @param match selector strings (a union)
 * @param fromMs first timestamp included
 * @param toMsExclusive first timestamp excluded
 * @param read consistency and staleness bound
 * @param labelColumns label columns every stream of the query carries (the GetFlightInfo schema), sorted
 */
public record ReadTicket(String clusterId, int shardCount, int shard, List<String> match, long fromMs,
    long toMsExclusive, ReadOptions read, List<String> labelColumns) {
  /** Copies and validates. */
  public ReadTicket {
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(read, "read");
    match = List.copyOf(match);
    labelColumns = List.copyOf(labelColumns);
    if (shardCount < 1 || shard < 0 || shard >= shardCount) {
      throw new IllegalArgumentException("shard out of range [shard=" + shard + ", shardCount=" + shardCount + "]");
    }
    if (match.isEmpty()) {
      throw new IllegalArgumentException("ticket without selectors");
    }
    if (fromMs >= toMsExclusive) {
      throw new IllegalArgumentException("empty time range [fromMs=" + fromMs + ", toMsExclusive=" + toMsExclusive
          + "]");
    }
  }
}
