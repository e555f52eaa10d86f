package io.quiver.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class LabelsTest {
  /** Name instances shared across label sets, as a decoder's string table hands them out; some invalid. */
  private static final String[] NAMES = {"__name__", "a", "b", "instance", "job", "1bad", "bad-name", "", "zz"};

  @Test
  void shouldSortDropEmptyValuesAndRejectBadNames() {
    Labels l = Labels.builder().add("job", "node").add("__name__", "up").add("empty", "").build();
    assertThat(l.toString()).isEqualTo("up{job=\"node\"}");
    assertThat(l.size()).isEqualTo(2);
    assertThatThrownBy(() -> Labels.of("a", "1", "a", "2")).hasMessageContaining("duplicate label name");
    assertThatThrownBy(() -> Labels.of("1a", "x")).hasMessageContaining("invalid label name");
    assertThat(Labels.of("a", "")).isSameAs(Labels.EMPTY);
  }

  @Test
  void shouldKeepTheHashCodeOfArraysHashCode() {
    // SeriesHashTable and every HashMap of label sets rely on equal sets hashing equally; the formula is the one
    // documented on hashCode().
    Labels l = Labels.of("__name__", "up", "job", "node", "instance", "h:9100");
    int expected = 31 * Arrays.hashCode(new String[] {"__name__", "instance", "job"})
        + Arrays.hashCode(new String[] {"up", "h:9100", "node"});
    assertThat(l.hashCode()).isEqualTo(expected);
  }

  @Test
  void shouldAnswerTheSameHash64FromTheMemoAsFromTheBytes() {
    // hash64 is memoised per instance; every call and every equal instance must give XXH64 of the canonical bytes.
    Labels l = Labels.of("__name__", "up", "job", "node", "instance", "h:9100");
    long expected = net.openhft.hashing.LongHashFunction.xx(0).hashBytes(l.canonicalBytes());
    assertThat(l.hash64()).isEqualTo(expected);
    assertThat(l.hash64()).isEqualTo(expected);
    assertThat(Labels.of("instance", "h:9100", "job", "node", "__name__", "up").hash64()).isEqualTo(expected);
  }

  @Test
  void shouldCompareByContentNotByInstance() {
    Labels a = Labels.of("__name__", "up", "job", "node");
    Labels b = Labels.of(new String("__name__"), new String("up"), new String("job"), new String("node"));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(Labels.of("__name__", "up", "job", "nodf"));
    assertThat(a).isNotEqualTo(Labels.of("__name__", "up", "jab", "node"));
    assertThat(a).isNotEqualTo(Labels.of("__name__", "up"));
  }

  /**
   * A builder reused series after series (it caches which name instances it already validated, per position) must
   * give exactly what a fresh builder gives: the same labels, or the same error.
   */
  @Property(tries = 300)
  void shouldBuildLikeAFreshBuilderWhenReused(@ForAll long seed) {
    Random random = new Random(seed);
    Labels.Builder reused = Labels.builder();
    for (int set = 0; set < 40; set++) {
      List<String[]> pairs = new ArrayList<>();
      int n = random.nextInt(6);
      for (int i = 0; i < n; i++) {
        pairs.add(new String[] {NAMES[random.nextInt(NAMES.length)], random.nextInt(8) == 0 ? "" : "v" + i});
      }
      if (random.nextBoolean()) {
        pairs.sort((x, y) -> x[0].compareTo(y[0])); // mostly sorted input, as decoders produce
      }
      Labels.Builder fresh = Labels.builder();
      reused.reset();
      for (String[] p : pairs) {
        fresh.add(p[0], p[1]);
        reused.add(p[0], p[1]);
      }
      assertThat(outcome(reused)).as("label set %s", pairs.stream().map(Arrays::toString).toList())
          .isEqualTo(outcome(fresh));
    }
  }

  private static Object outcome(Labels.Builder b) {
    try {
      return b.build();
    } catch (IndexException e) {
      return e.getMessage();
    }
  }
}
