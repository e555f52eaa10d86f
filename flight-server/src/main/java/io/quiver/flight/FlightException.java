package io.quiver.flight;

import java.util.Objects;

/** The one unchecked exception of the flight-server module; carries an {@link ErrorCode}. */
public final class FlightException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  /** Creates an exception; the message reads {@code what happened [key=value, ...]}. */
  public FlightException(ErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** Creates an exception with a cause. */
  public FlightException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** The stable error code. */
  public ErrorCode code() {
    return code;
  }
}
