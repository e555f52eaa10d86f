package io.quiver.flight.internal;

import io.quiver.columnar.WriteBatch;
import io.quiver.flight.ErrorCode;
import io.quiver.flight.FlightBackend;
import io.quiver.flight.FlightConfig;
import io.quiver.flight.FlightException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.arrow.flight.FlightProducer.StreamListener;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * DoPut: each record batch is validated completely, written through the backend (routed by shard) and
 * acknowledged with a {@code PutResult} whose metadata is {@code {"batch":i,"samples":n}} once every shard it
 * touched committed. A batch is atomic per shard; batches before a failing one stay committed (they were
 * acknowledged); a retried batch stores nothing twice.
 */
final class PutHandler {
  private final FlightBackend backend;
  private final FlightConfig config;
  private final PutDecoder decoder;

  PutHandler(FlightBackend backend, FlightConfig config, PutDecoder decoder) {
    this.backend = backend;
    this.config = config;
    this.decoder = decoder;
  }

  void accept(FlightStream stream, StreamListener<PutResult> ack, BufferAllocator allocator) {
    long batch = 0;
    try {
      VectorSchemaRoot root = stream.getRoot();
      while (stream.next()) {
        int rows = root.getRowCount();
        if (rows > config.putMaxBatchRows()) {
          throw new FlightException(ErrorCode.TOO_LARGE, "put batch too large [batch=" + batch + ", rows=" + rows
              + ", max=" + config.putMaxBatchRows() + "]");
        }
        WriteBatch writes = decoder.decode(root, stream.getDictionaryProvider(), batch);
        if (!writes.isEmpty()) {
          commit(writes, batch);
        }
        acknowledge(ack, allocator, "{\"batch\":" + batch + ",\"samples\":" + writes.sampleCount() + "}");
        batch++;
      }
      ack.onCompleted();
    } catch (Throwable t) {
      ack.onError(FlightErrors.toRuntime(t));
    }
  }

  private void commit(WriteBatch writes, long batch) throws InterruptedException, ExecutionException {
    try {
      backend.write(writes).get(config.backendTimeoutMs(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new FlightException(ErrorCode.TIMEOUT, "commit timed out, outcome unknown [batch=" + batch
          + ", timeoutMs=" + config.backendTimeoutMs() + "]", e);
    }
  }

  private static void acknowledge(StreamListener<PutResult> ack, BufferAllocator allocator, String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ArrowBuf buf = allocator.buffer(bytes.length);
    buf.writeBytes(bytes);
    // The PutResult owns buf from here and closes it; onNext copies it into the gRPC message.
    try (PutResult result = PutResult.metadata(buf)) {
      ack.onNext(result);
    }
  }
}
