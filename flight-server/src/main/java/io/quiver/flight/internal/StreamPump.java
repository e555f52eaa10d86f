package io.quiver.flight.internal;

import io.quiver.flight.ErrorCode;
import io.quiver.flight.FlightBackend;
import io.quiver.flight.FlightConfig;
import io.quiver.flight.FlightException;
import io.quiver.flight.SelectCursor;
import io.quiver.flight.ShardReader;
import io.quiver.index.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.arrow.flight.BackpressureStrategy;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one DoGet on a stream thread: waits for the shard's read barrier, opens one cursor per selector on a
 * child allocator with the stream memory limit, sends schema and dictionaries, then one record batch at a time,
 * each only when the client's gRPC call is ready (Flight's {@code putNext} never blocks, so without this a slow
 * client would make the server buffer the whole result). A client that stops reading for the stall timeout gets
 * {@code TIMED_OUT}. Everything the stream allocated is closed on completion, error and client cancel.
 */
final class StreamPump implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamPump.class);
  private static final AtomicLong STREAM_IDS = new AtomicLong();
  private static final long WAIT_SLICE_MS = 1_000;

  private final ReadTicket ticket;
  private final List<Selector> selectors;
  private final ServerStreamListener listener;
  private final BufferAllocator parent;
  private final FlightBackend backend;
  private final FlightConfig config;
  private final BooleanSupplier closing;
  private final BackpressureStrategy backpressure = new BackpressureStrategy.CallbackBackpressureStrategy();

  StreamPump(ReadTicket ticket, List<Selector> selectors, ServerStreamListener listener, BufferAllocator parent,
      FlightBackend backend, FlightConfig config, BooleanSupplier closing) {
    this.ticket = ticket;
    this.selectors = selectors;
    this.listener = listener;
    this.parent = parent;
    this.backend = backend;
    this.config = config;
    this.closing = closing;
    // Registers onReady/onCancel handlers; must happen before the first message is sent.
    backpressure.register(listener);
  }

  @Override
  public void run() {
    long id = STREAM_IDS.incrementAndGet();
    String name = "flight-get-" + id + "-shard-" + ticket.shard();
    long startNanos = System.nanoTime();
    long batches = 0;
    long rows = 0;
    try (BufferAllocator allocator = parent.newChildAllocator(name, 0, config.streamMemoryLimitBytes())) {
      ShardReader reader = backend.readBarrier(ticket.shard(), ticket.read())
          .get(config.backendTimeoutMs(), TimeUnit.MILLISECONDS);
      List<SelectCursor> cursors = new ArrayList<>(selectors.size());
      try {
        for (Selector s : selectors) {
          if (listener.isCancelled()) {
            return;
          }
          cursors.add(reader.select(s, ticket.fromMs(), ticket.toMsExclusive(), allocator));
        }
        try (BatchSource source = BatchSource.open(cursors, ticket.labelColumns(), allocator,
            config.copyBatchRows())) {
          listener.start(source.root(), source.dictionaries());
          while (source.next()) {
            if (!awaitReady()) {
              LOG.debug("stream cancelled by client [stream={}, batches={}, rows={}]", name, batches, rows);
              return;
            }
            listener.putNext();
            batches++;
            rows += source.root().getRowCount();
          }
          listener.completed();
        }
      } finally {
        for (int i = cursors.size() - 1; i >= 0; i--) {
          cursors.get(i).close();
        }
      }
      LOG.debug("stream done [stream={}, batches={}, rows={}, ms={}]", name, batches, rows,
          (System.nanoTime() - startNanos) / 1_000_000);
    } catch (TimeoutException e) {
      fail(new FlightException(ErrorCode.TIMEOUT, "read barrier timed out [shard=" + ticket.shard() + ", timeoutMs="
          + config.backendTimeoutMs() + "]", e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(new FlightException(ErrorCode.CLOSED, "server closing [shard=" + ticket.shard() + "]", e));
    } catch (Throwable t) {
      fail(t);
    }
  }

  /** Waits until the call can take another message; {@code false} if the client cancelled. */
  private boolean awaitReady() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.stallTimeoutMs());
    while (true) {
      if (listener.isCancelled()) {
        return false;
      }
      if (closing.getAsBoolean()) {
        throw new FlightException(ErrorCode.CLOSED, "server closing [shard=" + ticket.shard() + "]");
      }
      if (listener.isReady()) {
        return true;
      }
      BackpressureStrategy.WaitResult r = backpressure.waitForListener(WAIT_SLICE_MS);
      switch (r) {
        case READY -> {
          return !listener.isCancelled();
        }
        case CANCELLED -> {
          return false;
        }
        case TIMEOUT, OTHER -> {
          if (System.nanoTime() > deadline) {
            throw new FlightException(ErrorCode.TIMEOUT, "client stopped reading [shard=" + ticket.shard()
                + ", stallTimeoutMs=" + config.stallTimeoutMs() + "]");
          }
        }
      }
    }
  }

  private void fail(Throwable t) {
    if (listener.isCancelled()) {
      LOG.debug("stream failed after client cancel [shard={}, error={}]", ticket.shard(), t.toString());
      return;
    }
    listener.error(FlightErrors.toRuntime(t));
  }
}
