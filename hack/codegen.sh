#!/usr/bin/env bash
# Regenerates Sources/EtcdProto/Generated from protos/ (etcd v3.5's v3 API).
#
# - installs Debian's protobuf-compiler if protoc is missing;
# - builds protoc-gen-swift (swift-protobuf) and protoc-gen-grpc-swift-2
#   (grpc-swift-protobuf) from the pinned tool package in hack/codegen/, into
#   <repo>/.build-codegen (git-ignored);
# - runs protoc and replaces the generated files.
# Idempotent; runnable from any working directory. The output is committed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PROTO_DIR="$ROOT/protos"
OUT_DIR="$ROOT/Sources/EtcdProto/Generated"
TOOL_PKG="$ROOT/hack/codegen"
SCRATCH="$ROOT/.build-codegen"
PROTOS=(
  etcd/api/mvccpb/kv.proto
  etcd/api/authpb/auth.proto
  etcd/api/etcdserverpb/rpc.proto
)

# 1. protoc
if ! command -v protoc >/dev/null 2>&1; then
  echo "codegen: protoc not found; installing protobuf-compiler" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends protobuf-compiler
fi
echo "codegen: using $(protoc --version)"

# 2. plugins
for product in protoc-gen-swift protoc-gen-grpc-swift-2; do
  echo "codegen: building $product"
  swift build -c release \
    --package-path "$TOOL_PKG" \
    --scratch-path "$SCRATCH" \
    --product "$product"
done
BIN_DIR="$(swift build -c release --package-path "$TOOL_PKG" --scratch-path "$SCRATCH" --show-bin-path)"
PROTOC_GEN_SWIFT="$BIN_DIR/protoc-gen-swift"
PROTOC_GEN_GRPC="$BIN_DIR/protoc-gen-grpc-swift-2"
for plugin in "$PROTOC_GEN_SWIFT" "$PROTOC_GEN_GRPC"; do
  if [ ! -x "$plugin" ]; then
    echo "codegen: plugin not found at $plugin" >&2
    exit 1
  fi
done

# 3. generate into a fresh directory, then swap it in (removes stale files).
TMP_OUT="$(mktemp -d)"
trap 'rm -rf "$TMP_OUT"' EXIT

protoc \
  --plugin=protoc-gen-swift="$PROTOC_GEN_SWIFT" \
  --plugin=protoc-gen-grpc-swift-2="$PROTOC_GEN_GRPC" \
  --swift_out="$TMP_OUT" \
  --swift_opt=Visibility=Public,FileNaming=PathToUnderscores \
  --grpc-swift-2_out="$TMP_OUT" \
  --grpc-swift-2_opt=Visibility=Public,Server=true,Client=true,FileNaming=PathToUnderscores \
  -I "$PROTO_DIR" \
  "${PROTOS[@]}"

# Protos without a service (kv.proto, auth.proto) give .grpc.swift files with no
# declarations; drop them.
for f in "$TMP_OUT"/*.grpc.swift; do
  [ -e "$f" ] || continue
  if grep -q 'This file contained no services' "$f" \
    || ! grep -qE '^(public |internal |package )?(enum|struct|protocol|extension|final class|class) ' "$f"; then
    echo "codegen: dropping empty $(basename "$f")"
    rm -f "$f"
  fi
done

mkdir -p "$OUT_DIR"
find "$OUT_DIR" -maxdepth 1 -type f -name '*.swift' -delete
cp "$TMP_OUT"/*.swift "$OUT_DIR"/
echo "codegen: wrote"
ls -1 "$OUT_DIR"
