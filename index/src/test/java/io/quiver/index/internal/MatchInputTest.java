package io.quiver.index.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quiver.index.ErrorCode;
import io.quiver.index.IndexException;
import io.quiver.index.Labels;
import io.quiver.index.Matcher;
import io.quiver.index.Selector;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Regex selectors that make java.util.regex backtrack exponentially are rejected, not evaluated for minutes. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MatchInputTest {
  /** Twelve nested ".*a" ways to split a run of a: java.util.regex tries them all (did not finish in 120 s). */
  private static final String CATASTROPHIC = "(.*a){12}b";
  /** Contains the required "b", so the regex runs, and every split of the run fails at "c". */
  private static final String RUN_OF_A = "a".repeat(40) + "cb";

  @Test
  void shouldRejectAnExponentialRegexOnEveryMatchPath() {
    FastRegex fast = FastRegex.compile(CATASTROPHIC);
    assertTooExpensive(() -> fast.matches(RUN_OF_A));
    assertTooExpensive(() -> fast.tester().test(RUN_OF_A));

    MemIndex mem = new MemIndex();
    mem.getOrCreate(Labels.of("a", RUN_OF_A));
    mem.getOrCreate(Labels.of("a", "ab"));
    SelectEvaluator eval = new SelectEvaluator(mem);
    assertTooExpensive(() -> eval.select(new Selector(List.of(new Matcher("a", Matcher.Type.REGEX, CATASTROPHIC)))));
  }

  @Test
  void shouldEvaluateOrdinaryRegexesOnLongValuesWithinTheBudget() {
    String value = "web-" + "x".repeat(10_000) + "-prod";
    FastRegex fast = FastRegex.compile("web-.*-(prod|staging)");
    assertThat(fast.matches(value)).isTrue();
    assertThat(fast.tester().test(value)).isTrue();
    assertThat(FastRegex.compile(CATASTROPHIC).matches("a".repeat(12) + "b")).isTrue(); // a matching value is cheap
  }

  private static void assertTooExpensive(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(IndexException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SELECTOR))
        .hasMessageContaining("regex too expensive")
        .hasMessageContaining(CATASTROPHIC);
  }
}
