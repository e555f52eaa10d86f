package io.quiver.index;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import net.openhft.hashing.LongHashFunction;

/**
 * An immutable label set identifying one series, sorted by label name. {@code __name__} carries the metric name.
 *
 * <p>Rules (Prometheus): names match {@code [a-zA-Z_][a-zA-Z0-9_]*}, no name repeats, values are UTF-8. A label
 * with an empty value is the same as an absent label, so builders drop it. Size limits are not enforced here but
 * by {@link LabelLimits#check(Labels)} at the ingestion edge.
 *
 * <p>{@link #hash64()} is XXH64 (seed 0) over {@link #canonicalBytes()}, the same construction as Prometheus'
 * {@code labels.Hash}; it is pinned forever (golden vectors in the tests) because replicas and placement rely on it.
 */
public final class Labels implements Comparable<Labels> {
  /** The metric-name label. */
  public static final String METRIC_NAME = "__name__";

  /** The empty label set. */
  public static final Labels EMPTY = new Labels(new String[0], new String[0]);

  private static final byte SEPARATOR = (byte) 0xFF;
  /** Up to this many labels, {@link #get} first looks for the very name instance (cheap) before comparing. */
  private static final int IDENTITY_SCAN_MAX = 16;
  private static final LongHashFunction XXH64 = LongHashFunction.xx(0);
  /** Opaque access: a reference is one 64-bit word that is never seen torn, whichever thread wrote it. */
  private static final VarHandle SERIES_REF;
  /** Opaque access to the memoised {@link #hash64()}, for the same reason. */
  private static final VarHandle HASH64;

  static {
    try {
      SERIES_REF = MethodHandles.lookup().findVarHandle(Labels.class, "seriesRef", long.class);
      HASH64 = MethodHandles.lookup().findVarHandle(Labels.class, "hash64", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String[] names;
  private final String[] values;
  private int hashCode;
  /**
   * A lookup cache, not part of the value (ignored by {@link #equals} and {@link #hashCode}): the series id the last
   * {@link SeriesIndex} that resolved this instance assigned to it, tagged with that index's token, as
   * {@code token << 32 | id}; 0 when none. See {@link SeriesIndex#getOrCreate(Labels)}.
   */
  @SuppressWarnings("unused") // accessed through SERIES_REF
  private long seriesRef;
  /**
   * {@link #hash64()} once computed, else 0 (a label set whose hash is 0 recomputes it on every call). Label sets
   * are shared across requests by the ingestion edge's label cache, so placement hashes each series once.
   */
  @SuppressWarnings("unused") // accessed through HASH64
  private long hash64;

  private Labels(String[] names, String[] values) {
    this.names = names;
    this.values = values;
  }

  /**
   * Builds a label set from alternating names and values: {@code of("__name__", "up", "job", "node")}.
   *
   * @throws IndexException with {@link ErrorCode#INVALID_LABELS} on a bad name, a repeated name or an odd count
   */
  public static Labels of(String... nameValuePairs) {
    if (nameValuePairs.length % 2 != 0) {
      throw invalid("odd number of name/value strings [count=" + nameValuePairs.length + "]");
    }
    Builder b = builder();
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      b.add(nameValuePairs[i], nameValuePairs[i + 1]);
    }
    return b.build();
  }

  /** Builds a label set from a map of name to value. */
  public static Labels fromMap(Map<String, String> labels) {
    Builder b = builder();
    labels.forEach(b::add);
    return b.build();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Number of labels. */
  public int size() {
    return names.length;
  }

  /** Name of the i-th label in name order. */
  public String name(int i) {
    return names[i];
  }

  /** Value of the i-th label in name order. */
  public String value(int i) {
    return values[i];
  }

  /** The value of label {@code name}, or {@code null} if absent. */
  public String get(String name) {
    String[] n = names;
    if (n.length <= IDENTITY_SCAN_MAX) {
      for (int i = 0; i < n.length; i++) {
        if (n[i] == name) {
          return values[i]; // the index passes the name instances its label sets share
        }
      }
    }
    int i = Arrays.binarySearch(n, name);
    return i >= 0 ? values[i] : null;
  }

  /** The metric name ({@code __name__}), or {@code null}. */
  public String metricName() {
    return get(METRIC_NAME);
  }

  /** Canonical bytes: for each label in order, UTF-8 name, 0xFF, UTF-8 value, 0xFF. */
  public byte[] canonicalBytes() {
    byte[][] parts = new byte[names.length * 2][];
    int length = 0;
    for (int i = 0; i < names.length; i++) {
      parts[2 * i] = names[i].getBytes(StandardCharsets.UTF_8);
      parts[2 * i + 1] = values[i].getBytes(StandardCharsets.UTF_8);
      length += parts[2 * i].length + parts[2 * i + 1].length + 2;
    }
    byte[] out = new byte[length];
    int pos = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, pos, part.length);
      pos += part.length;
      out[pos++] = SEPARATOR;
    }
    return out;
  }

  /** Stable 64-bit hash: XXH64, seed 0, of {@link #canonicalBytes()}. Pinned forever. */
  public long hash64() {
    long h = (long) HASH64.getOpaque(this);
    if (h == 0) {
      h = XXH64.hashBytes(canonicalBytes());
      HASH64.setOpaque(this, h);
    }
    return h;
  }

  /** The cached {@code token << 32 | seriesId} of the last index that resolved this instance, or 0. */
  long seriesRef() {
    return (long) SERIES_REF.getOpaque(this);
  }

  /** Caches a series reference (see {@link #seriesRef()}); any thread, last writer wins. */
  void seriesRef(long ref) {
    SERIES_REF.setOpaque(this, ref);
  }

  /** The labels as an insertion-ordered (= name-ordered) unmodifiable map. */
  public Map<String, String> toMap() {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      map.put(names[i], values[i]);
    }
    return Collections.unmodifiableMap(map);
  }

  @Override
  public int compareTo(Labels other) {
    int n = Math.min(names.length, other.names.length);
    for (int i = 0; i < n; i++) {
      int c = names[i].compareTo(other.names[i]);
      if (c != 0) {
        return c;
      }
      c = values[i].compareTo(other.values[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(names.length, other.names.length);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Labels other) || names.length != other.names.length) {
      return false;
    }
    // Values first: they differ between series of one metric, where names rarely do. Typed loops call
    // String.equals directly (the series lookup runs this once per ingested sample).
    return sameStrings(values, other.values) && sameStrings(names, other.names);
  }

  private static boolean sameStrings(String[] a, String[] b) {
    for (int i = 0; i < a.length; i++) {
      String x = a[i];
      String y = b[i];
      if (x != y && !x.equals(y)) {
        return false;
      }
    }
    return true;
  }

  /** {@code 31 * Arrays.hashCode(names) + Arrays.hashCode(values)}, computed once. */
  @Override
  public int hashCode() {
    int h = hashCode;
    if (h == 0) {
      h = 31 * stringsHash(names) + stringsHash(values);
      hashCode = h;
    }
    return h;
  }

  private static int stringsHash(String[] a) {
    int h = 1;
    for (String x : a) {
      h = 31 * h + x.hashCode();
    }
    return h;
  }

  /**
   * {@code Arrays.copyOf(a, length)} for strings (truncated or padded with nulls), without the reflective array
   * creation that the generic {@code Arrays.copyOf(T[], int)} does under C1.
   */
  private static String[] copyOf(String[] a, int length) {
    String[] out = new String[length];
    System.arraycopy(a, 0, out, 0, Math.min(a.length, length));
    return out;
  }

  /** Prometheus notation: {@code up{job="node"}}, or {@code {a="b"}} without a metric name. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    String metric = metricName();
    if (metric != null) {
      sb.append(metric);
    }
    sb.append('{');
    boolean first = true;
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(METRIC_NAME)) {
        continue;
      }
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(names[i]).append("=\"");
      appendEscaped(sb, values[i]);
      sb.append('"');
    }
    return sb.append('}').toString();
  }

  private static void appendEscaped(StringBuilder sb, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
  }

  /** Whether {@code name} is a valid label name: {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
  public static boolean isValidName(CharSequence name) {
    int n = name.length();
    if (n == 0) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static IndexException invalid(String message) {
    return new IndexException(ErrorCode.INVALID_LABELS, message);
  }

  /** Accumulates labels in any order; {@link #build()} sorts, validates and drops empty values. */
  public static final class Builder {
    private String[] names = new String[8];
    private String[] values = new String[8];
    /** {@code checked[i]}: a name found valid at position i, after the name {@code checkedAfter[i]} (null at 0). */
    private String[] checked = new String[8];
    private String[] checkedAfter = new String[8];
    private int size;

    private Builder() {}

    /** Adds one label; an empty value means "absent" and is dropped at build time. */
    public Builder add(String name, String value) {
      if (name == null || value == null) {
        throw invalid("null label name or value [name=" + name + "]");
      }
      if (size == names.length) {
        names = copyOf(names, size * 2);
        values = copyOf(values, size * 2);
        checked = copyOf(checked, size * 2);
        checkedAfter = copyOf(checkedAfter, size * 2);
      }
      names[size] = name;
      values[size] = value;
      size++;
      return this;
    }

    /** Number of labels added so far (empty values included). */
    public int size() {
      return size;
    }

    /** Clears the builder for reuse. */
    public Builder reset() {
      size = 0;
      return this;
    }

    /**
     * Sorts, validates and builds.
     *
     * @throws IndexException with {@link ErrorCode#INVALID_LABELS} on an invalid or repeated name
     */
    public Labels build() {
      Labels fast = buildIfSorted();
      if (fast != null) {
        return fast;
      }
      Integer[] order = new Integer[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> names[a].compareTo(names[b]));
      int kept = 0;
      String[] outNames = new String[size];
      String[] outValues = new String[size];
      for (int k = 0; k < size; k++) {
        int i = order[k];
        String name = names[i];
        if (!isValidName(name)) {
          throw invalid("invalid label name [name=" + name + "]");
        }
        if (k > 0 && name.equals(names[order[k - 1]])) {
          throw invalid("duplicate label name [name=" + name + "]");
        }
        if (values[i].isEmpty()) {
          continue;
        }
        outNames[kept] = name;
        outValues[kept] = values[i];
        kept++;
      }
      if (kept == 0) {
        return EMPTY;
      }
      return new Labels(copyOf(outNames, kept), copyOf(outValues, kept));
    }

    /**
     * Fast path for the common case (decoders and the catalog add labels already in name order): strictly
     * ascending, valid names and no empty value. Returns {@code null} when the general path is needed.
     *
     * <p>A reused builder remembers, per position, the name instance it last found valid and in order after the
     * name before it: decoders hand it the same name instances series after series, so the name checks then cost an
     * identity comparison.
     */
    private Labels buildIfSorted() {
      if (size == 0) {
        return EMPTY;
      }
      for (int i = 0; i < size; i++) {
        if (values[i].isEmpty()) {
          return null;
        }
        String name = names[i];
        String before = i > 0 ? names[i - 1] : null;
        if (name == checked[i] && before == checkedAfter[i]) {
          continue;
        }
        if (!isValidName(name) || (before != null && before.compareTo(name) >= 0)) {
          return null;
        }
        checked[i] = name;
        checkedAfter[i] = before;
      }
      return new Labels(copyOf(names, size), copyOf(values, size));
    }
  }
}
