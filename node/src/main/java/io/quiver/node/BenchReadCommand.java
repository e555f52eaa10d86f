package io.quiver.node;

import io.quiver.flight.bench.ReadBench;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quiver bench read}: reads everything the selectors match over Arrow Flight, every endpoint in parallel,
 * and prints {@code read samples=<n> samples_per_s=<n> bytes_per_s=<n> first_batch_ms=<x>} last.
 */
@Command(
    name = "read",
    mixinStandardHelpOptions = true,
    description = "Read over Arrow Flight (all endpoints in parallel) and print one final summary line.")
final class BenchReadCommand implements Callable<Integer> {

  @Option(names = "--flight", required = true, description = "Flight location, e.g. grpc://127.0.0.1:19301.")
  URI flight;

  @Option(names = "--match", description = "Prometheus selector; repeat for a union (default: ${DEFAULT-VALUE}).",
      defaultValue = "{__name__=~\".+\"}")
  List<String> match;

  @Option(names = "--start", description = "Start: RFC 3339, epoch ms or now-1h (default: the beginning).")
  String start;

  @Option(names = "--end", description = "End, inclusive (default: the end of time).")
  String end;

  @Option(names = "--parallel", defaultValue = "4", description = "Endpoints read at once (default: ${DEFAULT-VALUE}).")
  int parallel;

  @Option(names = "--consistency", defaultValue = "linearizable",
      description = "linearizable or follower (default: ${DEFAULT-VALUE}).")
  String consistency;

  @Override
  public Integer call() throws Exception {
    ReadBench.Options options = new ReadBench.Options(flight, match, start, end, parallel, consistency);
    try (BufferAllocator allocator = new RootAllocator()) {
      ReadBench.Result result = ReadBench.run(allocator, options);
      System.out.println(result.phases());
      System.out.println(result.line());
    }
    return 0;
  }
}
