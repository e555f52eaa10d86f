package io.quiver.flight.internal;

import io.quiver.flight.ErrorCode;
import io.quiver.flight.FlightBackend;
import io.quiver.flight.FlightConfig;
import io.quiver.flight.FlightException;
import io.quiver.index.LabelLimits;
import io.quiver.index.Selector;
import io.quiver.raft.ClusterView;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import io.quiver.flight.ShardReader;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.Criteria;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.SchemaResult;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The Flight producer of a Quiver node: GetFlightInfo/GetSchema plan reads ({@link QueryPlanner}), DoGet redeems
 * tickets on a stream thread ({@link StreamPump}), ListFlights lists one flight per metric, DoPut ingests
 * ({@link PutHandler}). Every failure leaves through {@link FlightErrors}. Actions are not implemented.
 */
public final class QuiverFlightProducer extends NoOpFlightProducer {
  private static final String MATCH_ALL = "{__name__=~\".+\"}";

  private final BufferAllocator allocator;
  private final FlightBackend backend;
  private final FlightConfig config;
  private final ExecutorService streamExecutor;
  private final CommandParser parser;
  private final QueryPlanner planner;
  private final PutHandler puts;
  private final Semaphore putPermits;
  private volatile boolean closing;

  /**
   * A producer allocating stream memory from {@code allocator} and pumping DoGet streams on
   * {@code streamExecutor} (a bounded pool; a rejected stream fails with RESOURCE_EXHAUSTED).
   */
  public QuiverFlightProducer(BufferAllocator allocator, FlightBackend backend, FlightConfig config,
      ExecutorService streamExecutor, LabelLimits labelLimits, Clock clock) {
    this.allocator = allocator;
    this.backend = backend;
    this.config = config;
    this.streamExecutor = streamExecutor;
    this.parser = new CommandParser(clock, config.defaultMaxStalenessMs());
    this.planner = new QueryPlanner(backend, config.backendTimeoutMs());
    this.puts = new PutHandler(backend, config, new PutDecoder(labelLimits));
    this.putPermits = new Semaphore(config.putMaxConcurrent());
  }

  @Override
  public FlightInfo getFlightInfo(CallContext context, FlightDescriptor descriptor) {
    try {
      return planner.plan(command(descriptor), descriptor);
    } catch (Throwable t) {
      throw FlightErrors.toRuntime(t);
    }
  }

  @Override
  public SchemaResult getSchema(CallContext context, FlightDescriptor descriptor) {
    return new SchemaResult(getFlightInfo(context, descriptor).getSchema());
  }

  @Override
  public void listFlights(CallContext context, Criteria criteria, StreamListener<FlightInfo> listener) {
    try {
      byte[] expression = criteria.getExpression();
      QueryCommand command = expression == null || expression.length == 0
          ? parser.parse(("{\"match\":[" + CommandJson.quote(MATCH_ALL) + "]}").getBytes(StandardCharsets.UTF_8))
          : parser.parse(expression);
      for (FlightInfo info : planner.listByMetric(command)) {
        listener.onNext(info);
      }
      listener.onCompleted();
    } catch (Throwable t) {
      listener.onError(FlightErrors.toRuntime(t));
    }
  }

  @Override
  public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
    try {
      ReadTicket t = TicketCodec.decode(ticket.getBytes());
      ClusterView view = backend.view();
      if (!t.clusterId().equals(view.clusterId()) || t.shardCount() != view.shardCount()) {
        throw new FlightException(ErrorCode.UNKNOWN_TICKET, "ticket of another cluster [ticketCluster="
            + t.clusterId() + ", ticketShards=" + t.shardCount() + ", cluster=" + view.clusterId() + ", shards="
            + view.shardCount() + "]");
      }
      if (!backend.hostsShard(t.shard())) {
        throw new FlightException(ErrorCode.UNKNOWN_SHARD, "shard not hosted on this node [shard=" + t.shard()
            + "]");
      }
      List<Selector> selectors = new ArrayList<>(t.match().size());
      for (int i = 0; i < t.match().size(); i++) {
        selectors.add(CommandParser.parseSelector(t.match().get(i), i, -1));
      }
      // getStream may return before the stream is complete: Flight does not complete the listener itself.
      streamExecutor.execute(new StreamPump(t, selectors, listener, allocator, backend, config, () -> closing));
    } catch (RejectedExecutionException e) {
      listener.error(FlightErrors.toRuntime(new FlightException(ErrorCode.OVERLOADED,
          "too many concurrent streams [threads=" + config.streamThreads() + ", queue=" + config.streamQueue()
              + "]", e)));
    } catch (Throwable e) {
      listener.error(FlightErrors.toRuntime(e));
    }
  }

  @Override
  public Runnable acceptPut(CallContext context, FlightStream flightStream, StreamListener<PutResult> ackStream) {
    return () -> {
      if (!putPermits.tryAcquire()) {
        ackStream.onError(FlightErrors.toRuntime(new FlightException(ErrorCode.OVERLOADED,
            "too many concurrent puts [max=" + config.putMaxConcurrent() + "]")));
        return;
      }
      try {
        puts.accept(flightStream, ackStream, allocator);
      } finally {
        putPermits.release();
      }
    };
  }

  @Override
  public void doAction(CallContext context, Action action, StreamListener<Result> listener) {
    try {
      if (!SummaryCodec.ACTION.equals(action.getType())) {
        throw CallStatus.UNIMPLEMENTED.withDescription("unknown action [type=" + action.getType() + ", known="
            + SummaryCodec.ACTION + "]").toRuntimeException();
      }
      listener.onNext(new Result(summarizeLocal(SummaryCodec.decodeRequest(action.getBody()))));
      listener.onCompleted();
    } catch (Throwable t) {
      listener.onError(FlightErrors.toRuntime(t));
    }
  }

  @Override
  public void listActions(CallContext context, StreamListener<ActionType> listener) {
    listener.onNext(new ActionType(SummaryCodec.ACTION,
        "Series summary of one shard hosted by this node (used by other nodes to plan queries)"));
    listener.onCompleted();
  }

  /** Summarises a shard this node hosts, through the local read barrier (never asks another node). */
  private byte[] summarizeLocal(SummaryCodec.Request request) throws Exception {
    if (!backend.hostsShard(request.shard())) {
      throw new FlightException(ErrorCode.UNKNOWN_SHARD, "shard not hosted on this node [shard=" + request.shard()
          + "]");
    }
    List<Selector> selectors = new ArrayList<>();
    for (int i = 0; i < request.match().size(); i++) {
      selectors.add(CommandParser.parseSelector(request.match().get(i), i, -1));
    }
    try {
      ShardReader reader = backend.readBarrier(request.shard(), request.read())
          .get(config.backendTimeoutMs(), TimeUnit.MILLISECONDS);
      return SummaryCodec.encodeSummary(reader.summarize(selectors));
    } catch (TimeoutException e) {
      throw new FlightException(ErrorCode.TIMEOUT, "read barrier timed out [shard=" + request.shard() + "]", e);
    }
  }

  /** Makes running streams fail with UNAVAILABLE at their next batch; new streams are refused by the executor. */
  public void beginClose() {
    closing = true;
  }

  private QueryCommand command(FlightDescriptor descriptor) {
    if (descriptor.isCommand()) {
      return parser.parse(descriptor.getCommand());
    }
    List<String> path = descriptor.getPath();
    if (path.size() != 1) {
      throw new FlightException(ErrorCode.INVALID_COMMAND, "path descriptors name one metric [path=" + path + "]");
    }
    String json = "{\"match\":[" + CommandJson.quote(QueryPlanner.metricSelector(path.get(0))) + "]}";
    return parser.parse(json.getBytes(StandardCharsets.UTF_8));
  }
}
