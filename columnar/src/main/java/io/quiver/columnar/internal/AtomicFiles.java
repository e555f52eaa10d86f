package io.quiver.columnar.internal;

import io.quiver.columnar.StorageIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/** Crash-safe file creation: write a temp file, fsync it, rename it into place, fsync the directory. */
final class AtomicFiles {
  static final String TMP_SUFFIX = ".tmp";

  private AtomicFiles() {}

  static void write(StorageIo io, Path dir, String name, List<ByteBuffer> data, boolean fsync) throws IOException {
    Path tmp = dir.resolve(name + TMP_SUFFIX);
    io.write(tmp, data);
    if (fsync) {
      io.fsync(tmp);
    }
    io.rename(tmp, dir.resolve(name));
    if (fsync) {
      io.fsyncDirectory(dir);
    }
  }
}
