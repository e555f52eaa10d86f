package io.quiver.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiver.columnar.StoreConfigKeys;
import io.quiver.flight.FlightConfigKeys;
import io.quiver.web.WebConfigKeys;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every configuration key of every module appears in docs/configuration.md. */
class ConfigurationDocTest {

  @Test
  void shouldDocumentEveryKeyWhenAModuleAddsOne() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
    List<String> keys = new ArrayList<>();
    for (Class<?> c : List.of(NodeConfigKeys.class, WebConfigKeys.class, StoreConfigKeys.class,
        FlightConfigKeys.class)) {
      keys.addAll(keysOf(c));
    }
    assertThat(keys).hasSizeGreaterThan(30);
    List<String> missing = keys.stream().filter(k -> !doc.contains("`" + k + "`")).toList();
    assertThat(missing).as("keys missing from docs/configuration.md").isEmpty();
    // Each row says what its key means, not a paste of Java source (once every store and Flight row was).
    List<String> pasted = doc.lines().filter(l -> l.startsWith("| `quiver."))
        .filter(l -> l.contains("public static") || l.contains("{@link") || l.length() > 400).toList();
    assertThat(pasted).as("rows of docs/configuration.md with Java source in them").isEmpty();
  }

  @Test
  void shouldLetFlagsOverrideFileAndEnvironment() throws IOException {
    Path file = Files.createTempFile("quiver", ".properties");
    try {
      Files.writeString(file, "quiver.node.id=from-file\nquiver.node.http-port=1000\nquiver.node.zone=file-zone\n");
      NodeConfig c = NodeConfig.load(file, java.util.Map.of("QUIVER_NODE_HTTP_PORT", "2000",
          "QUIVER_NODE_ZONE", "env-zone"), java.util.Map.of("quiver.node.zone", "flag-zone"));
      assertThat(c.address().nodeId()).isEqualTo("from-file");
      assertThat(c.address().httpPort()).isEqualTo(2000);
      assertThat(c.zone()).isEqualTo("flag-zone");
      assertThat(c.web().bindHost()).isEqualTo("127.0.0.1");
    } finally {
      Files.delete(file);
    }
  }

  /** Keys are either {@code Key} records (name()) or {@code String} constants starting with "quiver.". */
  private static List<String> keysOf(Class<?> c) throws ReflectiveOperationException {
    List<String> out = new ArrayList<>();
    for (Field f : c.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      f.setAccessible(true);
      Object v = f.get(null);
      if (v instanceof String s && s.startsWith("quiver.") && !s.endsWith(".")) {
        out.add(s);
      } else if (v != null && v.getClass().isRecord() && v.getClass().getSimpleName().equals("Key")) {
        Method name = v.getClass().getDeclaredMethod("name");
        name.setAccessible(true);
        out.add((String) name.invoke(v));
      }
    }
    return out;
  }
}
