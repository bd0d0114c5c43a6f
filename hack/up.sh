#!/usr/bin/env bash
# Build Ketch (release) and run `ketch etcd` in the foreground.
#   State: ${KETCH_STATE_DIR:-$HOME/.ketch}/etcd. Extra arguments go to `ketch etcd`,
#   e.g. hack/up.sh --listen-client-urls http://127.0.0.1:22379 --advertise-client-urls http://127.0.0.1:22379
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

swift build -c release
BIN="$(swift build -c release --show-bin-path)/ketch"
STATE_DIR="${KETCH_STATE_DIR:-$HOME/.ketch}"

args=()
has_data_dir=0
endpoint="http://127.0.0.1:2379"
prev=""
for a in "$@"; do
  case "$a" in
    --data-dir|--data-dir=*) has_data_dir=1 ;;
    --advertise-client-urls=*) endpoint="${a#*=}" ;;
  esac
  [ "$prev" = "--advertise-client-urls" ] && endpoint="$a"
  prev="$a"
done
endpoint="${endpoint%%,*}"
if [ "$has_data_dir" -eq 0 ]; then
  mkdir -p "$STATE_DIR/etcd"
  args+=(--data-dir "$STATE_DIR/etcd")
fi

echo "ketch etcd: try  etcdctl --endpoints=$endpoint get / --prefix --keys-only" >&2
exec "$BIN" etcd "${args[@]}" "$@"
