#!/usr/bin/env node
// Reads a Quiver query over plain Arrow Flight with an independent, non-Java client
// (@firetiger-oss/flight-sql-client on @grpc/grpc-js, decoding with apache-arrow JS) and prints
// one JSON document on stdout:
//   { "endpoints": n, "columns": [{"name", "type"}...], "dictionaries": {label: [values...]},
//     "rows": [[series, timestampMs, valueBitsHex], ...] }
// rows are sorted by series then timestamp; series is "name=value,..." over the non-null labels in
// column order; valueBitsHex is the IEEE-754 bit pattern (so NaN/Inf compare exactly).
//
// usage: node read.js grpc+tcp://127.0.0.1:8815 '{"match":["{__name__=~\".+\"}"]}'
'use strict';

const { FlightClient } = require('@firetiger-oss/flight-sql-client');
const { FlightDescriptor } = require('@firetiger-oss/flight-sql-client/dist/generated/proto/Flight_pb');

function hostPort(uri) {
  const u = new URL(uri.replace(/^grpc(\+tcp)?:/, 'http:'));
  return { host: u.hostname, port: Number(u.port) };
}

function bitsHex(value) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

async function main() {
  const [entry, command] = process.argv.slice(2);
  if (!entry || !command) {
    console.error('usage: node read.js <grpc+tcp://host:port> <command-json>');
    process.exit(2);
  }
  const clients = new Map();
  const clientFor = async (uri) => {
    if (!clients.has(uri)) {
      const c = new FlightClient({ ...hostPort(uri), plaintext: true });
      await c.connect();
      clients.set(uri, c);
    }
    return clients.get(uri);
  };

  const descriptor = new FlightDescriptor();
  descriptor.setType(FlightDescriptor.DescriptorType.CMD);
  descriptor.setCmd(Buffer.from(command, 'utf8'));
  const info = await (await clientFor(entry)).getFlightInfo(descriptor);

  const out = { endpoints: 0, columns: null, dictionaries: {}, rows: [] };
  const dictionaries = {};
  for (const ep of info.getEndpointList()) {
    out.endpoints++;
    const locations = ep.getLocationList().map((l) => l.getUri());
    let table = null;
    let lastError = null;
    for (const uri of (locations.length ? locations : [entry])) {
      try {
        table = await (await clientFor(uri)).doGet(ep.getTicket());
        break;
      } catch (e) {
        lastError = e; // try the next replica
      }
    }
    if (table === null) {
      throw lastError;
    }
    const columns = table.schema.fields.map((f) => ({ name: f.name, type: String(f.type) }));
    out.columns = out.columns || columns;
    if (JSON.stringify(out.columns) !== JSON.stringify(columns)) {
      throw new Error('endpoint schemas differ: ' + JSON.stringify(columns));
    }
    const labelFields = table.schema.fields.filter((f) => f.name !== 'timestamp' && f.name !== 'value');
    for (const f of labelFields) {
      const column = table.getChild(f.name);
      const set = dictionaries[f.name] || (dictionaries[f.name] = new Set());
      for (const chunk of column.data) {
        const dict = chunk.dictionary;
        if (dict) {
          for (let i = 0; i < dict.length; i++) {
            set.add(dict.get(i));
          }
        }
      }
    }
    const ts = table.getChild('timestamp');
    const value = table.getChild('value');
    const labels = labelFields.map((f) => [f.name, table.getChild(f.name)]);
    for (let r = 0; r < table.numRows; r++) {
      const series = labels
        .map(([name, col]) => [name, col.get(r)])
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([name, v]) => `${name}=${v}`)
        .join(',');
      out.rows.push([series, Number(ts.get(r)), bitsHex(value.get(r))]);
    }
  }
  for (const [name, set] of Object.entries(dictionaries)) {
    out.dictionaries[name] = [...set].sort();
  }
  out.rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  for (const c of clients.values()) {
    await c.close();
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  console.error('read failed: ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});
