#!/usr/bin/env bash
# Regenerates Sources/KubeCore/OpenAPI/Generated/KubeOpenAPIDefinitionsData.swift: kube-apiserver
# 1.33's OpenAPI definitions, from PyPI kubernetes-validate's 1.33.0 schemas (hack/openapi/).
#
# - makes a virtualenv in <repo>/.build-openapi (git-ignored) and installs the pinned package;
# - converts the schemas back to kube's swagger form and writes the Swift file.
# Idempotent; runnable from any working directory. The output is committed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source hack/lib/common.sh

VENV="$ROOT/.build-openapi"
PACKAGE="kubernetes-validate==1.37.0"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" 2>/dev/null || { ensure_apt python3-venv; python3 -m venv "$VENV"; }
fi
"$VENV/bin/pip" install -q "$PACKAGE"
"$VENV/bin/python" hack/openapi/gen-openapi.py Sources/KubeCore/OpenAPI/Generated/KubeOpenAPIDefinitionsData.swift
