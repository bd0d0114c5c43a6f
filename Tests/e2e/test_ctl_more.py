"""`ketch ctl` txn/compaction/lease/member/alarm/defrag/hashkv/move-leader/auth/user/role/watch -- and
-w protobuf, against etcdctl 3.5.1.

The reference is etcdctl 3.5.1 against a fresh real etcd 3.5.1. The same steps then run with
`ketch ctl` and with the `etcdctl` symlink to ketch, each against its own fresh real etcd 3.5.1
(the clients alone differ), and with `ketch ctl` against a fresh `ketch etcd`. stdout, stderr and
exit codes must agree after normalisation (IDs, ports, durations, TTL countdowns, hashes).
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import e2e_harness as h
from test_ctl_basic import etcdctl_link, ketch_bin, prefix_for, run  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("sut_ready")

S = h.S

# (client, server kind) of each run; the first is the reference.
RUNS = (("etcdctl-3.5.1", "etcd"), ("ketch-ctl", "etcd"), ("etcdctl-symlink", "etcd"), ("ketch-ctl", "ketch"))

_EXTRA = [
    (re.compile(r'^("Took" : )[0-9.]+(ns|µs|us|ms|s|m|h)+'), r'\1<DURATION>'),
    # A leader ID of 12-16 decimal digits has already been taken for a hex ID by h.normalise.
    (re.compile(r'^("Leader" : )(\d+|<HEX_ID>)$'), r'\1<MEMBER_ID>'),
    (re.compile(r'^("ID" : )\d+'), r'\1<ID>'),
    (re.compile(r'"(id|ID)":\d+'), r'"\1":<ID>'),
    (re.compile(r'remaining\(\d+s\)'), 'remaining(<TTL>)'),
    (re.compile(r'"ttl":\d+'), '"ttl":<TTL>'),
    (re.compile(r'^("TTL" : )\d+'), r'\1<TTL>'),
    (re.compile(r'"hash":\d+'), '"hash":<HASH>'),
    (re.compile(r'^("Hash" : )\d+'), r'\1<HASH>'),
    (re.compile(r', \d{5,}$'), ', <HASH>'),
    (re.compile(r'\| \d{5,} \|'), '| <HASH> |'),
    (re.compile(r'^AuthRevision: \d+'), 'AuthRevision: <REV>'),
    (re.compile(r'^("(DBSize|RaftIndex|RaftAppliedIndex)" : )\d+'), r'\1<N>'),
    (re.compile(r'"authRevision":\d+'), '"authRevision":<REV>'),
]


def _norm(text: str, stderr: bool = False) -> list:
    lines = h.normalise(text, stderr=stderr).splitlines()
    for pat, rep in _EXTRA:
        lines = [pat.sub(rep, l) for l in lines]
    out = []
    for l in lines:
        # member add: a random member ID (`%16x` pads it) that also orders the initial cluster.
        l = re.sub(r'^Member +<HEX_ID>', 'Member <HEX_ID>', l)
        # ... and the cluster's ID, `%16x` too: its padding depends on the (random) ID.
        l = re.sub(r'to cluster +<HEX_ID>', 'to cluster <HEX_ID>', l)
        m = re.match(r'^ETCD_INITIAL_CLUSTER="(.*)"$', l)
        if m:
            l = 'ETCD_INITIAL_CLUSTER="%s"' % ",".join(sorted(m.group(1).split(",")))
        out.append(l)
    return out


def render(r: h.Result) -> list:
    return ["exit: %s" % r.rc, "--- stdout ---"] + _norm(r.out) + ["--- stderr ---"] + _norm(r.err, stderr=True)


LEASE = re.compile(r'lease ([0-9a-f]{16}) granted')


def run_sequence(client: str, server: h.Server, steps, ketch_bin: str, link_dir: Path) -> list:
    prefix = prefix_for(client, ketch_bin, link_dir)
    results, lease = [], "0"
    for st in steps:
        args = [a.replace("{LEASE}", lease) for a in st.args]
        r = run(prefix, server.endpoint, args, stdin=st.stdin, global_args=server.ctl_args, stream=st.stream)
        m = LEASE.search(r.out)
        if m:
            lease = m.group(1)
        results.append(r)
    return results


def differential(tmp_path: Path, ketch_bin: str, link_dir: Path, steps, runs=RUNS, prepare=None) -> None:
    servers = [h.Server(kind, tmp_path, "srv-%d-%s-%s" % (i, client, kind)) for i, (client, kind) in enumerate(runs)]
    try:
        with ThreadPoolExecutor(len(runs)) as ex:
            for f in [ex.submit(s.start) for s in servers]:
                f.result()
            if prepare:
                for s in servers:
                    prepare(s)
            futures = [ex.submit(run_sequence, client, s, steps, ketch_bin, link_dir)
                       for (client, _), s in zip(runs, servers)]
            results = [f.result() for f in futures]
    finally:
        for s in servers:
            s.stop()
    ref = results[0]
    reports = []
    import difflib
    for (client, kind), res in zip(runs, results):
        h.write_transcript(tmp_path / ("transcript-%s-%s.txt" % (client, kind)), steps, res)
    for (client, kind), res in list(zip(runs, results))[1:]:
        for i, (st, a, b) in enumerate(zip(steps, ref, res)):
            ra, rb = render(a), render(b)
            if st.only is not None and kind not in st.only:
                continue  # a server difference by design (Ketch has one member and no membership changes)
            if ra != rb:
                diff = "\n".join(difflib.unified_diff(ra, rb, "etcdctl 3.5.1 / etcd 3.5.1", "%s / %s" % (client, kind),
                                                      lineterm="", n=2))
                reports.append("%s against %s, step %d: $ %s\n%s" % (client, kind, i + 1, st.display(), diff))
    if reports:
        raise AssertionError("%d differences:\n\n%s" % (len(reports), "\n\n".join(reports))[:30000])


def txn_in(compares=(), success=(), failure=()) -> str:
    return h.txn_input(compares, success, failure)


TXN = txn_in(['value("a") = "1"', 'mod("a") > "0"'],
             ["put k2 v2 --prev-kv", "get a", "get k --prefix --limit=1", "del k3 --prev-kv", "del nothing"],
             ["put x y"])
TXN_FAIL = txn_in(['ver("a") = "7"', 'c("a") > "0"', 'val("a") != "x"', 'version("a") < "5"', 'create("a") > "0"',
                   'm("a") > "0"'], ["put never 1"], ["get a --keys-only", "get a --count-only", 'get "" --prefix --keys-only',
                                                      "put b 2 --lease=0", "get k --prefix --sort-by=KEY --order=DESCEND"])

LEASES = [
    S("put", "a", "1"),
    S("lease", "grant", "100"),
    S("put", "k1", "v1", "--lease={LEASE}"),
    S("lease", "timetolive", "{LEASE}"),
    S("lease", "timetolive", "{LEASE}", "--keys"),
    S("lease", "timetolive", "{LEASE}", "--keys", "-w", "json"),
    S("lease", "timetolive", "{LEASE}", "--keys", "-w", "fields"),
    S("lease", "timetolive", "{LEASE}", "-w", "table"),
    S("lease", "list"),
    S("lease", "list", "-w", "json"),
    S("lease", "list", "-w", "fields"),
    S("lease", "keep-alive", "--once", "{LEASE}"),
    S("lease", "keep-alive", "--once", "{LEASE}", "-w", "json"),
    S("lease", "keep-alive", "--once", "{LEASE}", "-w", "fields"),
    S("lease", "keep-alive", "{LEASE}", stream=1.5),
    S("lease", "keep-alive", "--once", "1234"),
    S("lease", "keep-alive", "1234"),
    S("lease", "timetolive", "1234"),
    S("lease", "timetolive", "1234", "-w", "json"),
    S("lease", "revoke", "{LEASE}", "-w", "json"),
    S("lease", "revoke", "{LEASE}"),
    S("get", "k1"),
    S("lease", "grant", "60", "-w", "json"),
    S("lease", "grant", "60", "-w", "fields"),
    S("lease", "grant", "60", "-w", "table"),
    S("lease", "revoke", "{LEASE}"),
    S("lease", "grant"),
    S("lease", "grant", "x"),
    S("lease", "revoke"),
    S("lease", "revoke", "zz"),
    S("lease", "timetolive", "zz"),
    S("lease", "keep-alive"),
]

TXNS = [
    S("put", "a", "1"),
    S("put", "k3", "v3"),
    S("txn", stdin=TXN),
    S("put", "k3", "v3"),
    S("txn", "-w", "json", stdin=TXN),
    S("put", "k3", "v3"),
    S("txn", "-w", "fields", stdin=TXN),
    S("txn", "--hex", stdin=TXN),
    S("txn", stdin=TXN_FAIL),
    S("txn", "-w", "json", stdin=TXN_FAIL),
    S("txn", "-i", stdin=txn_in(['value("a") = "1"'], ["get a"], [])),
    S("txn", "--interactive", "-w", "fields", stdin=txn_in([], ["get a"], [])),
    S("txn", "-w", "table", stdin=TXN),
    S("txn", stdin="bogus\n\n\n\n"),
    S("txn", stdin='mod("a") > "x"\n\n\n\n'),
    S("txn", stdin='foo("a") = "1"\n\n\n\n'),
    S("txn", stdin='mod("a" > "1"\n\n\n\n'),
    S("txn", stdin='mod(a) > "1"\n\n\n\n'),
    S("txn", stdin='\nput a\n\n\n'),
    S("txn", stdin='\nfoo a\n\n\n'),
    S("txn", stdin='\nget\n\n\n'),
    S("txn", stdin='\nput a b\n'),
    S("txn", stdin=''),
    S("txn", "extra", stdin=''),
    S("compaction", "3"),
    S("compaction", "3", "--physical"),
    S("compaction", "1000"),
    S("compaction", "7", "--physical", "-w", "json"),
    S("compaction"),
    S("compaction", "x"),
    S("get", "k2", "--rev=2"),
]

MAINTENANCE = [
    S("put", "a", "1"),
    S("put", "b", "2"),
    S("alarm", "list"),
    S("alarm", "list", "-w", "json"),
    S("alarm", "list", "-w", "fields"),
    S("alarm", "list", "-w", "table"),
    S("alarm", "disarm"),
    S("alarm", "disarm", "-w", "json"),
    S("defrag"),
    S("defrag", "--cluster"),
    S("endpoint", "hashkv"),
    S("endpoint", "hashkv", "-w", "json"),
    S("endpoint", "hashkv", "-w", "fields"),
    S("endpoint", "hashkv", "-w", "table"),
    S("endpoint", "hashkv", "--cluster"),
    S("endpoint", "hashkv", "-w", "protobuf"),
    S("compaction", "2"),
    S("endpoint", "hashkv", "--rev", "1"),
    S("endpoint", "status", "--cluster", "-w", "fields"),
    S("endpoint", "health", "--cluster"),
    S("member", "remove", "1234", only={"etcd"}),
    S("member", "update", "1234", "--peer-urls=http://1.2.3.4:5", only={"etcd"}),
    S("member", "promote"),
    S("member", "update", "1234"),
    S("member", "remove", "zz"),
    S("member", "remove"),
    S("member", "add", "x", "--peer-urls=bogus"),
    S("member", "add", "x"),
    S("member", "add"),
    S("move-leader", "1234"),
    S("move-leader"),
    S("move-leader", "zz"),
    S("check", "perf", "--load=bogus"),
    S("--insecure-transport=true", "--insecure-discovery", "get", "a"),
    S("endpoint", "health", "-w", "protobuf"),
    S("member", "add", "n2", "--peer-urls=http://127.0.0.1:1", only={"etcd"}),
]

AUTH = [
    S("auth", "status"),
    S("auth", "status", "-w", "json"),
    S("auth", "status", "-w", "fields"),
    S("auth", "enable"),
    S("user", "add", "root", "--new-user-password=rootpw"),
    S("user", "add", "alice:pw", "-w", "json"),
    S("user", "add", "bob", "--interactive=false", stdin="bobpw\n"),
    S("user", "add", ":x"),
    S("user", "add", "carol", "--no-password"),
    S("user", "add"),
    S("user", "add", "root:x"),
    S("user", "add", "dave", stdin="pw\npw\n"),
    S("user", "add", "eve", stdin="pw\npx\n"),
    S("user", "add", "fay", stdin="\n"),
    S("user", "list"),
    S("user", "list", "-w", "json"),
    S("user", "list", "-w", "fields"),
    S("user", "get", "alice"),
    S("user", "get", "nobody"),
    S("role", "add", "r1"),
    S("role", "add", "r1"),
    S("role", "list"),
    S("role", "list", "-w", "fields"),
    S("role", "grant-permission", "r1", "readwrite", "/a"),
    S("role", "grant-permission", "r1", "read", "/b", "--prefix"),
    S("role", "grant-permission", "r1", "write", "/c", "/d"),
    S("role", "grant-permission", "r1", "read", "/e", "--from-key"),
    S("role", "grant-permission", "r1", "bogus", "/e"),
    S("role", "grant-permission", "r1", "read"),
    S("role", "grant-permission", "r1", "read", "/x", "/y", "--prefix"),
    S("role", "get", "r1"),
    S("role", "get", "r1", "-w", "json"),
    S("role", "get", "r1", "-w", "fields"),
    S("user", "grant-role", "alice", "r1"),
    S("user", "grant-role", "alice", "nope"),
    S("user", "get", "alice"),
    S("user", "get", "alice", "--detail"),
    S("user", "get", "alice", "-w", "json"),
    S("user", "revoke-role", "alice", "r1"),
    S("role", "revoke-permission", "r1", "/a"),
    S("role", "revoke-permission", "r1", "/b", "--prefix"),
    S("role", "revoke-permission", "r1", "/c", "/d"),
    S("role", "revoke-permission", "r1", "/e", "--from-key"),
    S("role", "revoke-permission", "r1", "/zz"),
    S("user", "passwd", "alice", "--interactive=false", stdin="np\n"),
    S("user", "passwd", "dave", stdin="a\na\n"),
    S("user", "delete", "bob"),
    S("role", "delete", "r1"),
    S("user", "delete"), S("user", "get"), S("user", "list", "x"), S("user", "passwd"),
    S("user", "grant-role", "a"), S("user", "revoke-role", "a"), S("role", "add"), S("role", "delete"),
    S("role", "get"), S("role", "list", "x"), S("role", "revoke-permission", "r"),
    S("auth", "enable", "x"), S("auth", "disable", "x"), S("auth", "status", "x"),
    S("auth", "enable"),
    S("auth", "enable"),
    S("--user", "root:rootpw", "auth", "status"),
    S("user", "list"),
    S("--user", "root:rootpw", "user", "list"),
    S("--user", "root:rootpw", "auth", "disable"),
    S("auth", "disable", "-w", "json"),
]

HOOK = 'echo "rev=$ETCD_WATCH_REVISION type=$ETCD_WATCH_EVENT_TYPE key=$ETCD_WATCH_KEY value=$ETCD_WATCH_VALUE"'

WATCH = [
    S("put", "w", "1"),
    S("put", "w", "two words"),
    S("del", "w"),
    S("watch", "w", "--rev", "1", "--", "sh", "-c", HOOK, stream=2),
    S("watch", "--rev", "1", "w", "--prev-kv", "--", "sh", "-c", HOOK, stream=2),
    S("watch", "w", "--rev", "1", "--", "sh", "-c", "exit 3", stream=3),
    S("watch", "w", "--rev", "1", "--", "no-such-command-xyz", stream=3),
    S("watch", "w", "--"),
    S("watch", "-i", stdin="\nbogus\nwatch\nwatch a b --prefix\n"),
]


def test_lease(tmp_path, ketch_bin, etcdctl_link):
    differential(tmp_path, ketch_bin, etcdctl_link, LEASES)


def test_txn_and_compaction(tmp_path, ketch_bin, etcdctl_link):
    differential(tmp_path, ketch_bin, etcdctl_link, TXNS)


def test_maintenance_and_members(tmp_path, ketch_bin, etcdctl_link):
    differential(tmp_path, ketch_bin, etcdctl_link, MAINTENANCE)


def test_auth_user_role(tmp_path, ketch_bin, etcdctl_link):
    differential(tmp_path, ketch_bin, etcdctl_link, AUTH)


def test_watch_exec_and_interactive(tmp_path, ketch_bin, etcdctl_link):
    differential(tmp_path, ketch_bin, etcdctl_link, WATCH)


def test_watch_interactive_streams(tmp_path, ketch_bin, etcdctl_link):
    """`watch -i` with stdin kept open: two watches started from stdin print their events."""
    outs = {}
    for client, kind in RUNS:
        server = h.Server(kind, tmp_path, "wi-%s-%s" % (client, kind))
        try:
            server.start()
            for v in ("1", "2"):
                server.ctl(["put", "w", v]).check()
            server.ctl(["put", "x/1", "a"]).check()
            argv = prefix_for(client, ketch_bin, etcdctl_link) + ["--endpoints=" + server.endpoint, "watch", "-i"]
            p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 env=h._clean_env({"ETCDCTL_API": "3"}))
            p.stdin.write(b"watch w --rev 2\n")
            p.stdin.flush()
            threading.Event().wait(1.5)
            p.stdin.write(b"watch x --prefix --rev 1\n")
            p.stdin.flush()
            threading.Event().wait(1.5)
            # End of stdin ends `watch -i`; close it here so communicate() does not flush a
            # pipe the child may already have closed.
            try:
                p.stdin.close()
            except (BrokenPipeError, ValueError):
                pass
            p.stdin = None
            out, err = p.communicate(timeout=10)
            outs[(client, kind)] = (p.returncode, out.decode(), _norm(err.decode(), stderr=True))
        finally:
            server.stop()
    ref = outs[RUNS[0]]
    for key, got in outs.items():
        assert got == ref, (key, got, ref)


def test_protobuf_bytes_same_server(tmp_path, ketch_bin, etcdctl_link):
    """-w protobuf prints the response message's bytes: both clients against one real etcd, read-only."""
    server = h.Server("etcd", tmp_path, "pb")
    steps = [
        ["get", "a", "-w", "protobuf"],
        ["get", "", "--prefix", "-w", "protobuf"],
        ["member", "list", "-w", "protobuf"],
        ["alarm", "list", "-w", "protobuf"],
        ["user", "list", "-w", "protobuf"],
        ["role", "list", "-w", "protobuf"],
        ["role", "get", "r", "-w", "protobuf"],
        ["auth", "status", "-w", "protobuf"],
        ["lease", "list", "-w", "protobuf"],
        ["lease", "timetolive", "1234", "-w", "protobuf"],
        ["txn", "-w", "protobuf"],
    ]
    try:
        server.start()
        server.ctl(["put", "a", "1"]).check()
        server.ctl(["put", "b", "2"]).check()
        server.ctl(["role", "add", "r"]).check()
        server.ctl(["role", "grant-permission", "r", "read", "/x", "--prefix"]).check()
        for args in steps:
            stdin = txn_in(['value("a") = "1"'], ["get a", "get b"], []) if args[0] == "txn" else None
            outs = []
            for client in ("etcdctl-3.5.1", "ketch-ctl", "etcdctl-symlink"):
                argv = prefix_for(client, ketch_bin, etcdctl_link) + ["--endpoints=" + server.endpoint] + args
                p = subprocess.run(argv, input=stdin.encode() if stdin else b"", capture_output=True, timeout=30,
                                   env=h._clean_env({"ETCDCTL_API": "3"}))
                outs.append((p.returncode, p.stdout))
            assert outs[0][0] == 0 and outs[0][1], (args, outs[0])
            assert outs[1] == outs[0] and outs[2] == outs[0], (args, outs)
    finally:
        server.stop()


# slow: about 65 s
def test_check_perf_small(tmp_path, ketch_bin, etcdctl_link):
    """`check perf --load=s` (60 s of 150 puts/s): the result lines' shapes, and an exit code that
    agrees with the verdict. Whether a run passes depends on the machine's load, so PASS and FAIL
    are not compared: performance is measured by hack/bench.sh, not asserted here."""
    def verdict(text: str) -> str:
        found = re.findall(r'^(?:PASS|FAIL)$', text.replace("\r", "\n"), re.M)
        return found[-1] if found else ""

    def shape(text: str) -> list:
        # Which checks the report names; their wording depends on the verdict.
        return [name for name in ("Throughput", "Slowest request", "Stddev") if name in text]

    runs = [("etcdctl-3.5.1", "etcd"), ("ketch-ctl", "etcd"), ("ketch-ctl", "ketch")]
    servers = [h.Server(kind, tmp_path, "perf-%s-%s" % (c, kind)) for c, kind in runs]

    def one(client, server):
        argv = prefix_for(client, ketch_bin, etcdctl_link) + ["--endpoints=" + server.endpoint, "check", "perf",
                                                               "--load=s"]
        p = subprocess.run(argv, capture_output=True, timeout=150, env=h._clean_env({"ETCDCTL_API": "3"}))
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

    try:
        with ThreadPoolExecutor(len(runs)) as ex:
            for f in [ex.submit(s.start) for s in servers]:
                f.result()
            results = [f.result() for f in [ex.submit(one, c, s) for (c, _), s in zip(runs, servers)]]
    finally:
        for s in servers:
            s.stop()
    ref = results[0]
    assert shape(ref[1]), ref
    for (c, kind), got in zip(runs, results):
        assert verdict(got[1]) in ("PASS", "FAIL"), (c, kind, got)
        assert got[0] == (0 if verdict(got[1]) == "PASS" else 1), (c, kind, got)
    for (c, kind), got in zip(runs[1:], results[1:]):
        assert shape(got[1]) == shape(ref[1]), (c, kind, got, ref)
