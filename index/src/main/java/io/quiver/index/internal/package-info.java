/**
 * Implementation of the index module; no other module imports this package.
 *
 * <p>{@link io.quiver.index.internal.MemIndex} holds one shard's series, postings and symbols with one writer
 * and lock-free readers (publication through volatile sizes of append-only structures);
 * {@link io.quiver.index.internal.SelectEvaluator} answers selectors Prometheus-style, with
 * {@link io.quiver.index.internal.FastRegex} shortcuts, packed dictionary scans and a per-label scan cache;
 * {@link io.quiver.index.internal.CatalogStore} (a MapDB file) and {@link io.quiver.index.internal.CatalogSnapshot}
 * persist the catalog in the checksummed batch format of {@code CatalogCodec}. Design notes: {@code docs/design/index.md}.
 */
package io.quiver.index.internal;
