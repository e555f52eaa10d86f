#!/usr/bin/env bash
# Interop: a real Prometheus (Debian `prometheus`) and a real vmagent (Debian `victoria-metrics`) scrape a static
# exposition with known series, scrape Quiver's own /metrics, and remote-write everything to a 3-node local Quiver
# cluster. Checks, through Quiver's read-back API: exactly the known series arrive with exactly their values, the
# raw `up` samples in a closed window equal those in Prometheus' own TSDB, and Quiver's own metrics were ingested.
# Each part is skipped with a loud message when its binary is absent.
cd "$(dirname "$0")/.."
. interop/lib.sh
trap stop_all EXIT

PROM=$(command -v prometheus || true)
VMAGENT=$(command -v vmagent || true)
[ -n "$PROM$VMAGENT" ] || { log "SKIPPED: neither prometheus nor vmagent installed (apt-get install prometheus victoria-metrics)"; exit 0; }

BASE=19400
start_cluster $BASE 3 3
Q=http://127.0.0.1:$BASE
log "cluster up at $Q"

# A static exposition: 20 series of known value, served on loopback.
mkdir -p "$INTEROP_TMP/static"
{
  echo "# TYPE interop_gauge gauge"
  for i in $(seq 1 10); do echo "interop_gauge{idx=\"$i\",kind=\"g\"} $((i * 7)).5"; done
  echo "# TYPE interop_counter_total counter"
  for i in $(seq 1 10); do echo "interop_counter_total{idx=\"$i\",kind=\"c\"} $((i * 1000))"; done
} >"$INTEROP_TMP/static/metrics"
STATIC_PORT=19491
run_bg static python3 -m http.server "$STATIC_PORT" --bind 127.0.0.1 --directory "$INTEROP_TMP/static"
wait_for 20 curl -sf "http://127.0.0.1:$STATIC_PORT/metrics" || fail "static exporter did not start"

ok=0
check_static_series() { # job
  local job=$1
  python3 - "$Q" "$job" <<'PY'
import json, sys, urllib.parse, urllib.request
q, job = sys.argv[1], sys.argv[2]
sel = '{job="%s",__name__=~"interop_.*"}' % job
series = json.load(urllib.request.urlopen(q + "/api/v1/series?" + urllib.parse.urlencode({"match[]": sel})))
got = sorted((s["__name__"], s["idx"]) for s in series["data"])
want = sorted([("interop_gauge", str(i)) for i in range(1, 11)] + [("interop_counter_total", str(i)) for i in range(1, 11)])
if got != want:
    print("series mismatch for job %s: got %d, want %d: %s" % (job, len(got), len(want), got[:5])); sys.exit(1)
body = urllib.request.urlopen(q + "/api/v1/export?" + urllib.parse.urlencode({"match[]": sel})).read().decode()
n = 0
for line in body.splitlines():
    if not line.strip():
        continue
    row = json.loads(line)
    m = row["metric"]; i = int(m["idx"])
    want_v = i * 7 + 0.5 if m["__name__"] == "interop_gauge" else i * 1000
    bad = [v for v in row["values"] if float(v) != want_v]
    if bad:
        print("wrong values for %s: %s" % (m, bad[:3])); sys.exit(1)
    n += len(row["values"])
print("job %s: 20 series, %d samples, all values exact" % (job, n))
PY
}

if [ -n "$PROM" ]; then
  PROM_PORT=19490
  cat >"$INTEROP_TMP/prometheus.yml" <<YML
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - job_name: static-prom
    static_configs: [{targets: ['127.0.0.1:$STATIC_PORT']}]
  - job_name: prometheus
    static_configs: [{targets: ['127.0.0.1:$PROM_PORT']}]
  - job_name: quiver
    static_configs: [{targets: ['127.0.0.1:$BASE']}]
remote_write:
  - url: $Q/api/v1/write
    queue_config: {batch_send_deadline: 1s, min_backoff: 100ms, max_backoff: 1s}
YML
  run_bg prometheus "$PROM" --config.file="$INTEROP_TMP/prometheus.yml" --storage.tsdb.path="$INTEROP_TMP/prom-data" \
    --web.listen-address=127.0.0.1:$PROM_PORT
  log "prometheus $("$PROM" --version 2>&1 | head -1) scraping and remote-writing"
  if wait_for 90 check_static_series static-prom; then
    check_static_series static-prom || ok=1
  else
    check_static_series static-prom; ok=1
  fi
  # Raw `up` samples of a closed 20 s window must be identical in Prometheus' TSDB and in Quiver.
  sleep 6
  python3 - "$Q" "http://127.0.0.1:$PROM_PORT" <<'PY' || ok=1
import json, sys, time, urllib.parse, urllib.request
q, p = sys.argv[1], sys.argv[2]
t = int(time.time()) - 5
prom = json.load(urllib.request.urlopen(p + "/api/v1/query?" + urllib.parse.urlencode({"query": 'up{job="prometheus"}[20s]', "time": t})))
pts = sorted(int(round(float(v[0]) * 1000)) for v in prom["data"]["result"][0]["values"])
lo, hi = (t - 20) * 1000, t * 1000
pts = [x for x in pts if lo < x < hi]
body = urllib.request.urlopen(q + "/api/v1/export?" + urllib.parse.urlencode({"match[]": 'up{job="prometheus"}', "start": lo / 1000, "end": hi / 1000})).read().decode()
qts = sorted(ts for line in body.splitlines() if line.strip() for ts in json.loads(line)["timestamps"] if lo < ts < hi)
if not pts or pts != qts:
    print("up samples differ: prometheus %d %s, quiver %d %s" % (len(pts), pts[:3], len(qts), qts[:3])); sys.exit(1)
print("up{job=prometheus}: %d raw samples identical in Prometheus and Quiver" % len(pts))
PY
  curl -sf "$Q/api/v1/label/__name__/values" | grep -q '"quiver_' || { log "Quiver's own /metrics not found in Quiver"; ok=1; }
else
  log "SKIPPED Prometheus part: prometheus not installed (apt-get install prometheus)"
fi

if [ -n "$VMAGENT" ]; then
  cat >"$INTEROP_TMP/vmagent.yml" <<YML
global: {scrape_interval: 1s}
scrape_configs:
  - job_name: static-vm
    static_configs: [{targets: ['127.0.0.1:$STATIC_PORT']}]
  - job_name: quiver-vm
    static_configs: [{targets: ['127.0.0.1:$((BASE + 10))']}]
YML
  run_bg vmagent "$VMAGENT" -promscrape.config="$INTEROP_TMP/vmagent.yml" -remoteWrite.url="$Q/api/v1/write" \
    -remoteWrite.tmpDataPath="$INTEROP_TMP/vmagent-data" -httpListenAddr=127.0.0.1:19492 -remoteWrite.flushInterval=1s
  log "vmagent $("$VMAGENT" -version 2>&1 | head -1) scraping and remote-writing"
  if wait_for 90 check_static_series static-vm; then
    check_static_series static-vm || ok=1
  else
    check_static_series static-vm; ok=1
  fi
else
  log "SKIPPED vmagent part: vmagent not installed (apt-get install victoria-metrics)"
fi
[ $ok = 0 ] && log "remote-write interop passed" || log "remote-write interop FAILED (logs in $INTEROP_TMP)"
exit $ok
