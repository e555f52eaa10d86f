package io.quiver.columnar.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.columnar.StorageIo;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first {@code ipcLength} bytes of a segment are a standard compressed Arrow IPC file. */
class SegmentFileTest {
  @TempDir Path tmp;
  BufferAllocator allocator;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    allocator.close();
  }

  @Test
  void shouldWriteAnArrowIpcFileThatArrowsOwnReaderOpens() throws IOException {
    SegmentMeta meta;
    try (SegmentWriter w = new SegmentWriter(allocator, 3, 0, 7, 7)) {
      for (int s = 0; s < 10; s++) {
        long[] ts = {1000, 2000, 3005};
        long[] vs = {Double.doubleToRawLongBits(s), Double.doubleToRawLongBits(s + 0.5), 0x7ff0000000000002L};
        w.add(s * 3, ts, vs, 0, 3);
      }
      meta = w.finish(tmp, StorageIo.DEFAULT, false);
    }
    assertThat(meta.sampleCount()).isEqualTo(30);
    byte[] file = Files.readAllBytes(tmp.resolve(meta.fileName()));
    long ipcLength = java.nio.ByteBuffer.wrap(file, file.length - SegmentFormat.TAIL_BYTES + 4, 8)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    byte[] ipc = java.util.Arrays.copyOf(file, (int) ipcLength);
    try (SeekableByteChannel ch = new ByteArrayReadableSeekableByteChannel(ipc);
        ArrowFileReader reader = new ArrowFileReader(ch, allocator, ZstdArrowCodec.FACTORY)) {
      assertThat(reader.getVectorSchemaRoot().getSchema()).isEqualTo(SegmentFormat.SCHEMA);
      assertThat(reader.getRecordBlocks()).hasSize(4);
      int rows = 0;
      while (reader.loadNextBatch()) {
        IntVector ids = (IntVector) reader.getVectorSchemaRoot().getVector(0);
        for (int i = 0; i < ids.getValueCount(); i++) {
          assertThat(ids.get(i)).isEqualTo(3 * (rows + i));
        }
        rows += reader.getVectorSchemaRoot().getRowCount();
      }
      assertThat(rows).isEqualTo(10);
    }
  }
}
