package io.quiver.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebConfigKeysTest {
  @Test
  void shouldReadDocumentedDefaults() {
    WebConfig c = WebConfig.defaults();
    assertThat(c.maxBodyBytes()).isEqualTo(64L << 20);
    assertThat(c.maxDecodedBytes()).isEqualTo(64L << 20);
    assertThat(c.maxSeriesPerRequest()).isEqualTo(500_000);
    assertThat(c.maxSamplesPerRequest()).isEqualTo(5_000_000);
    assertThat(c.labelLimits()).isEqualTo(io.quiver.index.LabelLimits.DEFAULT);
    assertThat(c.inFlightBytes()).isEqualTo(256L << 20);
    assertThat(c.ingestTimeoutMs()).isEqualTo(30_000);
    assertThat(c.stringFields()).isEqualTo(WebConfig.StringFieldPolicy.REJECT);
    assertThat(c.influxDbLabel()).isEqualTo("db");
  }

  @Test
  void shouldRejectUnknownKeysAndBadValuesNamingTheKey() {
    assertThatThrownBy(() -> WebConfigKeys.read(Map.of("quiver.web.max-body-byte", "1")))
        .hasMessageContaining("quiver.web.max-body-byte");
    assertThatThrownBy(() -> WebConfigKeys.read(Map.of("quiver.web.max-body-bytes", "lots")))
        .hasMessageContaining("quiver.web.max-body-bytes");
    assertThatThrownBy(() -> WebConfigKeys.read(Map.of("quiver.web.max-body-bytes", "0")))
        .hasMessageContaining("maxBodyBytes");
    assertThatThrownBy(() -> WebConfigKeys.read(Map.of("quiver.web.influx-db-label", "bad-name")))
        .hasMessageContaining("influxDbLabel");
    assertThat(WebConfigKeys.read(Map.of("quiver.web.influx-string-fields", "DROP", "other.key", "x"))
        .stringFields()).isEqualTo(WebConfig.StringFieldPolicy.DROP);
  }

  @Test
  void shouldDocumentEveryKeyInTheDesignNote() throws Exception {
    Path doc = Path.of("../docs/design/web.md");
    String text = Files.readString(doc);
    for (WebConfigKeys.Key<?> key : WebConfigKeys.ALL) {
      assertThat(text).as(key.name()).contains("`" + key.name() + "`");
    }
  }
}
