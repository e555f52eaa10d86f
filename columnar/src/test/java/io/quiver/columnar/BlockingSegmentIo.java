package io.quiver.columnar;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link StorageIo} that, once armed, stops the next segment write after the file is on disk under its temporary
 * name (before the rename): the test sees a seal or compaction in progress, acts, then releases it. Everything
 * else goes to {@link StorageIo#DEFAULT}.
 */
final class BlockingSegmentIo implements StorageIo {
  private final AtomicBoolean armed;
  private final CountDownLatch blocked = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  BlockingSegmentIo(boolean armed) {
    this.armed = new AtomicBoolean(armed);
  }

  /** Blocks the next segment write. */
  void arm() {
    armed.set(true);
  }

  /** Whether a segment write is held within 30 s. */
  boolean awaitBlocked() throws InterruptedException {
    return blocked.await(30, TimeUnit.SECONDS);
  }

  /** Lets the held write (and any later one) go on. */
  void release() {
    release.countDown();
  }

  @Override
  public void write(Path file, List<ByteBuffer> data) throws IOException {
    StorageIo.DEFAULT.write(file, data);
    if (file.getFileName().toString().startsWith("seg-") && armed.compareAndSet(true, false)) {
      blocked.countDown();
      try {
        if (!release.await(30, TimeUnit.SECONDS)) {
          throw new IOException("test never released the segment write [file=" + file + "]");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
  }
}
