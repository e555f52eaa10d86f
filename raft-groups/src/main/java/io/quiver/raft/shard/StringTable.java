package io.quiver.raft.shard;

/**
 * The per-body string table of {@link ShardLogCodec}'s encoder: each distinct string gets the next id, in order of
 * first use. Open addressing on {@link String#hashCode()} (cached in the string) with linear probing; a probe first
 * compares references, because the ingestion edge hands out one instance per repeated label name and value, so
 * most hits never compare characters. Single use, not thread-safe.
 */
final class StringTable {
  private String[] keys;
  private int[] ids;
  private int size;

  StringTable(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new String[capacity];
    ids = new int[capacity];
  }

  /** The id of {@code s} if it was added before, else adds it with the next id and returns {@code -1}. */
  int idOrAdd(String s) {
    int mask = keys.length - 1;
    int i = mix(s.hashCode()) & mask;
    for (String k; (k = keys[i]) != null; i = (i + 1) & mask) {
      if (k == s || k.equals(s)) {
        return ids[i];
      }
    }
    keys[i] = s;
    ids[i] = size++;
    if (2 * size > keys.length) {
      grow();
    }
    return -1;
  }

  int size() {
    return size;
  }

  private void grow() {
    String[] oldKeys = keys;
    int[] oldIds = ids;
    keys = new String[oldKeys.length * 2];
    ids = new int[oldKeys.length * 2];
    int mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      String k = oldKeys[j];
      if (k != null) {
        int i = mix(k.hashCode()) & mask;
        while (keys[i] != null) {
          i = (i + 1) & mask;
        }
        keys[i] = k;
        ids[i] = oldIds[j];
      }
    }
  }

  /** Spreads the high bits of a string hash (short strings differ mostly in low bits, long ones anywhere). */
  private static int mix(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
