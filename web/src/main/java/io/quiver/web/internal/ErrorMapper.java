package io.quiver.web.internal;

import io.quiver.columnar.StoreException;
import io.quiver.index.IndexException;
import io.quiver.raft.RaftException;
import io.quiver.web.ErrorCode;
import io.quiver.web.WebException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one place that turns failures into HTTP answers. Each module's codes are mapped by a switch with no
 * {@code default}, so a new code does not compile until someone decides its status.
 *
 * <p>Overload, missing quorum and timeouts are all 503 with {@code Retry-After}, never 429: Prometheus drops a batch
 * answered 429 unless its operator opted in, but retries 5xx forever; a timeout's outcome is unknown and the retry
 * is idempotent.
 */
public final class ErrorMapper {
  private ErrorMapper() {}

  /** An HTTP error answer: status, stable code id and message. */
  public record HttpError(int status, String code, String message) {
    /** Whether the answer carries {@code Retry-After}. */
    public boolean retryAfter() {
      return status == 503;
    }
  }

  /** Maps any failure; unknown exception types are bugs (500). */
  public static HttpError map(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof WebException w) {
      return new HttpError(status(w.code()), w.code().id(), w.getMessage());
    }
    if (t instanceof RaftException r) {
      return new HttpError(status(r.code()), r.code().id(), r.getMessage());
    }
    if (t instanceof StoreException c) {
      return new HttpError(status(c.code()), c.code().id(), c.getMessage());
    }
    if (t instanceof IndexException i) {
      return new HttpError(status(i.code()), i.code().id(), i.getMessage());
    }
    if (t instanceof java.util.concurrent.TimeoutException) {
      return new HttpError(status(ErrorCode.TIMEOUT), ErrorCode.TIMEOUT.id(),
          "deadline passed; the outcome is unknown, retry [reason=" + t.getMessage() + "]");
    }
    return new HttpError(500, ErrorCode.INTERNAL.id(), "internal error [type=" + t.getClass().getSimpleName()
        + ", message=" + t.getMessage() + "]");
  }

  /** Maps a bare status that Vert.x produced itself (body limit 413, no route 404, wrong method 405). */
  public static HttpError fromStatus(int status) {
    ErrorCode code = switch (status) {
      case 400 -> ErrorCode.BAD_REQUEST;
      case 404 -> ErrorCode.NOT_FOUND;
      case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
      case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
      case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
      case 503 -> ErrorCode.UNAVAILABLE;
      default -> status >= 400 && status < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL;
    };
    String message = switch (code) {
      case NOT_FOUND -> "no such route";
      case METHOD_NOT_ALLOWED -> "method not allowed on this route";
      case PAYLOAD_TOO_LARGE -> "request body too large";
      default -> "request failed [status=" + status + "]";
    };
    return new HttpError(status(code), code.id(), message);
  }

  /** HTTP status of a web code. */
  static int status(ErrorCode code) {
    return switch (code) {
      case BAD_REQUEST -> 400;
      case UNSUPPORTED_MEDIA_TYPE -> 415;
      case PAYLOAD_TOO_LARGE -> 413;
      case QUERY_TOO_LARGE -> 422;
      case NOT_FOUND -> 404;
      case METHOD_NOT_ALLOWED -> 405;
      case OVERLOADED, UNAVAILABLE, TIMEOUT -> 503;
      case NOT_IMPLEMENTED -> 501;
      case INTERNAL -> 500;
    };
  }

  /** HTTP status of a raft-groups code. */
  static int status(io.quiver.raft.ErrorCode code) {
    return switch (code) {
      case INVALID_REQUEST -> 400;
      case BATCH_TOO_LARGE -> 413;
      case STALE_EPOCH, NOT_LEADER, GROUP_NOT_FOUND, UNAVAILABLE, OVERLOADED, STALE_READ, TIMEOUT, CLOSED, IO -> 503;
      case MALFORMED_ENTRY, APPLY_FAILED, INTERNAL -> 500;
      case NODE_NOT_FOUND, SHARD_NOT_FOUND, MOVE_NOT_FOUND -> 404;
      case NODE_EXISTS, CONFLICT, ALREADY_BOOTSTRAPPED -> 409;
      case NOT_BOOTSTRAPPED -> 503;
    };
  }

  /** HTTP status of a columnar (storage) code. */
  static int status(io.quiver.columnar.ErrorCode code) {
    return switch (code) {
      case INVALID_REQUEST -> 400;
      case HEAD_FULL, IO, CLOSED -> 503;
      case CORRUPT_SEGMENT, CORRUPT_MANIFEST -> 500;
    };
  }

  /** HTTP status of an index code. */
  static int status(io.quiver.index.ErrorCode code) {
    return switch (code) {
      case INVALID_LABELS, INVALID_SELECTOR -> 400;
      case IO -> 503;
      case CORRUPT_INDEX -> 500;
    };
  }

  private static Throwable unwrap(Throwable t) {
    Throwable cur = t;
    while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null) {
      cur = cur.getCause();
    }
    return cur;
  }
}
