#!/usr/bin/env python3
"""Read a Quiver query over Arrow Flight into a pandas DataFrame.

    pip install pyarrow pandas
    python read_pandas.py grpc+tcp://127.0.0.1:19301 'cpu_seconds_total{mode="user"}' --start now-1h

One GetFlightInfo plans the query: one endpoint per shard holding matching series, each listing every
replica's location (leader first) and a ticket any of them can serve. The endpoints are read in parallel,
each from the first location that answers (a lagging or unreachable replica answers UNAVAILABLE, a replica
that no longer holds the shard NOT_FOUND, so the next location is tried). Every stream carries the same schema
as FlightInfo.schema (label columns a shard lacks are all-null), so pa.concat_tables works without options;
the label columns are dictionary<int32, utf8> with per-stream dictionaries, which to_pandas unifies into
pandas Categoricals. Timestamps are timestamp[ms, UTC] -> datetime64[ms, UTC] with pandas >= 2.

Written against the pyarrow.flight API (pyarrow >= 13); pyarrow cannot be installed in Quiver's build
environment, so CI checks the same protocol with the JavaScript client in interop/flight-js instead.
"""
import argparse
import concurrent.futures
import json
import threading

import pyarrow as pa
import pyarrow.flight as flight

# Errors after which another replica of the same shard may succeed.
RETRY_NEXT_LOCATION = (flight.FlightUnavailableError, flight.FlightTimedOutError, pa.ArrowKeyError)
REUSE_CONNECTION = b"arrow-flight-reuse-connection://?"


class Clients:
    """One FlightClient per location, shared by the reader threads."""

    def __init__(self, entry):
        self.entry = entry
        self._lock = threading.Lock()
        self._clients = {}

    def get(self, uri):
        with self._lock:
            client = self._clients.get(uri)
            if client is None:
                client = self._clients[uri] = flight.FlightClient(uri)
            return client

    def close(self):
        with self._lock:
            for client in self._clients.values():
                client.close()
            self._clients.clear()


def read_endpoint(clients, endpoint, options):
    """All batches of one endpoint as a pa.Table, from the first location that serves it."""
    last_error = None
    uris = [loc.uri for loc in endpoint.locations] or [REUSE_CONNECTION]
    for uri in uris:
        target = clients.entry if uri == REUSE_CONNECTION else uri.decode()
        try:
            return clients.get(target).do_get(endpoint.ticket, options).read_all()
        except RETRY_NEXT_LOCATION as e:
            last_error = e  # replica down, lagging beyond the staleness bound, or moved: try the next one
    raise RuntimeError(f"no location could serve the endpoint: {last_error}")


def read_dataframe(entry, match, start=None, end=None, consistency="linearizable", max_staleness_ms=None,
                   parallelism=8, timeout_s=300):
    command = {"match": match if isinstance(match, list) else [match], "consistency": consistency}
    if start is not None:
        command["start"] = start          # RFC 3339, epoch milliseconds, "now" or "now-1h"
    if end is not None:
        command["end"] = end              # inclusive
    if max_staleness_ms is not None:
        command["max_staleness_ms"] = max_staleness_ms  # follower reads only
    options = flight.FlightCallOptions(timeout=timeout_s)
    clients = Clients(entry)
    try:
        descriptor = flight.FlightDescriptor.for_command(json.dumps(command).encode("utf-8"))
        info = clients.get(entry).get_flight_info(descriptor, options)
        if not info.endpoints:
            return info.schema.empty_table().to_pandas()
        with concurrent.futures.ThreadPoolExecutor(max_workers=parallelism) as pool:
            parts = list(pool.map(lambda ep: read_endpoint(clients, ep, options), info.endpoints))
        table = pa.concat_tables(parts)
        # self_destruct frees Arrow memory column by column while converting (peak memory ~1x, not 2x).
        return table.to_pandas(self_destruct=True, split_blocks=True)
    finally:
        clients.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("entry", help="any node's Flight location, e.g. grpc+tcp://127.0.0.1:19301")
    parser.add_argument("match", nargs="+", help="Prometheus selectors (a union)")
    parser.add_argument("--start")
    parser.add_argument("--end")
    parser.add_argument("--consistency", default="linearizable", choices=["linearizable", "follower"])
    parser.add_argument("--max-staleness-ms", type=int)
    args = parser.parse_args()
    df = read_dataframe(args.entry, args.match, args.start, args.end, args.consistency, args.max_staleness_ms)
    print(df.dtypes)
    print(df.head(20))
    print(f"{len(df)} samples")


if __name__ == "__main__":
    main()
