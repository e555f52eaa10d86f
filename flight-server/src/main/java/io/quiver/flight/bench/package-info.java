/**
 * Load generators for the Flight read path: {@link io.quiver.flight.bench.ReadBench} reads everything a query
 * matches from every endpoint in parallel (as a pandas or Spark client would) and reports samples and bytes per
 * second; {@code bin/quiver bench read} runs it.
 */
package io.quiver.flight.bench;
