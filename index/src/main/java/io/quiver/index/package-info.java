/**
 * The label index of one shard: label sets ({@link io.quiver.index.Labels}), Prometheus matchers and selectors,
 * the series catalog (labels to dense int series id, persisted) and postings (label pair to RoaringBitmap of
 * series ids). Implementation classes live in {@code io.quiver.index.internal}.
 */
package io.quiver.index;
