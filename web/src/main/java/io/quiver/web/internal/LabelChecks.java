package io.quiver.web.internal;

import io.quiver.index.IndexException;
import io.quiver.index.LabelLimits;
import io.quiver.index.Labels;

/** Non-throwing label validation shared by the decoders: returns {@code null} when fine, else a message. */
final class LabelChecks {
  private LabelChecks() {}

  /** Checks one name/value pair against the naming rules and length limits. */
  static String checkPair(String name, String value, LabelLimits limits) {
    if (name.isEmpty()) {
      return "empty label name";
    }
    if (!Labels.isValidName(name)) {
      return "invalid label name [name=" + abbreviate(name) + "]";
    }
    if (name.length() > limits.maxNameLength()) {
      return "label name too long [name=" + abbreviate(name) + ", length=" + name.length() + ", max="
          + limits.maxNameLength() + "]";
    }
    if (value.length() > limits.maxValueLength()) {
      return "label value too long [name=" + name + ", length=" + value.length() + ", max="
          + limits.maxValueLength() + "]";
    }
    return null;
  }

  /** Checks the label count. */
  static String checkCount(int count, LabelLimits limits) {
    return count > limits.maxLabels()
        ? "too many labels [count=" + count + ", max=" + limits.maxLabels() + "]"
        : null;
  }

  /**
   * Builds the label set, or returns {@code null} and reports the problem to {@code error[0]} (repeated names are
   * the only rule {@link #checkPair} cannot see).
   */
  static Labels build(Labels.Builder builder, String[] error) {
    try {
      Labels labels = builder.build();
      if (labels.size() == 0) {
        error[0] = "series without labels";
        return null;
      }
      return labels;
    } catch (IndexException e) {
      // Translate: the builder throws on a repeated name; this path ends the request.
      error[0] = e.getMessage();
      return null;
    }
  }

  /** Cuts long user strings in messages to 64 chars. */
  static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
