package io.quiver.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded generators of small label universes, so random matchers hit existing values often. */
final class RandomLabels {
  static final String[] NAMES = {"__name__", "a", "b", "instance", "job"};
  static final String[] VALUES = {
    "x", "y", "ab", "abc", "web-1", "web-12", "web-2", "db-1", "a.b", "a|b", "a\nb", "Web-1", "é", "日本", "",
    "x y", "q\"uote", "back\\slash", "aaa", "ba", "7f3", "pod-7f3a"
  };
  static final String[] REGEXES = {
    ".*", ".+", "", "x", "x|y", "(x|y)", "(?:ab|abc)", "ab|", "web-.*", "web-1.*", "web-1.+", ".*-1", ".*b.*",
    ".*b", "a.*c", "a.c", "[a-c]+", "web-[0-9]", "web-[0-9]+", "(?i)web-1", "a\\.b", "a\\|b", "a.b", "a\nb",
    "é|日本", ".*7f3.*", "pod-.*a", "ab*", "ab+c?", "(web|db)-1", "x|.*", "^x$", ".", "..", "q\"uote",
    "back\\\\slash", "b.*|x", ".*a|.*b", "[^x]*", "a{2,}", "a{1}b", "web-1.*|db.*",
    "web-[0-9]+-x", "(a|b)c.d", "x[ab]yz*", "w(e)b-1", "a.*b.*c", "[a-z]+-1", "(?i)AB.*", "a+b", ".*b+", "ab?c"
  };

  private final Random random;

  RandomLabels(long seed) {
    this.random = new Random(seed);
  }

  Random random() {
    return random;
  }

  Labels labels() {
    Labels.Builder b = Labels.builder();
    for (String name : NAMES) {
      if (random.nextInt(4) != 0) {
        b.add(name, value());
      }
    }
    Labels l = b.build();
    return l.size() == 0 ? Labels.of("a", "x") : l;
  }

  String value() {
    return random.nextInt(10) == 0 ? "v" + random.nextInt(50) : VALUES[random.nextInt(VALUES.length)];
  }

  Matcher matcher() {
    String name = NAMES[random.nextInt(NAMES.length)];
    if (random.nextInt(12) == 0) {
      name = "missing";
    }
    Matcher.Type type = Matcher.Type.values()[random.nextInt(4)];
    String value;
    if (type.regex()) {
      value = random.nextInt(5) == 0 ? java.util.regex.Pattern.quote(value()).replace("\\Q", "").replace("\\E", "")
          : REGEXES[random.nextInt(REGEXES.length)];
      if (random.nextInt(6) == 0) {
        value = value + "|" + REGEXES[random.nextInt(REGEXES.length)];
      }
    } else {
      value = value();
    }
    try {
      return new Matcher(name, type, value);
    } catch (IndexException e) {
      return Matcher.equal(name, value()); // an unlucky regex concatenation; keep the universe valid
    }
  }

  List<Matcher> matchers() {
    int n = 1 + random.nextInt(4);
    List<Matcher> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(matcher());
    }
    return out;
  }
}
