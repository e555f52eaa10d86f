package io.quiver.flight.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Writes commands and small metadata documents as JSON (the inverse of {@link CommandParser}). */
final class CommandJson {
  private static final JsonFactory JSON = JsonFactory.builder().build();

  private CommandJson() {}

  /** The command JSON of {@code command}; open time bounds are left out. */
  static String of(QueryCommand command) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("match");
      for (String m : command.match()) {
        g.writeString(m);
      }
      g.writeEndArray();
      if (command.fromMs() != Long.MIN_VALUE) {
        g.writeNumberField("start", command.fromMs());
      }
      if (command.toMsExclusive() != Long.MAX_VALUE) {
        g.writeNumberField("end", command.toMsExclusive() - 1);
      }
      g.writeStringField("consistency", command.read().consistency().wireName());
      g.writeNumberField("max_staleness_ms", command.read().maxStalenessMs());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** {@code s} as a JSON string literal. */
  static String quote(String s) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeString(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
