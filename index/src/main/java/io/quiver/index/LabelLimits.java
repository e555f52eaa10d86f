package io.quiver.index;

/**
 * Limits a label set must respect, enforced at ingestion. Defaults follow what production stores use
 * (VictoriaMetrics allows 30 labels, Prometheus places no limit; both cap lengths to keep indexes small).
 *
 * @param maxLabels maximum number of labels per series, {@code __name__} included
 * @param maxNameLength maximum length of a label name, in UTF-16 chars
 * @param maxValueLength maximum length of a label value, in UTF-16 chars
 */
public record LabelLimits(int maxLabels, int maxNameLength, int maxValueLength) {
  /** Default limits: 40 labels, names up to 256 chars, values up to 4096 chars. */
  public static final LabelLimits DEFAULT = new LabelLimits(40, 256, 4096);

  /** Validates that every limit is positive. */
  public LabelLimits {
    if (maxLabels < 1 || maxNameLength < 1 || maxValueLength < 1) {
      throw new IllegalArgumentException(
          "label limits must be positive [maxLabels=" + maxLabels + ", maxNameLength=" + maxNameLength
              + ", maxValueLength=" + maxValueLength + "]");
    }
  }

  /** Throws {@link IndexException} with {@link ErrorCode#INVALID_LABELS} if {@code labels} exceeds a limit. */
  public void check(Labels labels) {
    if (labels.size() > maxLabels) {
      throw invalid("too many labels [count=" + labels.size() + ", max=" + maxLabels + ", series=" + labels + "]");
    }
    for (int i = 0; i < labels.size(); i++) {
      if (labels.name(i).length() > maxNameLength) {
        throw invalid("label name too long [name=" + labels.name(i) + ", max=" + maxNameLength + "]");
      }
      if (labels.value(i).length() > maxValueLength) {
        throw invalid("label value too long [name=" + labels.name(i) + ", length=" + labels.value(i).length()
            + ", max=" + maxValueLength + "]");
      }
    }
  }

  private static IndexException invalid(String message) {
    return new IndexException(ErrorCode.INVALID_LABELS, message);
  }
}
