package io.quiver.flight.internal;

import io.quiver.flight.ErrorCode;
import io.quiver.flight.FlightBackend;
import io.quiver.flight.FlightException;
import io.quiver.flight.MetricSeries;
import io.quiver.flight.SeriesSummary;
import io.quiver.index.Labels;
import io.quiver.index.Selector;
import io.quiver.raft.ClusterView;
import io.quiver.raft.NodeAddress;
import io.quiver.raft.ShardReplicas;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.vector.ipc.message.IpcOption;

/**
 * Plans reads: asks every shard (in parallel) for a summary of the matching series, skips shards without matches,
 * and answers one endpoint per remaining shard with every replica's location (leader hint first) and a
 * self-contained ticket. The schema is the union of label names across endpoints, and every ticket carries that
 * label list so that every stream of the query has the same schema (null-filled where a shard lacks a label), which
 * is what {@code pyarrow.concat_tables} requires.
 */
final class QueryPlanner {
  private final FlightBackend backend;
  private final long timeoutMs;

  QueryPlanner(FlightBackend backend, long timeoutMs) {
    this.backend = backend;
    this.timeoutMs = timeoutMs;
  }

  /** The FlightInfo of {@code command}. */
  FlightInfo plan(QueryCommand command, FlightDescriptor descriptor) {
    ClusterView view = backend.view();
    List<SeriesSummary> summaries = summarize(view, command);
    SeriesSummary total = SeriesSummary.EMPTY;
    for (SeriesSummary s : summaries) {
      total = total.plus(s);
    }
    List<String> labels = new ArrayList<>(total.labelNames());
    List<FlightEndpoint> endpoints = new ArrayList<>();
    for (int shard = 0; shard < summaries.size(); shard++) {
      if (!summaries.get(shard).isEmpty()) {
        endpoints.add(endpoint(view, shard, command, labels, summaries.get(shard).seriesCount()));
      }
    }
    return FlightInfo.builder(ResultSchemas.schema(labels), descriptor, endpoints)
        .setAppMetadata(json("{\"series\":" + total.seriesCount() + ",\"shards\":" + endpoints.size() + "}"))
        .build();
  }

  /** One FlightInfo per metric name among the series matching {@code command}. */
  List<FlightInfo> listByMetric(QueryCommand command) {
    ClusterView view = backend.view();
    List<SeriesSummary> summaries = summarize(view, command);
    Map<String, List<Integer>> shardsByMetric = new TreeMap<>();
    Map<String, MetricSeries> metrics = new TreeMap<>();
    for (int shard = 0; shard < summaries.size(); shard++) {
      for (Map.Entry<String, MetricSeries> e : summaries.get(shard).metrics().entrySet()) {
        shardsByMetric.computeIfAbsent(e.getKey(), m -> new ArrayList<>()).add(shard);
        metrics.merge(e.getKey(), e.getValue(), MetricSeries::plus);
      }
    }
    List<FlightInfo> out = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> e : shardsByMetric.entrySet()) {
      String metric = e.getKey();
      if (metric.isEmpty()) {
        continue;
      }
      String selector = metricSelector(metric);
      QueryCommand perMetric = new QueryCommand(List.of(selector), List.of(Selector.parse(selector)),
          command.fromMs(), command.toMsExclusive(), command.read());
      SortedSet<String> names = metrics.get(metric).labelNames();
      List<String> labels = new ArrayList<>(names);
      List<FlightEndpoint> endpoints = new ArrayList<>();
      for (int shard : e.getValue()) {
        long n = summaries.get(shard).metrics().get(metric).seriesCount();
        endpoints.add(endpoint(view, shard, perMetric, labels, n));
      }
      FlightDescriptor d = FlightDescriptor.command(json(CommandJson.of(perMetric)));
      out.add(FlightInfo.builder(ResultSchemas.schema(labels), d, endpoints)
          .setAppMetadata(json("{\"metric\":" + CommandJson.quote(metric) + ",\"series\":"
              + metrics.get(metric).seriesCount() + "}"))
          .build());
    }
    return out;
  }

  private List<SeriesSummary> summarize(ClusterView view, QueryCommand command) {
    List<CompletableFuture<SeriesSummary>> futures = new ArrayList<>(view.shardCount());
    for (int shard = 0; shard < view.shardCount(); shard++) {
      futures.add(backend.summarize(shard, command.selectors(), command.read()));
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    List<SeriesSummary> out = new ArrayList<>(futures.size());
    try {
      for (int shard = 0; shard < futures.size(); shard++) {
        long left = Math.max(0, deadline - System.nanoTime());
        out.add(futures.get(shard).get(left, TimeUnit.NANOSECONDS));
      }
    } catch (TimeoutException e) {
      futures.forEach(f -> f.cancel(false));
      throw new FlightException(ErrorCode.TIMEOUT, "planning timed out [shard=" + out.size() + ", timeoutMs="
          + timeoutMs + "]", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlightException(ErrorCode.CLOSED, "interrupted while planning", e);
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(false));
      throw new java.util.concurrent.CompletionException(e.getCause());
    }
    return out;
  }

  private static FlightEndpoint endpoint(ClusterView view, int shard, QueryCommand command, List<String> labels,
      long seriesCount) {
    ReadTicket ticket = new ReadTicket(view.clusterId(), view.shardCount(), shard, command.match(), command.fromMs(),
        command.toMsExclusive(), command.read(), labels);
    return FlightEndpoint.builder(new Ticket(TicketCodec.encode(ticket)), locations(view, shard))
        .setAppMetadata(json("{\"shard\":" + shard + ",\"series\":" + seriesCount + "}"))
        .build();
  }

  /** Every replica's Flight location, leader hint first; nodes without a known address are left out. */
  static Location[] locations(ClusterView view, int shard) {
    ShardReplicas row = view.shard(shard);
    List<String> order = new ArrayList<>(row.replicas().size());
    if (row.leaderHint() != null) {
      order.add(row.leaderHint());
    }
    for (String node : row.replicas()) {
      if (!node.equals(row.leaderHint())) {
        order.add(node);
      }
    }
    List<Location> out = new ArrayList<>();
    for (String node : order) {
      NodeAddress a = view.nodes().get(node);
      if (a != null && a.flightPort() > 0) {
        out.add(Location.forGrpcInsecure(a.host(), a.flightPort()));
      }
    }
    return out.toArray(new Location[0]);
  }

  /** {@code {__name__="metric"}} with the value escaped. */
  static String metricSelector(String metric) {
    StringBuilder sb = new StringBuilder("{").append(Labels.METRIC_NAME).append("=\"");
    for (int i = 0; i < metric.length(); i++) {
      char c = metric.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
    return sb.append("\"}").toString();
  }

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
