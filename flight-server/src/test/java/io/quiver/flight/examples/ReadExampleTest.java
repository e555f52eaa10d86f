package io.quiver.flight.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.WriteBatch;
import io.quiver.flight.LocalFlightBackend;
import io.quiver.flight.QuiverFlightServer;
import io.quiver.flight.TestShards;
import io.quiver.index.Labels;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadExampleTest {
  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void tearDown() {
    allocator.close();
  }

  @Test
  void shouldCountSamplesPerSeriesWhenReadingAllShards() throws Exception {
    LocalFlightBackend backend = LocalFlightBackend.of("example", TestShards.memory(4, 10));
    backend.write(new WriteBatch(List.of(
        new SeriesSamples(Labels.of("__name__", "up", "job", "a"), new long[] {1, 2, 3}, new long[] {0, 0, 0}),
        new SeriesSamples(Labels.of("__name__", "up", "job", "b"), new long[] {1}, new long[] {0}),
        new SeriesSamples(Labels.of("__name__", "temp"), new long[] {5, 6}, new long[] {0, 0})))).join();
    try (QuiverFlightServer server = QuiverFlightServer.start(allocator, "127.0.0.1", 0, backend)) {
      Map<String, Long> counts = ReadExample.read(allocator, server.location().getUri(),
          "{\"match\":[\"up\",\"temp\"]}");

      assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of(
          "__name__=up,job=a", 3L, "__name__=up,job=b", 1L, "__name__=temp", 2L));
    }
  }
}
