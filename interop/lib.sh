#!/usr/bin/env bash
# Shared helpers of the interop suite: start/stop a local Quiver cluster and third-party processes by PID.
set -u
INTEROP_TMP=${INTEROP_TMP:-$(mktemp -d /tmp/quiver-interop.XXXXXX)}
PIDS=()

log() { echo "[interop] $*"; }
fail() { echo "[interop] FAIL: $*"; exit 1; }

# start_cluster BASE_PORT NODES RF: bin/quiver local in its own process group; sets CLUSTER_PGID, CLUSTER_LOG.
start_cluster() {
  local port=$1 nodes=$2 rf=$3
  CLUSTER_LOG="$INTEROP_TMP/cluster-$port.log"
  setsid bin/quiver local --nodes "$nodes" --rf "$rf" --shards 8 --base-port "$port" \
    --data "$INTEROP_TMP/data-$port" --no-demo >"$CLUSTER_LOG" 2>&1 </dev/null &
  CLUSTER_PGID=$!
  local t=0
  until grep -q '^ready' "$CLUSTER_LOG" 2>/dev/null; do
    sleep 1; t=$((t + 1))
    kill -0 "$CLUSTER_PGID" 2>/dev/null || { tail -20 "$CLUSTER_LOG"; fail "cluster exited before ready"; }
    [ $t -lt 180 ] || { stop_cluster; fail "cluster not ready in 180 s"; }
  done
}

stop_cluster() {
  [ -n "${CLUSTER_PGID:-}" ] || return 0
  kill -TERM -- "-$CLUSTER_PGID" 2>/dev/null
  for _ in $(seq 1 30); do kill -0 -- "-$CLUSTER_PGID" 2>/dev/null || break; sleep 1; done
  kill -KILL -- "-$CLUSTER_PGID" 2>/dev/null
  CLUSTER_PGID=
}

# run_bg NAME CMD...: start a third-party process, remember its PID, log to INTEROP_TMP/NAME.log
run_bg() {
  local name=$1; shift
  "$@" >"$INTEROP_TMP/$name.log" 2>&1 </dev/null &
  PIDS+=("$!")
}

stop_all() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null
  done
  PIDS=()
  stop_cluster
}

# wait_for SECONDS CMD...: retry CMD once a second until it succeeds
wait_for() {
  local secs=$1; shift
  for _ in $(seq 1 "$secs"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  return 1
}
