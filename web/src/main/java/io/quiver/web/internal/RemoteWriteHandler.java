package io.quiver.web.internal;

import io.quiver.web.ErrorCode;
import io.quiver.web.WebConfig;
import io.quiver.web.WebException;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * {@code POST /api/v1/write}: Prometheus remote write. The Content-Type picks the message
 * ({@code application/x-protobuf} or {@code ;proto=prometheus.WriteRequest}: 1.0;
 * {@code ;proto=io.prometheus.write.v2.Request}: 2.0); the body must be a snappy block. Answers 204 once every shard
 * committed; 2.0 answers carry the {@code X-Prometheus-Remote-Write-*-Written} headers, errors included.
 */
final class RemoteWriteHandler {
  static final String V2_KEY = "quiver.rw2";
  static final String SAMPLES_WRITTEN = "X-Prometheus-Remote-Write-Samples-Written";
  static final String HISTOGRAMS_WRITTEN = "X-Prometheus-Remote-Write-Histograms-Written";
  static final String EXEMPLARS_WRITTEN = "X-Prometheus-Remote-Write-Exemplars-Written";

  private final WebConfig config;
  private final RemoteWriteAdapter adapter;
  private final IngestPipeline pipeline;

  RemoteWriteHandler(WebConfig config, IngestPipeline pipeline) {
    this.config = config;
    this.adapter = new RemoteWriteAdapter(config);
    this.pipeline = pipeline;
  }

  void write(RoutingContext ctx) {
    RemoteWriteAdapter.Version version = version(ctx.request().getHeader("Content-Type"));
    if (version == RemoteWriteAdapter.Version.V2) {
      ctx.put(V2_KEY, Boolean.TRUE);
    }
    checkEncoding(ctx.request().getHeader("Content-Encoding"));
    Buffer buffer = ctx.body().buffer();
    byte[] body = buffer == null ? new byte[0] : buffer.getBytes();
    long declared = RemoteWriteAdapter.snappyLength(body, body.length);
    long budget = body.length + Math.max(0, Math.min(declared, config.maxDecodedBytes()));
    String protocol = version == RemoteWriteAdapter.Version.V2 ? "remote_write_v2" : "remote_write";
    pipeline.ingest(protocol, body.length, budget, () -> adapter.decode(body, body.length, version),
            ctx.vertx().getOrCreateContext())
        .onSuccess(accepted -> {
          if (version == RemoteWriteAdapter.Version.V2) {
            ctx.response().putHeader(SAMPLES_WRITTEN, Long.toString(accepted.samples()))
                .putHeader(HISTOGRAMS_WRITTEN, "0")
                .putHeader(EXEMPLARS_WRITTEN, "0");
          }
          ctx.response().setStatusCode(204).end();
        })
        .onFailure(ctx::fail);
  }

  /** The message version for a Content-Type; throws 415 for anything but remote-write protobuf. */
  static RemoteWriteAdapter.Version version(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return RemoteWriteAdapter.Version.V1;
    }
    String ct = contentType.toLowerCase(Locale.ROOT).replace(" ", "");
    if (!ct.startsWith("application/x-protobuf")) {
      throw new WebException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "remote write needs Content-Type"
          + " application/x-protobuf [contentType=" + LabelChecks.abbreviate(contentType) + "]");
    }
    int i = ct.indexOf("proto=");
    if (i < 0) {
      return RemoteWriteAdapter.Version.V1;
    }
    String proto = ct.substring(i + 6);
    int semi = proto.indexOf(';');
    proto = (semi < 0 ? proto : proto.substring(0, semi)).replace("\"", "");
    return switch (proto) {
      case "prometheus.writerequest" -> RemoteWriteAdapter.Version.V1;
      case "io.prometheus.write.v2.request" -> RemoteWriteAdapter.Version.V2;
      default -> throw new WebException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "unsupported remote-write message;"
          + " supported: prometheus.WriteRequest, io.prometheus.write.v2.Request [proto=" + proto + "]");
    };
  }

  private static void checkEncoding(String encoding) {
    if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("snappy")) {
      throw new WebException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "remote write needs Content-Encoding snappy"
          + " (block format) [encoding=" + LabelChecks.abbreviate(encoding) + "]");
    }
  }
}
