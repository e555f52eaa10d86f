package io.quiver.index.internal;

import io.quiver.index.ErrorCode;
import io.quiver.index.IndexException;
import io.quiver.index.Labels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Self-contained, immutable catalog snapshot files for Raft snapshots and store checkpoints: the series in id
 * order, re-encoded with a fresh symbol table, in checksummed frames ({@link CatalogCodec}) closed by a footer that
 * states the counts, so a truncated copy is detected even when it ends on a frame boundary.
 */
public final class CatalogSnapshot {
  static final byte[] MAGIC = "QVCATSN1".getBytes(StandardCharsets.US_ASCII);
  private static final int SERIES_PER_FRAME = 16_384;

  private CatalogSnapshot() {}

  /** Writes the series published when the call starts to {@code file} (atomically replaced); returns the count. */
  public static int write(MemIndex mem, Path file) {
    int count = mem.seriesCount();
    ByteSink out = new ByteSink(1024 + count * 16);
    out.writeBytes(MAGIC, 0, MAGIC.length);
    Map<String, Integer> symbolIds = new HashMap<>();
    List<String> symbols = new ArrayList<>();
    ByteSink batch = new ByteSink(64 * 1024);
    for (int from = 0; from < count; from += SERIES_PER_FRAME) {
      int to = Math.min(count, from + SERIES_PER_FRAME);
      int firstSymbol = symbols.size();
      int[][] refs = new int[to - from][];
      for (int id = from; id < to; id++) {
        Labels labels = mem.labels(id);
        int[] r = new int[labels.size() * 2];
        for (int i = 0; i < labels.size(); i++) {
          r[2 * i] = intern(labels.name(i), symbolIds, symbols);
          r[2 * i + 1] = intern(labels.value(i), symbolIds, symbols);
        }
        refs[id - from] = r;
      }
      batch.reset();
      CatalogCodec.encodeBatch(localSource(refs, from, symbols), from, to, firstSymbol, symbols.size(), batch);
      CatalogCodec.appendBatchFrame(batch, out);
    }
    ByteSink footer = new ByteSink(16);
    footer.writeByte(CatalogCodec.KIND_FOOTER);
    footer.writeVarint(count);
    footer.writeVarint(symbols.size());
    CatalogCodec.appendFrame(footer, out);
    try {
      FileIo.writeAtomically(file, out.array(), out.size());
    } catch (IOException e) {
      throw new IndexException(ErrorCode.IO, "cannot write catalog snapshot [file=" + file + ", error=" + e + "]", e);
    }
    return count;
  }

  private static int intern(String s, Map<String, Integer> ids, List<String> symbols) {
    Integer id = ids.get(s);
    if (id == null) {
      id = symbols.size();
      ids.put(s, id);
      symbols.add(s);
    }
    return id;
  }

  private static CatalogCodec.SeriesSource localSource(int[][] refs, int from, List<String> symbols) {
    return new CatalogCodec.SeriesSource() {
      @Override
      public int[] symbolRefs(int seriesId) {
        return refs[seriesId - from];
      }

      @Override
      public String symbol(int symbolId) {
        return symbols.get(symbolId);
      }
    };
  }

  /**
   * Verifies the snapshot {@code file} completely and installs it as the catalog of index directory {@code dir}
   * (replacing any catalog there). The postings are rebuilt when the directory is opened.
   *
   * @throws IndexException {@link ErrorCode#CORRUPT_INDEX} naming the file if it is truncated or damaged
   */
  public static void restore(Path file, Path dir) {
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IndexException(ErrorCode.IO, "catalog snapshot not found [file=" + file + "]", e);
    } catch (IOException e) {
      throw new IndexException(ErrorCode.IO, "cannot read catalog snapshot [file=" + file + ", error=" + e + "]", e);
    }
    CatalogCodec.checkMagic(data, MAGIC, file.toString());
    Map<Integer, byte[]> frames = new LinkedHashMap<>();
    int series = verifyInto(data, file, frames);
    Path target = dir.resolve(CatalogStore.FILE_NAME);
    Path tmp = dir.resolve(CatalogStore.FILE_NAME + ".restore");
    try {
      Files.createDirectories(dir);
      CatalogStore.create(tmp, frames, series);
      CatalogStore.deleteStore(target);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      FileIo.fsyncDirectory(dir);
    } catch (IOException | RuntimeException e) {
      throw new IndexException(ErrorCode.IO, "cannot install catalog [dir=" + dir + ", error=" + e + "]", e);
    }
  }

  /** Checks every frame and the footer, collecting each batch frame by its first series id; returns the count. */
  private static int verifyInto(byte[] data, Path file, Map<Integer, byte[]> frames) {
    int pos = MAGIC.length;
    int[] bounds = new int[2];
    int[] counts = {0, 0};
    CatalogCodec.Sink counter = new CatalogCodec.Sink() {
      @Override
      public void symbol(int id, String value) {}

      @Override
      public void series(int id, int[] symbolRefs) throws ByteSource.Malformed {
        if (symbolRefs.length == 0) {
          throw new ByteSource.Malformed("series without labels [series=" + id + "]");
        }
      }
    };
    try {
      while (true) {
        CatalogCodec.FrameStatus status = CatalogCodec.readFrame(data, pos, bounds);
        if (status == CatalogCodec.FrameStatus.END) {
          throw CatalogStore.corrupt(file, "snapshot truncated, footer missing [bytes=" + data.length + "]", null);
        }
        if (status != CatalogCodec.FrameStatus.OK) {
          throw CatalogStore.corrupt(file, "snapshot frame " + status + " [offset=" + pos + "]", null);
        }
        if (CatalogCodec.kind(data, bounds[0]) == CatalogCodec.KIND_FOOTER) {
          ByteSource in = new ByteSource(data, bounds[0] + 1, bounds[1]);
          int series = in.readVarint();
          int symbols = in.readVarint();
          if (series != counts[0] || symbols != counts[1] || in.remaining() != 0 || bounds[1] != data.length) {
            throw CatalogStore.corrupt(file, "snapshot footer does not match its content [series=" + series
                + ", found=" + counts[0] + ", symbols=" + symbols + ", foundSymbols=" + counts[1] + "]", null);
          }
          return series;
        }
        int[] next = CatalogCodec.decodeBatch(data, bounds[0], bounds[1], counts[0], counts[1], counter);
        frames.put(counts[0], Arrays.copyOfRange(data, pos, bounds[1]));
        counts[0] = next[0];
        counts[1] = next[1];
        pos = bounds[1];
      }
    } catch (ByteSource.Malformed e) {
      throw CatalogStore.corrupt(file, e.getMessage() + " [offset=" + pos + "]", e);
    }
  }
}
