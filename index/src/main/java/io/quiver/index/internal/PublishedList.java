package io.quiver.index.internal;

/**
 * An append-only list with one writer and any number of lock-free readers.
 *
 * <p>Elements live in fixed-size chunks, so growth never copies elements. The writer stores the element, then
 * publishes the new size with a volatile write; a reader that reads {@link #size()} (a volatile read) sees every
 * element below that size, fully constructed. Reading an index at or above the size a reader has seen is a bug.
 *
 * @param <T> element type
 */
public final class PublishedList<T> {
  /** log2 of the chunk size; {@link LabelPostings} packs values by the same chunks. */
  static final int CHUNK_SHIFT = 10;
  static final int CHUNK_SIZE = 1 << CHUNK_SHIFT;
  private static final int CHUNK_MASK = CHUNK_SIZE - 1;

  private volatile Object[][] chunks = new Object[4][];
  private volatile int size;

  /** Appends {@code element}; single writer only. */
  public void add(T element) {
    int index = size;
    int chunk = index >>> CHUNK_SHIFT;
    Object[][] current = chunks;
    if (chunk == current.length) {
      Object[][] grown = java.util.Arrays.copyOf(current, current.length * 2);
      grown[chunk] = new Object[CHUNK_SIZE];
      chunks = grown; // volatile: publishes the new outer array before the size that needs it
      current = grown;
    } else if (current[chunk] == null) {
      current[chunk] = new Object[CHUNK_SIZE];
    }
    current[chunk][index & CHUNK_MASK] = element;
    size = index + 1; // volatile: publication point
  }

  /** The element at {@code index}, which must be below a size this thread has read. */
  @SuppressWarnings("unchecked")
  public T get(int index) {
    return (T) chunks[index >>> CHUNK_SHIFT][index & CHUNK_MASK];
  }

  /** The published size (volatile read). */
  public int size() {
    return size;
  }
}
