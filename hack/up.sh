#!/usr/bin/env bash
# Build Ketch (release), make sure a cluster exists in the state directory (`ketch init`, which
# keeps whatever is already there), then serve its etcd exactly as the static Pod manifest says:
# mutual TLS on the client port, metrics/health on the metrics port.
#   State: ${KETCH_STATE_DIR:-$HOME/.ketch}. Extra arguments go to `ketch init`
#   (e.g. --node-name, --etcd-client-port, --apiserver-advertise-address).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

swift build -c release --product ketch
BIN="$(swift build -c release --show-bin-path)/ketch"
STATE_DIR="${KETCH_STATE_DIR:-$HOME/.ketch}"
export KETCH_STATE_DIR="$STATE_DIR"

"$BIN" init "$@"

# The etcd manifest's command line (the list under `- command:`); its first word, `etcd`, is
# ketch's subcommand.
mapfile -t COMMAND < <(awk '
  /^  - command:$/ { on = 1; next }
  on && /^    - / { sub(/^    - /, ""); gsub(/^["\x27]|["\x27]$/, ""); print; next }
  on { exit }' "$STATE_DIR/kubernetes/manifests/etcd.yaml")
[ "${#COMMAND[@]}" -gt 1 ] || { echo "no etcd command in $STATE_DIR/kubernetes/manifests/etcd.yaml" >&2; exit 1; }
echo "serving etcd from $STATE_DIR/kubernetes/manifests/etcd.yaml (Ctrl-C stops it)" >&2
exec "$BIN" "${COMMAND[@]}"
