package io.quiver.placement;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Invariants over random clusters, zones, joins, drains, failures, removals and pins: replicas distinct and on
 * placeable nodes, zone rule, balance (replicas and leaders, where zones are even), the plan replays to its target,
 * no step below RF-1 live replicas, a second plan right after the first is empty, and re-planning after any prefix
 * of a plan (an executor resuming after a crash) needs no more moves than were left. jqwik prints its seed and the
 * failing sample; replay with {@code @Property(seed = "...")} or run {@link Scenario} with the sample's values.
 */
class PlacementPropertyTest {

  @Property(tries = 150)
  void plansKeepTheInvariants(
      @ForAll long seed,
      @ForAll @IntRange(min = 3, max = 12) int nodes,
      @ForAll @IntRange(min = 1, max = 4) int zones,
      @ForAll @IntRange(min = 1, max = 3) int rf,
      @ForAll @IntRange(min = 1, max = 96) int shards) {
    new Scenario(seed, nodes, zones, rf, shards).run(4);
  }

  @Property(tries = 40)
  void plansKeepTheInvariantsWithFiveReplicas(
      @ForAll long seed,
      @ForAll @IntRange(min = 5, max = 14) int nodes,
      @ForAll @IntRange(min = 1, max = 6) int zones,
      @ForAll @IntRange(min = 1, max = 64) int shards) {
    new Scenario(seed, nodes, zones, 5, shards).run(4);
  }
}
