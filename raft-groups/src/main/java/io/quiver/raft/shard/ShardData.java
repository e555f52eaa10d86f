package io.quiver.raft.shard;

import io.quiver.columnar.WriteBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What the shard state machine needs from a shard's storage engine: the write/checkpoint half of
 * {@code io.quiver.columnar.ShardStore} (contracts.md). The real implementation adapts {@code ShardStore}; tests use
 * a small file-backed store. Reads go to the underlying store directly after a read barrier, see
 * {@link ShardStateMachine#readBarrier(Consistency, long)} and {@link #unwrap(Class)}.
 *
 * <p>Single writer: {@link #write} and {@link #checkpoint} are only called from the group's apply thread.
 */
public interface ShardData extends AutoCloseable {
  /**
   * Applies a batch atomically as the entry at {@code logIndex}; (series, timestamp) is stored once, last write in
   * log order wins, so applying the same entry twice is harmless.
   */
  void write(WriteBatch batch, long logIndex);

  /** The log index of the last {@link #write} (or of the restored checkpoint); 0 when empty. */
  long lastAppliedIndex();

  /** Everything at or below this index is durable on disk. */
  long lastDurableIndex();

  /**
   * Makes everything up to {@link #lastAppliedIndex()} durable and returns the immutable files that hold it.
   * Files must live under the directory the store was opened on and must not be modified afterwards.
   */
  Checkpoint checkpoint() throws IOException;

  /** The engine-specific object behind this adapter (e.g. the columnar {@code ShardStore}), or {@code null}. */
  default <T> T unwrap(Class<T> type) {
    return type.isInstance(this) ? type.cast(this) : null;
  }

  /** Closes files; tolerates a second call. */
  @Override
  void close();

  /**
   * A durable, immutable state of the store.
   *
   * @param index log index covered by the files
   * @param files absolute paths under the store directory
   */
  record Checkpoint(long index, List<Path> files) {
    /** Copies the list. */
    public Checkpoint {
      files = List.copyOf(files);
    }
  }

  /** Opens (or creates) the store in a directory; must accept a directory holding only checkpoint files. */
  @FunctionalInterface
  interface Opener {
    /** Opens the store in {@code dir} (created if missing). */
    ShardData open(Path dir) throws IOException;
  }
}
