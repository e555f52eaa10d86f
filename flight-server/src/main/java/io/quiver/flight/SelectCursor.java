package io.quiver.flight;

import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A streaming read of one selector on one shard replica, in the shape of {@code io.quiver.columnar.SelectResult}:
 * rows ordered by series then time, deduplicated; {@code timestamp} (timestamp[ms, UTC]), {@code value} (float64),
 * then one dictionary-encoded utf8 column per label name present, sorted by name. Every dictionary is complete
 * before the first batch (Flight sends dictionaries once, at stream start).
 *
 * <p>The cursor owns its vectors; {@link #root()} is reused and refilled by {@link #next()}. Single-threaded.
 */
public interface SelectCursor extends AutoCloseable {
  /** The schema of {@link #root()}. */
  Schema schema();

  /** The dictionaries of the label columns, all known before the first batch. */
  DictionaryProvider dictionaries();

  /** The reused root that {@link #next()} loads. */
  VectorSchemaRoot root();

  /** Loads the next batch into {@link #root()}; {@code false} at the end. */
  boolean next();

  /** Releases every buffer of the cursor. */
  @Override
  void close();
}
