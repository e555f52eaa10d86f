package io.quiver.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Parser round trips and error positions over generated selectors (jqwik prints the seed of every property). */
class SelectorPropertyTest {
  @Property(tries = 300)
  void shouldParseWhatToStringPrints(@ForAll("selectors") Selector selector) {
    assertThat(Selector.parse(selector.toString())).isEqualTo(selector);
  }

  @Property(tries = 300)
  void shouldReportAPositionInsideTheInputWhenCutShort(@ForAll("selectors") Selector selector) {
    String text = selector.toString();
    for (int cut = 1; cut < text.length(); cut += 3) {
      String prefix = text.substring(0, cut);
      try {
        Selector.parse(prefix);
      } catch (IndexException e) {
        String msg = e.getMessage();
        int at = msg.indexOf("[position=");
        if (at >= 0) {
          int pos = Integer.parseInt(msg.substring(at + 10, msg.indexOf(',', at)));
          assertThat(pos).as(msg).isBetween(0, prefix.length());
        } else {
          assertThat(msg).contains("at least one matcher");
        }
      }
    }
  }

  @Property(tries = 200)
  void shouldRejectAStrayCharacterAtItsPosition(@ForAll("selectors") Selector selector) {
    String text = selector.toString();
    String broken = text + "}";
    assertThatThrownBy(() -> Selector.parse(broken))
        .hasMessageContaining("[position=" + text.length() + ",");
  }

  @Provide
  Arbitrary<Selector> selectors() {
    Arbitrary<String> names = Arbitraries.of("__name__", "a", "job", "instance", "_x9");
    Arbitrary<String> values = Arbitraries.strings().withCharRange(' ', '~')
        .withChars('\n', '\t', 'é', '日', '\\', '"').ofMaxLength(8);
    Arbitrary<Matcher.Type> types = Arbitraries.of(Matcher.Type.EQUAL, Matcher.Type.NOT_EQUAL);
    Arbitrary<Matcher> literal = Combinators.combine(names, types, values).as(Matcher::new);
    Arbitrary<Matcher> regex = Combinators.combine(names, Arbitraries.of(Matcher.Type.REGEX, Matcher.Type.NOT_REGEX),
        Arbitraries.of("x.*", "a|b", ".+", "[0-9]+", "\"q\"", "a\\\\b", "(?i)x")).as(Matcher::new);
    Arbitrary<Matcher> any = Arbitraries.oneOf(literal, regex);
    return any.list().ofMinSize(1).ofMaxSize(4).map(list -> {
      List<Matcher> out = new ArrayList<>(list);
      out.add(0, Matcher.equal("__name__", "m"));
      return new Selector(out);
    });
  }
}
