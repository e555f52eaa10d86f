package io.quiver.columnar.internal;

import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.nio.ByteBuffer;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.AbstractCompressionCodec;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;

/**
 * Arrow IPC buffer compression {@code ZSTD} implemented with aircompressor (pure Java), so segment files are
 * standard compressed Arrow IPC files without zstd-jni on the class path. Framing (the 8-byte uncompressed length,
 * the {@code -1} "stored raw" marker) is Arrow's, from {@link AbstractCompressionCodec}.
 */
final class ZstdArrowCodec extends AbstractCompressionCodec {
  /** Factory handing out this codec for ZSTD and Arrow's no-op codec otherwise. */
  static final CompressionCodec.Factory FACTORY = new CompressionCodec.Factory() {
    @Override
    public CompressionCodec createCodec(CompressionUtil.CodecType codecType) {
      return switch (codecType) {
        case ZSTD -> new ZstdArrowCodec();
        case NO_COMPRESSION -> NoCompressionCodec.INSTANCE;
        default -> throw new IllegalArgumentException("unsupported Arrow codec [codec=" + codecType + "]");
      };
    }

    @Override
    public CompressionCodec createCodec(CompressionUtil.CodecType codecType, int compressionLevel) {
      return createCodec(codecType);
    }
  };

  private final ZstdCompressor compressor = new ZstdCompressor();
  private final ZstdDecompressor decompressor = new ZstdDecompressor();

  @Override
  protected ArrowBuf doCompress(BufferAllocator allocator, ArrowBuf uncompressed) {
    int length = Math.toIntExact(uncompressed.writerIndex());
    int max = compressor.maxCompressedLength(length);
    ArrowBuf out = allocator.buffer(CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH + max);
    ByteBuffer src = uncompressed.nioBuffer(0, length);
    ByteBuffer dst = out.nioBuffer(CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH, max);
    compressor.compress(src, dst);
    out.writerIndex(CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH + dst.position());
    return out;
  }

  @Override
  protected ArrowBuf doDecompress(BufferAllocator allocator, ArrowBuf compressed) {
    long expected = readUncompressedLength(compressed);
    int inLength = Math.toIntExact(compressed.writerIndex() - CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH);
    if (expected < 0 || expected > Integer.MAX_VALUE) {
      throw new IllegalStateException("bad uncompressed length [length=" + expected + "]");
    }
    ArrowBuf out = allocator.buffer(expected);
    try {
      ByteBuffer src = compressed.nioBuffer(CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH, inLength);
      ByteBuffer dst = out.nioBuffer(0, (int) expected);
      decompressor.decompress(src, dst);
      if (dst.position() != expected) {
        throw new IllegalStateException("decompressed length mismatch [expected=" + expected + ", actual="
            + dst.position() + "]");
      }
      out.writerIndex(expected);
      return out;
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }

  @Override
  public CompressionUtil.CodecType getCodecType() {
    return CompressionUtil.CodecType.ZSTD;
  }
}
