package io.quiver.web;

/** The one unchecked exception of the web module; carries an {@link ErrorCode}. */
public final class WebException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  /** Creates an exception; the message reads {@code what happened [key=value, ...]}. */
  public WebException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  /** Creates an exception with a cause. */
  public WebException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The stable error code. */
  public ErrorCode code() {
    return code;
  }
}
