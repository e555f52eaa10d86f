package io.quiver.index.internal;

import io.quiver.index.IndexException;
import io.quiver.index.Labels;

/** Applies decoded catalog batches to a {@link MemIndex}, checking that every series is valid and new. */
final class CatalogLoader implements CatalogCodec.Sink {
  private final MemIndex mem;
  private final Labels.Builder builder = Labels.builder();

  CatalogLoader(MemIndex mem) {
    this.mem = mem;
  }

  @Override
  public void symbol(int id, String value) {
    mem.loadSymbol(value);
  }

  @Override
  public void series(int id, int[] refs) throws ByteSource.Malformed {
    if (id != mem.seriesCount()) {
      throw new ByteSource.Malformed("series out of order [series=" + id + ", expected=" + mem.seriesCount() + "]");
    }
    builder.reset();
    for (int i = 0; i < refs.length; i += 2) {
      builder.add(mem.symbol(refs[i]), mem.symbol(refs[i + 1]));
    }
    Labels labels;
    try {
      labels = builder.build();
    } catch (IndexException e) {
      throw new ByteSource.Malformed("invalid labels [series=" + id + ", reason=" + e.getMessage() + "]");
    }
    if (labels.size() * 2 != refs.length || labels.size() == 0) {
      throw new ByteSource.Malformed("labels empty or not canonical [series=" + id + "]");
    }
    for (int i = 0; i < labels.size(); i++) {
      if (!labels.name(i).equals(mem.symbol(refs[2 * i]))) {
        throw new ByteSource.Malformed("labels not in name order [series=" + id + "]");
      }
    }
    if (mem.lookup(labels) >= 0) {
      throw new ByteSource.Malformed("duplicate series [series=" + id + ", labels=" + labels + "]");
    }
    mem.create(labels, refs);
  }
}
