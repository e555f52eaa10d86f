/**
 * Arrow Flight edge of Quiver. {@link io.quiver.flight.QuiverFlightServer} serves bulk reads and bulk puts over
 * any {@link io.quiver.flight.FlightBackend}: {@code GetFlightInfo} takes a JSON command (Prometheus selectors, a
 * time range, a read consistency) and answers one endpoint per shard holding matching series, each listing every
 * replica's location (leader first) with a self-contained ticket; {@code DoGet} streams the shard's samples as
 * Arrow record batches ({@code timestamp}, {@code value}, one dictionary-encoded column per label name) with flow
 * control and a per-stream child allocator; {@code DoPut} ingests the same shape. The cluster supplies a
 * {@link io.quiver.flight.FlightBackend}; {@link io.quiver.flight.LocalFlightBackend} runs over shard stores in one
 * process. Implementation classes live in {@code io.quiver.flight.internal}. Design notes: docs/design/flight.md.
 */
package io.quiver.flight;
