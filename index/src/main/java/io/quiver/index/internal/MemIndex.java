package io.quiver.index.internal;

import io.quiver.index.Labels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory state of one shard's index: series (id to labels), the labels-to-id hash table, postings per label
 * name and value, and the symbol table the catalog file encodes with.
 *
 * <p>Single writer (the Raft apply thread, or the loader at open), lock-free readers. The writer creates a series
 * in this order: symbols and postings objects, then the id appended to every posting, then the labels appended to
 * {@link #series} (a volatile size write: the publication point), then the hash-table slot. A reader first reads
 * {@link #seriesCount()} and evaluates everything against that limit, so it sees each series either completely or
 * not at all.
 */
public final class MemIndex {
  private final PublishedList<Labels> series = new PublishedList<>();
  private final PublishedList<String> symbols = new PublishedList<>();
  private final ConcurrentHashMap<String, LabelPostings> byName = new ConcurrentHashMap<>();
  private final PublishedList<LabelPostings> names = new PublishedList<>();
  private final SeriesHashTable table = new SeriesHashTable();
  private final Labels.Builder builder = Labels.builder();

  /** Number of series visible to readers (volatile read); ids are {@code 0 .. seriesCount()-1}. */
  public int seriesCount() {
    return series.size();
  }

  /** Labels of {@code id}, which must be below a {@link #seriesCount()} the caller has read. */
  public Labels labels(int id) {
    return series.get(id);
  }

  /** The id of {@code labels}, or -1. Safe from any thread. */
  public int lookup(Labels labels) {
    int id = table.find(labels, series);
    return id < series.size() ? id : -1;
  }

  /** The id of {@code labels}, creating the series if new; single writer only. */
  public int getOrCreate(Labels labels) {
    int id = table.find(labels, series);
    if (id >= 0) {
      return id;
    }
    return create(labels, null);
  }

  /**
   * Appends a series with the next id; single writer only, {@code labels} must be absent. {@code symbolIds}, when
   * given (catalog loading), are the symbol ids the catalog stored for each name and value, in label order, so that
   * reloaded strings keep their ids.
   */
  int create(Labels labels, int[] symbolIds) {
    int id = series.size();
    int n = labels.size();
    Posting[] postings = new Posting[n];
    builder.reset();
    for (int i = 0; i < n; i++) {
      LabelPostings lp = byName.get(labels.name(i));
      if (lp == null) {
        int sym = symbolIds != null ? symbolIds[2 * i] : newSymbol(labels.name(i));
        lp = new LabelPostings(labels.name(i), sym);
        names.add(lp);
        byName.put(lp.name(), lp);
      }
      Posting p = lp.get(labels.value(i));
      if (p == null) {
        int sym = symbolIds != null ? symbolIds[2 * i + 1] : newSymbol(labels.value(i));
        p = lp.add(labels.value(i), sym);
      }
      postings[i] = p;
      builder.add(lp.name(), p.value());
    }
    Labels interned = builder.build();
    for (Posting p : postings) {
      p.add(id);
    }
    series.add(interned);
    table.insert(id, interned);
    return id;
  }

  private int newSymbol(String s) {
    int id = symbols.size();
    symbols.add(s);
    return id;
  }

  /** Registers a symbol read from the catalog; loader only, ids must arrive in order. */
  void loadSymbol(String s) {
    symbols.add(s);
  }

  /** Number of symbols (volatile read). */
  int symbolCount() {
    return symbols.size();
  }

  /** Symbol {@code id}, below a {@link #symbolCount()} the caller has read. */
  String symbol(int id) {
    return symbols.get(id);
  }

  /** The postings of label {@code name}, or {@code null}. */
  public LabelPostings postings(String name) {
    return byName.get(name);
  }

  /** Label names carried by at least one series below {@code seriesLimit}, sorted. */
  public List<String> labelNames(int seriesLimit) {
    int n = names.size();
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      LabelPostings lp = names.get(i);
      if (lp.hasSeriesBelow(seriesLimit)) {
        out.add(lp.name());
      }
    }
    Collections.sort(out);
    return out;
  }

  /** Values of label {@code name} carried by at least one series below {@code seriesLimit}, sorted. */
  public List<String> labelValues(String name, int seriesLimit) {
    LabelPostings lp = byName.get(name);
    return lp == null ? List.of() : lp.sortedValues(seriesLimit);
  }

  /** Symbol ids of a published series' names and values, alternating, in label order. */
  int[] symbolIds(Labels labels) {
    int[] out = new int[labels.size() * 2];
    for (int i = 0; i < labels.size(); i++) {
      LabelPostings lp = byName.get(labels.name(i));
      out[2 * i] = lp.symbol();
      out[2 * i + 1] = lp.get(labels.value(i)).symbol();
    }
    return out;
  }
}
