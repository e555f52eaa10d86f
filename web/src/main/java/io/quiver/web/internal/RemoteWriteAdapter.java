package io.quiver.web.internal;

import com.google.protobuf.CodedInputStream;
import io.airlift.compress.MalformedInputException;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.quiver.columnar.SeriesSamples;
import io.quiver.columnar.WriteBatch;
import io.quiver.index.Labels;
import io.quiver.web.ErrorCode;
import io.quiver.web.WebConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.openhft.hashing.LongHashFunction;

/**
 * Decodes Prometheus remote-write bodies: a snappy <em>block</em> (not framed) holding a protobuf
 * {@code prometheus.WriteRequest} (1.0) or {@code io.prometheus.write.v2.Request} (2.0). Hand-parsed with
 * {@link CodedInputStream} over the decompressed bytes; unknown fields are skipped, proto3 defaults honoured (a
 * missing value is 0.0, a missing timestamp 0). Values are read with {@code readFixed64} and kept as raw bits, so
 * stale markers ({@code 0x7ff0000000000002}) survive. Stateless and thread-safe.
 *
 * <p>Wire tags (field number << 3 | wire type): WriteRequest.timeseries 0x0A, metadata 0x1A; TimeSeries labels
 * 0x0A, samples 0x12, exemplars 0x1A, histograms 0x22; Label name 0x0A, value 0x12; Sample value 0x09 (fixed64),
 * timestamp 0x10 (varint). 2.0: Request.symbols 0x22, timeseries 0x2A; TimeSeries labels_refs 0x0A (packed) or
 * 0x08, samples 0x12, histograms 0x1A, exemplars 0x22, metadata 0x2A.
 */
final class RemoteWriteAdapter {
  /** Which message the body holds (chosen from the Content-Type). */
  enum Version { V1, V2 }

  /** Label sets decoded recently, keyed by their raw protobuf bytes; cleared when it reaches this size. */
  static final int LABEL_CACHE_ENTRIES = 1 << 18;

  private final WebConfig config;
  private final ConcurrentHashMap<LabelKey, Labels> labelCache = new ConcurrentHashMap<>();

  RemoteWriteAdapter(WebConfig config) {
    this.config = config;
  }

  /** Decompresses and decodes {@code body[0, length)}. */
  DecodeResult decode(byte[] body, int length, Version version) {
    long declared = snappyLength(body, length);
    if (declared < 0) {
      return DecodeResult.fail(ErrorCode.BAD_REQUEST, "malformed snappy block: bad length preamble [bytes="
          + length + "]");
    }
    if (declared > config.maxDecodedBytes()) {
      return DecodeResult.fail(ErrorCode.PAYLOAD_TOO_LARGE, "decompressed body too large [declared=" + declared
          + ", max=" + config.maxDecodedBytes() + "]");
    }
    byte[] raw = new byte[(int) declared];
    try {
      int n = new SnappyDecompressor().decompress(body, 0, length, raw, 0, raw.length);
      if (n != declared) {
        return DecodeResult.fail(ErrorCode.BAD_REQUEST, "malformed snappy block: length mismatch [declared="
            + declared + ", actual=" + n + "]");
      }
    } catch (MalformedInputException | IllegalArgumentException | IndexOutOfBoundsException e) {
      // Translate: aircompressor reports corrupt input with unchecked exceptions.
      return DecodeResult.fail(ErrorCode.BAD_REQUEST, "malformed snappy block [reason=" + e.getMessage() + "]");
    }
    return version == Version.V1 ? decodeV1(raw, raw.length) : decodeV2(raw, raw.length);
  }

  /** Decodes an uncompressed WriteRequest (1.0). */
  DecodeResult decodeV1(byte[] buf, int length) {
    Collector out = new Collector(config, length, labelCache);
    return readSeries(CodedInputStream.newInstance(buf, 0, length), 0x0A, out, in -> readSeriesV1(in, out, buf));
  }

  /** Reads one TimeSeries message; the stream is limited to it. */
  @FunctionalInterface
  private interface SeriesReader {
    Status read(CodedInputStream in) throws IOException;
  }

  /**
   * The request-level loop both versions share: every field {@code seriesTag} is one series, read by {@code reader}
   * between {@link Collector#beginSeries} and {@link Collector#endSeries}; other fields are skipped. The first
   * failure ends decoding.
   */
  private static DecodeResult readSeries(CodedInputStream in, int seriesTag, Collector out, SeriesReader reader) {
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == seriesTag) {
          int limit = in.pushLimit(in.readRawVarint32());
          Status st = out.beginSeries();
          if (st == Status.OK) {
            st = reader.read(in);
          }
          if (st == Status.OK) {
            st = out.endSeries();
          }
          if (st != Status.OK) {
            return out.failure();
          }
          in.popLimit(limit);
        } else if (!in.skipField(tag)) {
          return malformed("unexpected end-group tag");
        }
      }
    } catch (IOException e) {
      // Translate: CodedInputStream reports truncation, bad varints and invalid UTF-8 this way.
      return malformed(e.getMessage() + " [series=" + out.seriesIndex() + "]");
    }
    return out.result();
  }

  /**
   * Reads one TimeSeries. Its leading run of label fields is looked up by raw bytes in {@link #labelCache} first:
   * senders repeat the same series every scrape, and a hit skips UTF-8 decoding, validation and sorting.
   */
  private Status readSeriesV1(CodedInputStream in, Collector out, byte[] buf) throws IOException {
    int tag = in.readTag();
    LabelKey key = null;
    if (tag == 0x0A) {
      int start = in.getTotalBytesRead() - 1;
      int end;
      do {
        if (!in.skipField(tag)) {
          return out.error(Status.MALFORMED, "unexpected end-group tag");
        }
        end = in.getTotalBytesRead();
        tag = in.readTag();
      } while (tag == 0x0A);
      key = LabelKey.probe(buf, start, end - start);
      Labels cached = labelCache.get(key);
      if (cached != null) {
        out.cachedLabels(cached);
        key = null;
      } else {
        Status st = readLabels(CodedInputStream.newInstance(buf, start, end - start), out);
        if (st != Status.OK) {
          return st;
        }
      }
    }
    for (; tag != 0; tag = in.readTag()) {
      Status st = switch (tag) {
        case 0x0A -> {
          key = null; // labels interleaved with samples: unusual, not cached
          yield readLabel(in, out);
        }
        case 0x12 -> readSample(in, out);
        case 0x1A -> skipCounted(in, tag, out, false);
        case 0x22 -> skipCounted(in, tag, out, true);
        default -> in.skipField(tag) ? Status.OK : out.error(Status.MALFORMED, "unexpected end-group tag");
      };
      if (st != Status.OK) {
        return st;
      }
    }
    out.cacheKey(key);
    return Status.OK;
  }

  private static Status readLabels(CodedInputStream in, Collector out) throws IOException {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      Status st = readLabel(in, out);
      if (st != Status.OK) {
        return st;
      }
    }
    return Status.OK;
  }

  private static Status readLabel(CodedInputStream in, Collector out) throws IOException {
    int limit = in.pushLimit(in.readRawVarint32());
    String name = "";
    String value = "";
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == 0x0A) {
        name = in.readStringRequireUtf8();
      } else if (tag == 0x12) {
        value = in.readStringRequireUtf8();
      } else if (!in.skipField(tag)) {
        return out.error(Status.MALFORMED, "unexpected end-group tag in label");
      }
    }
    in.popLimit(limit);
    return out.label(name, value);
  }

  private static Status readSample(CodedInputStream in, Collector out) throws IOException {
    int limit = in.pushLimit(in.readRawVarint32());
    long bits = 0L;
    long ts = 0L;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == 0x09) {
        bits = in.readFixed64();
      } else if (tag == 0x10) {
        ts = in.readInt64();
      } else if (!in.skipField(tag)) {
        return out.error(Status.MALFORMED, "unexpected end-group tag in sample");
      }
    }
    in.popLimit(limit);
    return out.sample(ts, bits);
  }

  private static Status skipCounted(CodedInputStream in, int tag, Collector out, boolean histogram)
      throws IOException {
    if (!in.skipField(tag)) {
      return out.error(Status.MALFORMED, "unexpected end-group tag");
    }
    if (histogram) {
      out.histograms++;
    } else {
      out.exemplars++;
    }
    return Status.OK;
  }

  /** Decodes an uncompressed v2 Request: symbols first (they may follow the series on the wire), then series. */
  DecodeResult decodeV2(byte[] buf, int length) {
    Collector out = new Collector(config, length, null);
    List<String> symbols = new ArrayList<>();
    try {
      CodedInputStream in = CodedInputStream.newInstance(buf, 0, length);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == 0x22) {
          symbols.add(in.readStringRequireUtf8());
        } else if (!in.skipField(tag)) {
          return malformed("unexpected end-group tag");
        }
      }
    } catch (IOException e) {
      // Translate: CodedInputStream reports truncation, bad varints and invalid UTF-8 this way.
      return malformed(e.getMessage() + " [series=" + out.seriesIndex() + "]");
    }
    String[] table = symbols.toArray(new String[0]);
    return readSeries(CodedInputStream.newInstance(buf, 0, length), 0x2A, out, in -> readSeriesV2(in, out, table));
  }

  private static Status readSeriesV2(CodedInputStream in, Collector out, String[] symbols) throws IOException {
    IntList refs = new IntList();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      Status st = Status.OK;
      switch (tag) {
        case 0x0A -> {
          int limit = in.pushLimit(in.readRawVarint32());
          while (!in.isAtEnd()) {
            refs.add(in.readUInt32());
          }
          in.popLimit(limit);
        }
        case 0x08 -> refs.add(in.readUInt32());
        case 0x12 -> st = readSample(in, out);
        case 0x1A -> st = skipCounted(in, tag, out, true);
        case 0x22 -> st = skipCounted(in, tag, out, false);
        default -> st = in.skipField(tag) ? Status.OK : out.error(Status.MALFORMED, "unexpected end-group tag");
      }
      if (st != Status.OK) {
        return st;
      }
    }
    if (refs.size % 2 != 0) {
      return out.error(Status.INVALID, "odd number of label references [count=" + refs.size + "]");
    }
    for (int i = 0; i < refs.size; i++) {
      int ref = refs.values[i];
      if (ref < 0 || ref >= symbols.length) {
        return out.error(Status.INVALID, "label reference out of range [ref=" + Integer.toUnsignedString(ref)
            + ", symbols=" + symbols.length + "]");
      }
    }
    for (int i = 0; i < refs.size; i += 2) {
      Status st = out.label(symbols[refs.values[i]], symbols[refs.values[i + 1]]);
      if (st != Status.OK) {
        return st;
      }
    }
    return Status.OK;
  }

  private static DecodeResult malformed(String detail) {
    return DecodeResult.fail(ErrorCode.BAD_REQUEST, "malformed remote-write protobuf [reason=" + detail + "]");
  }

  /** The snappy block preamble: uncompressed length as a varint of at most 32 bits, or -1 if malformed. */
  static long snappyLength(byte[] body, int length) {
    long value = 0;
    for (int i = 0; i < 5; i++) {
      if (i >= length) {
        return -1;
      }
      int b = body[i] & 0xFF;
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        return value > 0xFFFFFFFFL ? -1 : value;
      }
    }
    return -1;
  }

  /** Raw protobuf bytes of a series' labels, as a cache key; probes view the request buffer, keys own a copy. */
  static final class LabelKey {
    private static final LongHashFunction HASH = LongHashFunction.xx3();
    private final byte[] bytes;
    private final int offset;
    private final int length;
    private final int hash;

    private LabelKey(byte[] bytes, int offset, int length, int hash) {
      this.bytes = bytes;
      this.offset = offset;
      this.length = length;
      this.hash = hash;
    }

    static LabelKey probe(byte[] buf, int offset, int length) {
      return new LabelKey(buf, offset, length, (int) HASH.hashBytes(buf, offset, length));
    }

    LabelKey copy() {
      return new LabelKey(Arrays.copyOfRange(bytes, offset, offset + length), 0, length, hash);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof LabelKey k && k.hash == hash && Arrays.equals(bytes, offset, offset + length, k.bytes,
          k.offset, k.offset + k.length);
    }
  }

  /** Per-series and per-label result of the decoder's inner loops. */
  enum Status { OK, MALFORMED, INVALID, TOO_LARGE }

  /** Growable int array for label references. */
  private static final class IntList {
    int[] values = new int[16];
    int size;

    void add(int v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }
  }

  /** Accumulates series of one request and enforces the request limits; remembers the first error. */
  private static final class Collector {
    private final WebConfig config;
    private final long decodedBytes;
    private final List<SeriesSamples> series = new ArrayList<>();
    private final Labels.Builder labels = Labels.builder();
    private long[] timestamps = new long[16];
    private long[] values = new long[16];
    private int sampleCount;
    private int labelCount;
    private int seriesIndex = -1;
    private long totalSamples;
    long exemplars;
    long histograms;
    private long seriesHistograms;
    private Status errorStatus = Status.OK;
    private String errorMessage = "";
    private final Map<LabelKey, Labels> cache;
    private Labels cached;
    private LabelKey key;

    Collector(WebConfig config, long decodedBytes, Map<LabelKey, Labels> cache) {
      this.config = config;
      this.decodedBytes = decodedBytes;
      this.cache = cache;
    }

    int seriesIndex() {
      return seriesIndex;
    }

    Status beginSeries() {
      seriesIndex++;
      if (seriesIndex >= config.maxSeriesPerRequest()) {
        return error(Status.TOO_LARGE, "too many series in one request [max=" + config.maxSeriesPerRequest()
            + "]");
      }
      labels.reset();
      labelCount = 0;
      sampleCount = 0;
      cached = null;
      key = null;
      seriesHistograms = histograms;
      return Status.OK;
    }

    private Status checkCount(int count) {
      String problem = LabelChecks.checkCount(count, config.labelLimits());
      return problem == null ? Status.OK : error(Status.INVALID, problem);
    }

    Status label(String name, String value) {
      labelCount++;
      String problem = LabelChecks.checkCount(labelCount, config.labelLimits());
      if (problem == null) {
        problem = LabelChecks.checkPair(name, value, config.labelLimits());
      }
      if (problem != null) {
        return error(Status.INVALID, problem);
      }
      labels.add(name, value);
      return Status.OK;
    }

    Status sample(long timestampMs, long valueBits) {
      if (++totalSamples > config.maxSamplesPerRequest()) {
        return error(Status.TOO_LARGE, "too many samples in one request [max=" + config.maxSamplesPerRequest()
            + "]");
      }
      if (sampleCount == timestamps.length) {
        timestamps = Arrays.copyOf(timestamps, sampleCount * 2);
        values = Arrays.copyOf(values, sampleCount * 2);
      }
      timestamps[sampleCount] = timestampMs;
      values[sampleCount] = valueBits;
      sampleCount++;
      return Status.OK;
    }

    void cachedLabels(Labels labels) {
      cached = labels;
      labelCount = labels.size();
    }

    void cacheKey(LabelKey key) {
      this.key = key;
    }

    Status endSeries() {
      if (histograms > seriesHistograms) {
        return error(Status.INVALID, "native histograms are not supported; send float samples only");
      }
      Labels built;
      if (cached != null && labels.size() == 0) {
        built = cached;
      } else {
        if (cached != null) {
          for (int i = 0; i < cached.size(); i++) {
            labels.add(cached.name(i), cached.value(i));
          }
          Status st = checkCount(labels.size());
          if (st != Status.OK) {
            return st;
          }
        }
        String[] problem = new String[1];
        built = LabelChecks.build(labels, problem);
        if (built == null) {
          return error(Status.INVALID, problem[0]);
        }
        if (key != null && cache != null) {
          if (cache.size() >= LABEL_CACHE_ENTRIES) {
            cache.clear();
          }
          cache.put(key.copy(), built);
        }
      }
      if (sampleCount > 0) {
        series.add(new SeriesSamples(built, Arrays.copyOf(timestamps, sampleCount),
            Arrays.copyOf(values, sampleCount)));
      }
      return Status.OK;
    }

    Status error(Status status, String message) {
      errorStatus = status;
      errorMessage = message;
      return status;
    }

    DecodeResult failure() {
      String where = " [series=" + seriesIndex + "]";
      return switch (errorStatus) {
        case TOO_LARGE -> DecodeResult.fail(ErrorCode.PAYLOAD_TOO_LARGE, errorMessage);
        case MALFORMED -> DecodeResult.fail(ErrorCode.BAD_REQUEST, "malformed remote-write protobuf: "
            + errorMessage + where);
        case INVALID -> DecodeResult.fail(ErrorCode.BAD_REQUEST, "invalid series: " + errorMessage + where);
        case OK -> throw new IllegalStateException("no error recorded");
      };
    }

    DecodeResult result() {
      if (series.isEmpty()) {
        return DecodeResult.empty(decodedBytes);
      }
      return DecodeResult.ok(new WriteBatch(series), totalSamples, decodedBytes);
    }
  }
}
