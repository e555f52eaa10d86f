package io.quiver.raft;

import java.util.Objects;

/** The one unchecked exception of the raft-groups module; carries an {@link ErrorCode}. */
public final class RaftException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private static final String CODE_TOKEN = "[code=";

  private final ErrorCode code;

  /** Creates an exception; the message reads {@code what happened [key=value, ...]}. */
  public RaftException(ErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** Creates an exception with a cause. */
  public RaftException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** The stable error code. */
  public ErrorCode code() {
    return code;
  }

  /** Whether retrying may succeed (the code's flag). */
  public boolean retryable() {
    return code.retryable();
  }

  /**
   * The message with the code token {@code [code=<id>]} prepended; use it when the exception crosses Ratis (only
   * the message of a state-machine exception reaches the client), and {@link #codeInMessage(String)} to read it back.
   */
  public String wireMessage() {
    return CODE_TOKEN + code.id() + "] " + getMessage();
  }

  /** An exception whose message is {@link #wireMessage()}, for handing to Ratis. */
  public RaftException forWire() {
    return new RaftException(code, wireMessage(), this);
  }

  /**
   * The first code token found in {@code message} (as written by {@link #wireMessage()}), or {@code null}.
   * Robust against Ratis wrapping the message in its own text.
   */
  public static ErrorCode codeInMessage(String message) {
    if (message == null) {
      return null;
    }
    int start = message.indexOf(CODE_TOKEN);
    if (start < 0) {
      return null;
    }
    int end = message.indexOf(']', start);
    if (end < 0) {
      return null;
    }
    return ErrorCode.fromId(message.substring(start + CODE_TOKEN.length(), end));
  }

  /** The code carried by {@code t} or any of its causes (or in their messages), or {@code null}. */
  public static ErrorCode codeOf(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof RaftException re) {
        return re.code;
      }
      ErrorCode fromMessage = codeInMessage(c.getMessage());
      if (fromMessage != null) {
        return fromMessage;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }
}
