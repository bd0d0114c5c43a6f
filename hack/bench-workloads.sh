#!/usr/bin/env bash
# Workload benchmark (issue 13): how fast `ketch up` makes workloads come alive, measured with
# the real kubectl against a release build.
#
#   1. `kubectl create deployment --replicas=3` until `kubectl rollout status` returns (median of 5);
#   2. a Deployment of 1,000 replicas over 10 simulated worker nodes until all 1,000 pods are
#      Running and Ready (the Deployment's availableReplicas), with the pods per second;
#   3. the whole control plane's memory (etcd, apiserver + kubelet, controller-manager,
#      scheduler, `ketch up`) with those 1,000 pods, as PSS and as RSS summed over processes.
#
# kwok documents about 20 pods/s for its default stages; it needs real kube binaries, which are
# not available here, so that figure is quoted rather than measured side by side.
#
#   hack/bench-workloads.sh [--no-build] [--scratch DIR] [--replicas N] [--nodes N] [--markdown FILE]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source hack/lib/common.sh

SCRATCH=".build-bench"
BUILD=1
REPLICAS=1000
NODES=10
MD_OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --scratch) SCRATCH="$2"; shift ;;
    --replicas) REPLICAS="$2"; shift ;;
    --nodes) NODES="$2"; shift ;;
    --markdown) MD_OUT="$2"; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done
command -v kubectl >/dev/null || die "kubectl not found on PATH"

if [ "$BUILD" = 1 ]; then
  section "swift build -c release --product ketch (into $SCRATCH)"
  swift build -c release --product ketch --scratch-path "$SCRATCH"
fi
KETCH="$SCRATCH/release/ketch"
[ -x "$KETCH" ] || die "no release ketch at $KETCH (build without --no-build first)"

STATE="$(mktemp -d /tmp/ketch-bench-workloads.XXXXXX)"
read -r P1 P2 P3 P4 P5 P6 < <(python3 - <<'PY'
import socket
ports = []
socks = []
for _ in range(6):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); ports.append(s.getsockname()[1]); socks.append(s)
print(*ports)
PY
)
cleanup() {
  [ -n "${UP_PID:-}" ] && kill -TERM "$UP_PID" 2>/dev/null && wait "$UP_PID" 2>/dev/null || true
  pkill -9 -f "$STATE" 2>/dev/null || true
  rm -rf "$STATE"
}
trap cleanup EXIT

section "ketch up --nodes $NODES (state $STATE)"
"$KETCH" up --state-dir "$STATE/state" --etcd-client-port "$P1" --etcd-peer-port "$P2" --etcd-metrics-port "$P3" \
  --apiserver-bind-port "$P4" --controller-manager-port "$P5" --scheduler-port "$P6" --nodes "$NODES" \
  > "$STATE/up.log" 2>&1 &
UP_PID=$!
for _ in $(seq 1 600); do
  grep -q "\[up\] Registered" "$STATE/up.log" 2>/dev/null && break
  kill -0 "$UP_PID" 2>/dev/null || { cat "$STATE/up.log"; die "ketch up exited"; }
  sleep 0.1
done
export KUBECONFIG="$STATE/state/kubernetes/admin.conf"
kubectl wait --for=condition=Ready nodes --all --timeout=60s >/dev/null

now() { python3 -c 'import time; print(time.monotonic())'; }
elapsed() { python3 -c "print('%.2f' % ($2 - $1))"; }

section "create deployment --replicas=3 → rollout status (5 runs)"
TIMES=()
for i in 1 2 3 4 5; do
  t0=$(now)
  kubectl create deployment "small$i" --image=nginx --replicas=3 >/dev/null
  kubectl rollout status "deploy/small$i" --timeout=60s >/dev/null
  t1=$(now)
  TIMES+=("$(elapsed "$t0" "$t1")")
  info "run $i: ${TIMES[-1]}s"
done
MEDIAN=$(printf '%s\n' "${TIMES[@]}" | sort -n | sed -n 3p)
kubectl delete deployment small1 small2 small3 small4 small5 >/dev/null

section "Deployment of $REPLICAS replicas over $NODES nodes → all Running and Ready"
t0=$(now)
kubectl create deployment big --image=nginx --replicas="$REPLICAS" >/dev/null
while true; do
  ready=$(kubectl get deploy big -o jsonpath='{.status.availableReplicas}' 2>/dev/null || true)
  [ "${ready:-0}" = "$REPLICAS" ] && break
  t=$(now)
  python3 -c "import sys; sys.exit(0 if $t - $t0 < 600 else 1)" || die "not all $REPLICAS pods Running within 600s (at ${ready:-0})"
  sleep 0.2
done
t1=$(now)
BIG=$(elapsed "$t0" "$t1")
RATE=$(python3 -c "print('%.0f' % ($REPLICAS / ($t1 - $t0)))")
RUNNING=$(kubectl get pods -l app=big --field-selector=status.phase=Running --no-headers | wc -l)
info "$REPLICAS replicas available after ${BIG}s ($RATE pods/s); $RUNNING pods Running"

# RSS counts the pages of the one shared `ketch` binary and its libraries once per process;
# PSS shares them out, so the sum of PSS is the memory the control plane really takes.
RSS_KB=0
PSS_KB=0
for pid in $(pgrep -f "$STATE"); do
  rss=$(awk '/^Rss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
  pss=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
  RSS_KB=$((RSS_KB + ${rss:-0}))
  PSS_KB=$((PSS_KB + ${pss:-0}))
done
RSS_MIB=$((RSS_KB / 1024))
PSS_MIB=$((PSS_KB / 1024))
info "control plane memory with $REPLICAS pods: PSS ${PSS_MIB} MiB (RSS summed over processes ${RSS_MIB} MiB)"

TABLE="| measure (release build, kubectl $(kubectl version --client -o json | python3 -c 'import json,sys;print(json.load(sys.stdin)["clientVersion"]["gitVersion"])')) | Ketch | target |
|---|---:|---:|
| create deployment --replicas=3 → rollout status done (median of 5) | ${MEDIAN} s | < 1 s |
| ${REPLICAS} replicas over ${NODES} simulated nodes → all Running and Ready | ${BIG} s (${RATE} pods/s) | < 10 s (kwok documents ~20 pods/s) |
| control plane memory with ${REPLICAS} pods: PSS summed over its processes (RSS summed: ${RSS_MIB} MiB) | ${PSS_MIB} MiB | < 300 MiB |"
echo
echo "$TABLE"
[ -n "$MD_OUT" ] && echo "$TABLE" > "$MD_OUT"
