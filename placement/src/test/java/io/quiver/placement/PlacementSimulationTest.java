package io.quiver.placement;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Deterministic simulation: many seeded cluster histories from one printed master seed (replay with
 * {@code -Dquiver.test.seed=N}); each scenario line is printed with its own seed and sizes.
 */
class PlacementSimulationTest {

  @Test
  void shouldKeepInvariantsOverSeededClusterHistories() {
    long master = TestSeeds.seed("PlacementSimulationTest", null);
    SplittableRandom random = new SplittableRandom(master);
    for (int i = 0; i < 60; i++) {
      long seed = random.nextLong();
      int nodes = 3 + random.nextInt(10);
      int zones = 1 + random.nextInt(4);
      int rf = 1 + random.nextInt(3);
      int shards = 1 + random.nextInt(128);
      String log;
      try {
        log = new Scenario(seed, nodes, zones, rf, shards).run(5);
      } catch (AssertionError e) {
        throw new AssertionError("scenario failed: new Scenario(" + seed + "L, " + nodes + ", " + zones + ", " + rf
            + ", " + shards + ").run(5)", e);
      }
      if (i < 8) {
        System.out.println("simulation: " + log);
      }
    }
  }
}
