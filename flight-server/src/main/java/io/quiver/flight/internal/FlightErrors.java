package io.quiver.flight.internal;

import io.quiver.flight.FlightException;
import io.quiver.index.IndexException;
import io.quiver.raft.RaftException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.ErrorFlightMetadata;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.memory.OutOfMemoryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where errors become Flight status codes. Every module's {@code ErrorCode} is mapped by a switch
 * expression without {@code default}, so a new code does not compile until it is mapped here. The description
 * reads {@code <message> [code=<stable id>]} and the stable id also travels in the {@code quiver-error-code}
 * metadata key.
 */
public final class FlightErrors {
  /** Error metadata key carrying the stable error code id. */
  public static final String CODE_KEY = "quiver-error-code";

  private static final Logger LOG = LoggerFactory.getLogger(FlightErrors.class);

  private FlightErrors() {}

  /** The Flight status for {@code error}; unwraps completion and execution wrappers. */
  public static CallStatus toStatus(Throwable error) {
    Throwable t = unwrap(error);
    if (t instanceof FlightRuntimeException fre) {
      return fre.status();
    }
    if (t instanceof FlightException fe) {
      return status(flight(fe.code()), fe.code().id(), fe);
    }
    if (t instanceof IndexException ie) {
      return status(index(ie.code()), ie.code().id(), ie);
    }
    if (t instanceof io.quiver.columnar.StoreException se) {
      return status(columnar(se.code()), se.code().id(), se);
    }
    if (t instanceof RaftException re) {
      return status(raft(re.code()), re.code().id(), re);
    }
    io.quiver.raft.ErrorCode wireCode = RaftException.codeOf(t);
    if (wireCode != null) {
      return status(raft(wireCode), wireCode.id(), t);
    }
    if (t instanceof OutOfMemoryException) {
      return status(FlightStatusCode.RESOURCE_EXHAUSTED, io.quiver.flight.ErrorCode.TOO_LARGE.id(),
          new FlightException(io.quiver.flight.ErrorCode.TOO_LARGE, "stream memory limit reached [error="
              + t.getMessage() + "]", t));
    }
    if (t instanceof RejectedExecutionException) {
      return status(FlightStatusCode.RESOURCE_EXHAUSTED, io.quiver.flight.ErrorCode.OVERLOADED.id(),
          new FlightException(io.quiver.flight.ErrorCode.OVERLOADED, "too many concurrent streams", t));
    }
    if (t instanceof CancellationException) {
      return status(FlightStatusCode.CANCELLED, io.quiver.flight.ErrorCode.CANCELLED.id(), t);
    }
    return status(FlightStatusCode.INTERNAL, io.quiver.flight.ErrorCode.INTERNAL.id(), t);
  }

  /** {@link #toStatus(Throwable)} as a throwable for Flight. */
  public static FlightRuntimeException toRuntime(Throwable error) {
    return toStatus(error).toRuntimeException();
  }

  static FlightStatusCode flight(io.quiver.flight.ErrorCode code) {
    return switch (code) {
      case INVALID_COMMAND, INVALID_PUT -> FlightStatusCode.INVALID_ARGUMENT;
      case UNKNOWN_TICKET, UNKNOWN_SHARD -> FlightStatusCode.NOT_FOUND;
      case TOO_LARGE, OVERLOADED -> FlightStatusCode.RESOURCE_EXHAUSTED;
      case TIMEOUT -> FlightStatusCode.TIMED_OUT;
      case CANCELLED -> FlightStatusCode.CANCELLED;
      case CLOSED -> FlightStatusCode.UNAVAILABLE;
      case INTERNAL -> FlightStatusCode.INTERNAL;
    };
  }

  static FlightStatusCode index(io.quiver.index.ErrorCode code) {
    return switch (code) {
      case INVALID_LABELS, INVALID_SELECTOR -> FlightStatusCode.INVALID_ARGUMENT;
      // A corrupt index on this replica: another replica may serve, so the client should move on.
      case CORRUPT_INDEX, IO -> FlightStatusCode.UNAVAILABLE;
    };
  }

  static FlightStatusCode columnar(io.quiver.columnar.ErrorCode code) {
    return switch (code) {
      case INVALID_REQUEST -> FlightStatusCode.INVALID_ARGUMENT;
      // Corruption is detected per replica and repaired from another one; the client tries the next location.
      case CORRUPT_SEGMENT, CORRUPT_MANIFEST, IO, CLOSED -> FlightStatusCode.UNAVAILABLE;
      case HEAD_FULL -> FlightStatusCode.RESOURCE_EXHAUSTED;
    };
  }

  static FlightStatusCode raft(io.quiver.raft.ErrorCode code) {
    return switch (code) {
      case INVALID_REQUEST -> FlightStatusCode.INVALID_ARGUMENT;
      case BATCH_TOO_LARGE, OVERLOADED -> FlightStatusCode.RESOURCE_EXHAUSTED;
      case STALE_EPOCH, NOT_LEADER, UNAVAILABLE, STALE_READ, CLOSED, IO -> FlightStatusCode.UNAVAILABLE;
      case GROUP_NOT_FOUND, SHARD_NOT_FOUND, NODE_NOT_FOUND, MOVE_NOT_FOUND -> FlightStatusCode.NOT_FOUND;
      case TIMEOUT -> FlightStatusCode.TIMED_OUT;
      case NOT_BOOTSTRAPPED -> FlightStatusCode.UNAVAILABLE;
      case NODE_EXISTS, ALREADY_BOOTSTRAPPED -> FlightStatusCode.ALREADY_EXISTS;
      case CONFLICT -> FlightStatusCode.INVALID_ARGUMENT;
      case MALFORMED_ENTRY, APPLY_FAILED, INTERNAL -> FlightStatusCode.INTERNAL;
    };
  }

  private static CallStatus status(FlightStatusCode code, String id, Throwable t) {
    if (code == FlightStatusCode.INTERNAL) {
      LOG.error("internal error [code={}, error={}]", id, t.toString(), t);
    } else {
      LOG.debug("request failed [status={}, code={}, error={}]", code, id, t.toString());
    }
    ErrorFlightMetadata metadata = new ErrorFlightMetadata();
    metadata.insert(CODE_KEY, id);
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return new CallStatus(code, t, message + " [code=" + id + "]", metadata);
  }

  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
