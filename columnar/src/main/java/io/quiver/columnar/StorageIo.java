package io.quiver.columnar;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Every file operation of the store goes through this interface so tests can inject disk faults and crash points
 * (throw from any call and reopen the directory). {@link #DEFAULT} is plain NIO.
 */
public interface StorageIo {
  /** Plain NIO. */
  StorageIo DEFAULT = new StorageIo() {};

  /** Creates or truncates {@code file} and writes {@code data} in order. */
  default void write(Path file, List<ByteBuffer> data) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      for (ByteBuffer b : data) {
        ByteBuffer d = b.duplicate();
        while (d.hasRemaining()) {
          ch.write(d);
        }
      }
    }
  }

  /** Flushes a file's content and metadata to stable storage. */
  default void fsync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /** Atomically renames {@code from} to {@code to}, replacing {@code to}. */
  default void rename(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Flushes a directory entry table (after create, rename or delete). */
  default void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** Deletes a file if it exists. */
  default void delete(Path file) throws IOException {
    Files.deleteIfExists(file);
  }

  /** Opens a file for positional reads. */
  default FileChannel openRead(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.READ);
  }
}
