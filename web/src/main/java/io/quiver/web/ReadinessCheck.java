package io.quiver.web;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Answers {@code GET /ready}: empty when the node can serve writes and reads, else the reason it cannot. */
@FunctionalInterface
public interface ReadinessCheck {
  /** Always ready. */
  ReadinessCheck ALWAYS = () -> CompletableFuture.completedFuture(Optional.empty());

  /** Empty if ready; otherwise a reason such as {@code shard without leader [shard=3]}. */
  CompletableFuture<Optional<String>> notReadyReason();
}
