package io.quiver.placement;

/**
 * Seeds for randomised tests: {@code -Dquiver.test.seed=N} replays a run; otherwise the given default (or a fresh
 * seed when the default is {@code null}). The seed is always printed so a failing run can be replayed.
 */
final class TestSeeds {
  private TestSeeds() {}

  static long seed(String test, Long defaultSeed) {
    Long fixed = Long.getLong("quiver.test.seed");
    long seed = fixed != null ? fixed : defaultSeed != null ? defaultSeed : System.nanoTime() ^ 0x5DEECE66DL;
    System.out.printf("[%s] seed=%d (replay with -Dquiver.test.seed=%d)%n", test, seed, seed);
    return seed;
  }
}
