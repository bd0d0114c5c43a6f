#!/usr/bin/env bash
# Build Ketch (release) and bring up a control plane with `ketch up`: init the state directory
# if it has no cluster yet, then run its etcd and kube-apiserver from their static Pod manifests
# until Ctrl-C. Logs go to STATE/logs/.
#   State: ${KETCH_STATE_DIR:-$HOME/.ketch}. Arguments go to `ketch up`
#   (e.g. --state-dir, --node-name, --etcd-client-port, --apiserver-bind-port; see `ketch up --help`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

. hack/lib/common.sh
# Build dependencies: the system SQLite, OpenSSL's libcrypto and zlib (SPDY exec headers).
ensure_apt libsqlite3-dev libssl-dev zlib1g-dev
command -v swift >/dev/null || die "swift toolchain not found on PATH"

swift build -c release --product ketch
exec "$(swift build -c release --show-bin-path)/ketch" up "$@"
