/**
 * The ingest load generator behind {@code bin/quiver bench ingest} ({@link io.quiver.web.bench.IngestBench}) and
 * its payload encoder. It lives in web/ because it shares the remote-write wire format and aircompressor with the
 * receiver; it talks to any remote-write endpoint over plain HTTP.
 */
package io.quiver.web.bench;
