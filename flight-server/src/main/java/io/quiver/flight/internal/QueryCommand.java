package io.quiver.flight.internal;

import io.quiver.flight.ReadOptions;
import io.quiver.index.Selector;
import java.util.List;
import java.util.Objects;

/**
 * A parsed {@code GetFlightInfo} command.
 *
 * @param match the selector strings as given (they travel in tickets and are parsed again on redeem)
 * @param selectors the parsed selectors, same order; a series matching any of them is selected
 * @param fromMs first timestamp included, milliseconds UTC
 * @param toMsExclusive first timestamp excluded, milliseconds UTC ({@code end + 1})
 * @param read the requested consistency
 */
public record QueryCommand(List<String> match, List<Selector> selectors, long fromMs, long toMsExclusive,
    ReadOptions read) {
  /** Copies and validates. */
  public QueryCommand {
    match = List.copyOf(match);
    selectors = List.copyOf(selectors);
    Objects.requireNonNull(read, "read");
    if (match.isEmpty() || match.size() != selectors.size()) {
      throw new IllegalArgumentException("match and selectors differ [match=" + match.size() + ", selectors="
          + selectors.size() + "]");
    }
    if (fromMs >= toMsExclusive) {
      throw new IllegalArgumentException("empty time range [fromMs=" + fromMs + ", toMsExclusive=" + toMsExclusive
          + "]");
    }
  }
}
