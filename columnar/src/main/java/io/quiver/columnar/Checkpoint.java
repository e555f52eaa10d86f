package io.quiver.columnar;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The immutable files that together hold a store's state up to a log index: segment files, the index snapshot and
 * the checkpoint manifest (last in the list). The files stay on disk, unchanged, until a newer checkpoint replaces
 * this one, so Raft can ship them to a lagging replica. Copy them into an empty directory (same file names) and
 * {@link ShardStore#open} recovers exactly this state.
 *
 * @param index the Raft log index of the last write contained
 * @param files absolute paths under the store directory; the last one is the checkpoint manifest
 */
public record Checkpoint(long index, List<Path> files) {
  /** Copies the file list; rejects a negative index. */
  public Checkpoint {
    Objects.requireNonNull(files, "files");
    files = List.copyOf(files);
    if (index < 0) {
      throw new IllegalArgumentException("negative checkpoint index [index=" + index + "]");
    }
  }

  /** The checkpoint manifest file (the last in {@link #files()}). */
  public Path manifest() {
    return files.get(files.size() - 1);
  }
}
