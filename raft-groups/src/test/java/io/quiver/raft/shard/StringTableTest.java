package io.quiver.raft.shard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class StringTableTest {
  @Property(tries = 300)
  void shouldNumberDistinctStringsInOrderOfFirstUseLikeAMap(
      @ForAll @Size(max = 400) List<@StringLength(max = 3) String> strings, @ForAll @IntRange(max = 64) int expected) {
    StringTable table = new StringTable(expected);
    Map<String, Integer> reference = new HashMap<>();
    for (String s : strings) {
      // A fresh instance half the time: equal strings must share an id whether or not they are the same object.
      String probe = s.length() % 2 == 0 ? new String(s) : s;
      Integer known = reference.get(probe);
      int id = table.idOrAdd(probe);
      if (known == null) {
        assertThat(id).isEqualTo(-1);
        reference.put(probe, reference.size());
      } else {
        assertThat(id).isEqualTo(known);
      }
    }
    assertThat(table.size()).isEqualTo(reference.size());
  }

  @Test
  void shouldKeepIdsAcrossGrowthWithCollidingHashes() {
    // "Aa" and "BB" have equal String.hashCode; so do all 2^n concatenations of them.
    StringTable table = new StringTable(1);
    List<String> colliding = List.of("AaAaAa", "AaAaBB", "AaBBAa", "AaBBBB", "BBAaAa", "BBAaBB", "BBBBAa", "BBBBBB");
    for (String s : colliding) {
      assertThat(table.idOrAdd(s)).isEqualTo(-1);
    }
    for (int i = 0; i < 100; i++) {
      table.idOrAdd("s" + i);
    }
    for (int i = 0; i < colliding.size(); i++) {
      assertThat(table.idOrAdd(new String(colliding.get(i)))).isEqualTo(i);
    }
    assertThat(table.idOrAdd("s42")).isEqualTo(colliding.size() + 42);
  }
}
