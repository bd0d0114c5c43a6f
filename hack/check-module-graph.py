#!/usr/bin/env python3
"""Checks the target graph against the boundaries in docs/module-graph.md.

Reads `swift package dump-package` (the manifest as JSON, no build needed), computes each
target's transitive dependencies within the package, and fails with the offending path when
a rule is broken. Run from the repository root; hack/test.sh runs it before building.
"""
import json
import subprocess
import sys

# target -> targets it must not reach, even transitively
FORBIDDEN = {
    "GoText": ["EtcdKeySpace", "EtcdProto", "KubeCore", "KetchStore"],
    "EtcdKeySpace": ["GoText", "EtcdProto", "KetchStore", "CSQLite"],
    "EtcdServerConfig": ["EtcdAPI", "KetchStore", "CSQLite", "EtcdClient"],
    "KetchUp": ["EtcdAPI", "KetchStore", "CSQLite", "EtcdClient", "KetchAPIServer"],
    "EtcdProto": ["EtcdAPI", "KetchStore", "CSQLite"],
    "EtcdClient": ["EtcdAPI", "KetchStore", "CSQLite"],
    "EtcdV2": ["EtcdAPI", "KetchStore", "CSQLite", "EtcdClient"],
    "KetchCtl": ["EtcdAPI", "KetchStore", "CSQLite"],
    "ketch-bench": ["EtcdAPI", "KetchStore", "CSQLite"],
    "KetchAPIServer": ["EtcdAPI", "KetchStore", "CSQLite"],
    "KetchBootstrap": ["EtcdAPI", "KetchStore", "CSQLite", "EtcdClient"],
    "KetchStore": ["EtcdProto", "EtcdAPI", "EtcdClient", "KubeCore"],
    "KubeCore": ["EtcdProto", "EtcdAPI", "KetchStore", "EtcdClient", "KetchAPIServer"],
    "KetchPKI": ["EtcdAPI", "KetchStore", "KubeCore"],
    # The controllers, scheduler and simulated kubelet are apiserver clients only.
    "KubeClient": ["EtcdAPI", "KetchStore", "CSQLite", "EtcdClient", "KetchAPIServer", "KetchPKI"],
    "KetchControllers": ["EtcdAPI", "KetchStore", "CSQLite", "EtcdClient", "KetchAPIServer", "KetchBootstrap"],
}


def main() -> int:
    manifest = json.loads(subprocess.check_output(["swift", "package", "dump-package"], text=True))
    deps = {}
    for target in manifest["targets"]:
        names = []
        for dep in target.get("dependencies", []):
            for kind in ("byName", "target"):
                if kind in dep:
                    names.append(dep[kind][0])
        deps[target["name"]] = names

    def paths_from(start):
        """Every package target reachable from `start`, with one path to it."""
        seen = {start: [start]}
        stack = [start]
        while stack:
            node = stack.pop()
            for nxt in deps.get(node, []):
                if nxt in deps and nxt not in seen:
                    seen[nxt] = seen[node] + [nxt]
                    stack.append(nxt)
        return seen

    failures = []
    for target, banned in FORBIDDEN.items():
        if target not in deps:
            failures.append(f"{target}: no such target in Package.swift")
            continue
        reach = paths_from(target)
        for b in banned:
            if b in reach:
                failures.append(f"{target} must not depend on {b}: " + " -> ".join(reach[b]))
    for line in failures:
        print("module graph: " + line, file=sys.stderr)
    if not failures:
        print(f"module graph: {len(FORBIDDEN)} boundary rules hold over {len(deps)} targets")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
