package io.quiver.web.internal;

import io.quiver.web.ErrorCode;
import io.quiver.web.WebException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Undoes {@code Content-Encoding} for the Influx and JSON routes ({@code identity} or {@code gzip}), never
 * producing more than the decoded-size cap. Vert.x' own request decompression stays off on purpose: it would treat
 * {@code Content-Encoding: snappy} as the framed format and break remote write.
 */
final class ContentDecoder {
  private ContentDecoder() {}

  /** A decoded body: {@code bytes[0, length)}. */
  record Body(byte[] bytes, int length) {}

  /**
   * Decodes {@code body} according to {@code contentEncoding} ({@code null} = identity).
   *
   * @throws WebException 415 for other encodings, 400 for corrupt gzip, 413 past {@code maxDecodedBytes}
   */
  static Body decode(byte[] body, String contentEncoding, long maxDecodedBytes) {
    String enc = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
    if (enc.isEmpty() || enc.equals("identity")) {
      return new Body(body, body.length);
    }
    if (!enc.equals("gzip") && !enc.equals("x-gzip")) {
      throw new WebException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "unsupported Content-Encoding [encoding="
          + LabelChecks.abbreviate(enc) + ", supported=gzip,identity]");
    }
    return gunzip(body, maxDecodedBytes);
  }

  private static Body gunzip(byte[] body, long max) {
    byte[] out = new byte[(int) Math.min(max + 1, Math.max(1024, (long) body.length * 4))];
    int n = 0;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body), 8192)) {
      while (true) {
        if (n == out.length) {
          if (n > max) {
            break;
          }
          out = Arrays.copyOf(out, (int) Math.min(max + 1, (long) out.length * 2));
        }
        int r = in.read(out, n, out.length - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
    } catch (IOException e) {
      // Translate: corrupt or truncated gzip stream.
      throw new WebException(ErrorCode.BAD_REQUEST, "malformed gzip body [reason=" + e.getMessage() + "]");
    }
    if (n > max) {
      throw new WebException(ErrorCode.PAYLOAD_TOO_LARGE, "decompressed body too large [max=" + max + "]");
    }
    return new Body(out, n);
  }
}
