package io.quiver.raft.meta;

import io.quiver.raft.ErrorCode;
import io.quiver.raft.RaftException;

/**
 * Outcome of one applied command. Expected rejections (unknown node, move conflict) are results, not exceptions,
 * so every replica applies the entry identically and the group carries on (notes §0.5).
 *
 * @param code {@code null} on success, else the error
 * @param value command-specific value (move id, join ordinal)
 * @param message human-readable detail
 */
public record MetaResult(ErrorCode code, long value, String message) {
  /** Success with a value. */
  public static MetaResult ok(long value) {
    return new MetaResult(null, value, "");
  }

  /** A rejection. */
  public static MetaResult error(ErrorCode code, String message) {
    return new MetaResult(code, -1, message);
  }

  /** Whether the command took effect. */
  public boolean ok() {
    return code == null;
  }

  /** The value, or throws the error as a {@link RaftException}. */
  public long valueOrThrow() {
    if (code != null) {
      throw new RaftException(code, message);
    }
    return value;
  }
}
