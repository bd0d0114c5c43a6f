"""Per-command help of `ketch ctl` (and ketch run as `etcdctl` through a symlink) against etcdctl 3.5.1.

For every command path ketch ctl serves -- the root, each command, each group -- and each way of
asking (`CMD --help`, `CMD -h`, `help CMD`, a group alone, flags around the command), etcdctl 3.5.1,
`ketch ctl` and the `etcdctl` symlink must print the same bytes on stdout and stderr and exit
with the same code. No server is needed: etcdctl prints help without dialing.

ketch ctl serves every etcdctl 3.5.1 command (lock, elect, make-mirror and check datascale
included), so every listing must match etcdctl's byte for byte.

Deliberate differences (checked below as such, so that they stay deliberate):
  * when etcdctl fails (unknown command, bad flag) it prints its error twice and the command's
    usage on stdout; ketch ctl prints the error once with no usage. Those cases are compared on
    exit code only.
"""

from __future__ import annotations

import difflib
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import e2e_harness as h
from test_ctl_basic import ketch_bin  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("sut_ready")

GROUPS = ("alarm", "auth", "check", "endpoint", "lease", "member", "role", "snapshot", "user")

# Every runnable command (as listed by `etcdctl --help`): ketch ctl serves them all.
COMMANDS = (
    "alarm disarm", "alarm list", "auth disable", "auth enable", "auth status", "check datascale", "check perf",
    "compaction", "defrag", "del", "elect", "endpoint hashkv", "endpoint health", "endpoint status", "get", "help",
    "lease grant", "lease keep-alive", "lease list", "lease revoke", "lease timetolive", "lock", "make-mirror",
    "member add", "member list", "member promote", "member remove", "member update", "move-leader", "put",
    "role add", "role delete", "role get", "role grant-permission", "role list", "role revoke-permission",
    "snapshot restore", "snapshot save", "snapshot status", "txn", "user add", "user delete", "user get",
    "user grant-role", "user list", "user passwd", "user revoke-role", "version", "watch",
)


def _cases():
    """(id, argv after the program, compare stderr too)."""
    out = []

    def add(args, stderr=True):
        out.append((" ".join(args) or "(none)", list(args), stderr))

    for path in COMMANDS + GROUPS:
        words = path.split()
        add(words + ["--help"])
        add(words + ["-h"])
        add(["help"] + words)
    for g in GROUPS:
        add([g])                                  # a group alone: its help
        add([g, "no-such-subcommand"])            # cobra: still the group's help
        add(["help", g, "no-such-subcommand"])
        add([g, "--help", "list"])                # --help takes `list` while cobra looks for the command
    # The root.
    for args in ([], ["--help"], ["-h"], ["help"], ["--hex"], ["-w", "json"], ["--help", "get"],
                 ["-h", "member"], ["--help=true"]):
        add(args)
    add(["help", "no-such-command"])              # "Unknown help topic" on stderr, root usage on stdout
    add(["help", "foo", "bar"])
    # Flags and arguments around the command.
    for args in (["get", "--help=true"], ["get", "--help=1"], ["get", "foo", "bar", "-h"], ["-w", "json", "get", "--help"],
                 ["--hex", "member", "list", "-h"], ["--endpoints=127.0.0.1:1", "put", "k", "v", "--help"],
                 ["member", "list", "extra", "--help"], ["--help=true", "get"], ["--help", "--", "get"],
                 ["help", "--", "get"], ["help", "get", "-w", "json"], ["help", "-h"], ["help", "--help", "get"],
                 ["help", "help"], ["help", "member", "list", "extra"],
                 ["endpoint", "--cluster", "health", "--help"], ["endpoint", "status", "--cluster", "-h"],
                 ["txn", "-ih"], ["snapshot", "restore", "f", "--data-dir", "d", "--help"],
                 ["lock", "name", "--ttl=3", "-h"], ["elect", "-lh"], ["make-mirror", "--prefix", "p", "--help"],
                 ["check", "datascale", "--load", "m", "-h"]):
        add(args)
    # etcdctl fails; ketch ctl must fail too (see the module docstring for why only the code).
    for args in (["no-such-command", "--help"], ["-h", "get", "foo"], ["--help", "member", "list"],
                 ["get", "--help", "--no-such-flag"], ["get", "--help=maybe"], ["help", "get", "--no-such-flag"],
                 ["--dial-timeout=x", "get", "--help"]):
        add(args, stderr=False)
    return out


CASES = _cases()
CLIENTS = ("etcdctl-3.5.1", "ketch-ctl", "etcdctl-symlink")


def _run(argv):
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, env=h._clean_env(), timeout=10)
    except subprocess.TimeoutExpired:
        return "timeout", "", ""
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def results(ketch_bin, tmp_path_factory):  # noqa: F811
    """Every case run by every client, in parallel: {(case id, client): (rc, stdout, stderr)}."""
    link = tmp_path_factory.mktemp("linkbin") / "etcdctl"
    link.symlink_to(ketch_bin)
    prefixes = {"etcdctl-3.5.1": [str(h.etcd35_bin("etcdctl"))], "ketch-ctl": [ketch_bin, "ctl"],
                "etcdctl-symlink": [str(link)]}
    jobs = [(cid, c, prefixes[c] + args) for cid, args, _ in CASES for c in CLIENTS]
    with ThreadPoolExecutor(max_workers=16) as pool:
        outs = list(pool.map(lambda j: _run(j[2]), jobs))
    return {(cid, c): o for (cid, c, _), o in zip(jobs, outs)}


def _diff(a: str, b: str) -> str:
    return "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True), "etcdctl", "ketch", n=1))[:4000]


@pytest.mark.parametrize("cid,args,stderr", CASES, ids=[c[0] for c in CASES])
def test_help_matches_etcdctl(results, cid, args, stderr):
    ref = results[(cid, "etcdctl-3.5.1")]
    want_out = ref[1] if ref[0] == 0 else None
    for client in CLIENTS[1:]:
        got = results[(cid, client)]
        assert got[0] == ref[0], (client, args, got, ref)
        if want_out is None:
            continue
        assert got[1] == want_out, "%s %s: stdout differs\n%s" % (client, args, _diff(want_out, got[1]))
        if stderr:
            assert got[2] == ref[2], "%s %s: stderr differs\n%s" % (client, args, _diff(ref[2], got[2]))


def test_command_list_is_etcdctls(results):
    """COMMANDS and GROUPS are what etcdctl 3.5.1 lists; ketch's root help lists COMMANDS."""
    root = results[("--help", "etcdctl-3.5.1")][1]
    block = root.split("\nCOMMANDS:\n", 1)[1].split("\n\n", 1)[0]
    listed = [re.split(r"\t+", line.strip("\t"), 1)[0] for line in block.splitlines()]
    assert sorted(listed) == sorted(COMMANDS), listed
    assert sorted({c.split()[0] for c in listed if " " in c}) == sorted(GROUPS)
    ketch_root = results[("--help", "ketch-ctl")][1]
    ketch_block = ketch_root.split("\nCOMMANDS:\n", 1)[1].split("\n\n", 1)[0]
    assert [re.split(r"\t+", line.strip("\t"), 1)[0] for line in ketch_block.splitlines()] == sorted(COMMANDS)
