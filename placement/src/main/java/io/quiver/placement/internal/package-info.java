/**
 * Implementation of {@link io.quiver.placement}: the mutable working {@link io.quiver.placement.internal.Layout}
 * and one class per pass (repairs, replica balancing, leader balancing, move compaction). No other module imports
 * this package.
 */
package io.quiver.placement.internal;
