package io.quiver.flight;

/**
 * Stable error codes of the flight-server module. The module's single error mapper
 * ({@code io.quiver.flight.internal.FlightErrors}) turns each, and every code of the modules below, into a Flight
 * status code.
 */
public enum ErrorCode {
  /** The command JSON is malformed or has an invalid field (the message carries the position or field). */
  INVALID_COMMAND("flight.invalid_command", false),
  /** A DoPut stream has the wrong shape or an invalid row (the message carries the column or row). */
  INVALID_PUT("flight.invalid_put", false),
  /** A ticket does not decode, fails its checksum or belongs to another cluster. */
  UNKNOWN_TICKET("flight.unknown_ticket", false),
  /** The shard does not exist or is not hosted by this node (try another location). */
  UNKNOWN_SHARD("flight.unknown_shard", true),
  /** A request or stream exceeds a size limit (rows per put batch, stream memory). */
  TOO_LARGE("flight.too_large", false),
  /** Too many concurrent streams on this node; back off and retry. */
  OVERLOADED("flight.overloaded", true),
  /** A read barrier, a commit or a stalled client did not finish in time; the outcome of a write is unknown. */
  TIMEOUT("flight.timeout", true),
  /** The client cancelled the call. */
  CANCELLED("flight.cancelled", false),
  /** The server is closing. */
  CLOSED("flight.closed", true),
  /** A bug or broken invariant. */
  INTERNAL("flight.internal", false);

  private final String id;
  private final boolean retryable;

  ErrorCode(String id, boolean retryable) {
    this.id = id;
    this.retryable = retryable;
  }

  /** Stable identifier, safe to show to clients and to match on. */
  public String id() {
    return id;
  }

  /** Whether retrying the same operation may succeed. */
  public boolean retryable() {
    return retryable;
  }
}
