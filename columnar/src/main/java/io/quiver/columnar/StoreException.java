package io.quiver.columnar;

/**
 * The one unchecked exception of the columnar module; carries an {@link ErrorCode}. Messages read
 * {@code what happened [key=value, ...]} and name the file for corruption errors.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  /** Creates an exception. */
  public StoreException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  /** Creates an exception with a cause. */
  public StoreException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The stable error code. */
  public ErrorCode code() {
    return code;
  }
}
