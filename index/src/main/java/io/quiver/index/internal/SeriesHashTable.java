package io.quiver.index.internal;

import io.quiver.index.Labels;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Open-addressing hash table from labels to series id: one {@code long} per slot holding the 32-bit label hash
 * and {@code id + 1} (0 marks an empty slot), load factor at most 1/2, linear probing.
 *
 * <p>Single writer; readers may race with inserts. A reader may miss an entry being inserted (the series is then
 * not yet visible to it anyway) but never sees a torn one: a slot is one {@code long} write, a resized table is
 * published whole through a volatile field, and callers check the id against the published series count.
 */
final class SeriesHashTable {
  /** Opaque access makes every slot read and write atomic (JLS 17.7 does not promise it for plain longs). */
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

  private volatile long[] slots = new long[1024];
  private int used;

  int find(Labels labels, PublishedList<Labels> series) {
    int limit = series.size();
    int hash = mix(labels.hashCode());
    long[] s = slots;
    int mask = s.length - 1;
    for (int i = hash & mask; ; i = (i + 1) & mask) {
      long slot = (long) SLOT.getOpaque(s, i);
      if (slot == 0) {
        return -1;
      }
      if ((int) (slot >>> 32) == hash) {
        int id = (int) slot - 1;
        if (id < limit && series.get(id).equals(labels)) {
          return id;
        }
      }
    }
  }

  void insert(int id, Labels labels) {
    if ((used + 1) * 2 > slots.length) {
      resize();
    }
    put(slots, mix(labels.hashCode()), id);
    used++;
  }

  private static void put(long[] s, int hash, int id) {
    int mask = s.length - 1;
    int i = hash & mask;
    while (s[i] != 0) {
      i = (i + 1) & mask;
    }
    SLOT.setOpaque(s, i, ((long) hash << 32) | ((id + 1) & 0xFFFFFFFFL));
  }

  private void resize() {
    long[] old = slots;
    long[] grown = new long[old.length * 2];
    for (long slot : old) {
      if (slot != 0) {
        put(grown, (int) (slot >>> 32), (int) slot - 1);
      }
    }
    slots = grown;
  }

  /** Murmur3 finaliser: spreads {@link Labels#hashCode()} (a polynomial hash) over the low bits. */
  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
