package io.quiver.web.internal;

import io.quiver.columnar.WriteBatch;
import io.quiver.web.ErrorCode;
import io.quiver.web.WebException;
import java.util.List;

/**
 * Outcome of decoding one request body: a complete, validated batch, or the first error (code + message). Decoders
 * return this instead of throwing so bad input, the common failure, costs no stack trace.
 *
 * @param batch the samples ({@code null} on error); may be empty (e.g. a metadata-only remote-write request)
 * @param code {@code null} on success, else {@link ErrorCode#BAD_REQUEST}, {@link ErrorCode#PAYLOAD_TOO_LARGE} or
 *     {@link ErrorCode#UNSUPPORTED_MEDIA_TYPE}
 * @param message error message ({@code ""} on success)
 * @param samples samples in the batch
 * @param decodedBytes size of the decompressed body
 */
record DecodeResult(WriteBatch batch, ErrorCode code, String message, long samples, long decodedBytes) {
  private static final WriteBatch EMPTY = new WriteBatch(List.of());

  static DecodeResult ok(WriteBatch batch, long samples, long decodedBytes) {
    return new DecodeResult(batch, null, "", samples, decodedBytes);
  }

  static DecodeResult empty(long decodedBytes) {
    return new DecodeResult(EMPTY, null, "", 0, decodedBytes);
  }

  static DecodeResult fail(ErrorCode code, String message) {
    return new DecodeResult(null, code, message, 0, 0);
  }

  boolean isOk() {
    return code == null;
  }

  /** The error as an exception, for {@code ctx.fail}. */
  WebException toException() {
    return new WebException(code, message);
  }
}
