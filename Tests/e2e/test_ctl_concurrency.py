"""`ketch ctl` lock, elect, make-mirror, check datascale and defrag --data-dir against etcdctl 3.5.1.

Four servers serve the whole module: a source and a destination of each kind (real etcd 3.5.1 and
`ketch etcd`). Each scenario runs with real etcdctl 3.5.1 and with `ketch ctl` -- and, for lock and
elect, with the two tools mixed, contending for the same lock or election -- against both kinds of
server; the reference is etcdctl against etcd. Outputs are compared after normalising what carries
lease IDs, revisions and IDs. Every process started here is killed at the end of the module.

make-mirror prints its count every 30 s only, so the mirrors start when the module does and the
last test reads their first count (the module takes a little over 30 s).
"""

from __future__ import annotations

import base64
import difflib
import json
import os
import re
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import e2e_harness as h
from test_ctl_basic import ketch_bin  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("sut_ready")

KINDS = ("etcd", "ketch")
TOOLS = ("etcdctl", "ketch")
REFERENCE = ("etcd", "etcdctl")

_live: list = []
_live_lock = threading.Lock()


class Proc:
    """A client process with its output in files (no pipe can fill up), in its own session."""

    def __init__(self, argv, directory: Path, label: str):
        self.label = label
        self.out_path = directory / (label + ".out")
        self.err_path = directory / (label + ".err")
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                         env=h._clean_env({"ETCDCTL_API": "3"}), start_new_session=True)
        with _live_lock:
            _live.append(self)

    @property
    def out(self) -> str:
        return self.out_path.read_bytes().decode("utf-8", "replace")

    @property
    def err(self) -> str:
        return self.err_path.read_bytes().decode("utf-8", "replace")

    def wait_output(self, lines: int, timeout: float = 10) -> str:
        """Waits until stdout has `lines` complete lines (or the process ended)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.out
            if text.count("\n") >= lines or self.proc.poll() is not None:
                return text
            time.sleep(0.05)
        return self.out

    def send(self, sig) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)

    def wait(self, timeout: float = 10):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return "did not end within %ss" % timeout

    def kill(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(10)


def _kill_all() -> None:
    with _live_lock:
        procs = list(_live)
        _live.clear()
    for p in procs:
        p.kill()


def run(argv, timeout: float = 20) -> h.Result:
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout,
                           env=h._clean_env({"ETCDCTL_API": "3"}))
    except subprocess.TimeoutExpired as e:
        return h.Result("timeout", (e.stdout or b"").decode("utf-8", "replace"), (e.stderr or b"").decode("utf-8", "replace"))
    return h.Result(p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"))


class Env:
    def __init__(self, base: Path, ketch: str):
        self.base = base
        self.ketch = ketch
        self.src = {k: h.Server(k, base, "src-" + k) for k in KINDS}
        self.dst = {k: h.Server(k, base, "dst-" + k) for k in KINDS}
        self.mirrors: dict = {}
        self.mirror_start = 0.0
        self.mirror_changes = 0  # changes made under each mirrored prefix after the copy

    def argv(self, tool: str, server: h.Server, *args) -> list:
        prefix = [str(h.etcd35_bin("etcdctl"))] if tool == "etcdctl" else [self.ketch, "ctl"]
        return prefix + ["--endpoints=" + server.endpoint, "--dial-timeout=2s", "--command-timeout=5s"] + list(args)

    def start(self, tool: str, server: h.Server, label: str, *args) -> Proc:
        return Proc(self.argv(tool, server, *args), self.base, label)

    def run(self, tool: str, server: h.Server, *args, timeout: float = 20) -> h.Result:
        return run(self.argv(tool, server, *args), timeout=timeout)


@pytest.fixture(scope="module")
def env(ketch_bin, tmp_path_factory):  # noqa: F811
    e = Env(tmp_path_factory.mktemp("concurrency"), ketch_bin)
    servers = list(e.src.values()) + list(e.dst.values())
    try:
        with ThreadPoolExecutor(len(servers)) as ex:
            for f in [ex.submit(s.start) for s in servers]:
                f.result()
        start_mirrors(e)
        yield e
    finally:
        _kill_all()
        for s in servers:
            s.stop()


# --------------------------------------------------------------------------
# Normalisation


def norm(text: str, names=(), stderr: bool = False) -> list:
    """Lease IDs in lock and election keys, JSON revisions and leases, then the harness's IDs."""
    for name in names:
        text = re.sub(re.escape(name) + r"/-?[0-9a-f]+", name + "/<LEASE>", text)
    out = []
    for line in text.splitlines():
        if line.startswith("{") and line.endswith("}"):
            try:
                line = _norm_json(json.loads(line), names)
            except ValueError:
                pass
        line = re.sub(r"^(ETCD_LOCK_REV=|rev=)\d+", r"\1<REV>", line)
        out.append(line)
    return h.normalise("\n".join(out) + ("\n" if text.endswith("\n") else ""), stderr=stderr).splitlines()


def _norm_json(o, names) -> str:
    o = dict(o)
    for kv in o.get("kvs", []):
        for f in ("create_revision", "mod_revision", "lease"):
            if f in kv:
                kv[f] = "<N>"
        if "key" in kv:
            key = base64.b64decode(kv["key"]).decode("utf-8", "replace")
            for name in names:
                key = re.sub(re.escape(name) + r"/-?[0-9a-f]+", name + "/<LEASE>", key)
            kv["key"] = key
    if "header" in o:
        o["header"] = {k: "<N>" for k in o["header"]}
    return json.dumps(o, sort_keys=True)


def compare(transcripts: dict, what: str) -> None:
    """transcripts: {(kind, tools...): [lines]}; the reference is the first key."""
    keys = list(transcripts)
    ref_key = keys[0]
    ref = transcripts[ref_key]
    reports = []
    for k in keys[1:]:
        if transcripts[k] != ref:
            diff = "\n".join(difflib.unified_diff(ref, transcripts[k], str(ref_key), str(k), lineterm="", n=3))
            reports.append(diff)
    if reports:
        raise AssertionError("%s: %d of %d runs differ from %s\n\n%s"
                             % (what, len(reports), len(keys) - 1, ref_key, "\n\n".join(reports))[:30000])


def result_lines(label: str, r: h.Result, names=()) -> list:
    return (["%s exit: %s" % (label, r.rc), "--- stdout ---"] + norm(r.out, names)
            + ["--- stderr ---"] + norm(r.err, names, stderr=True))


# --------------------------------------------------------------------------
# lock


def lock_scenario(e: Env, kind: str, holder: str, waiter: str, name: str) -> list:
    """`holder` takes the lock; `waiter` waits for it (and a third waiter, interrupted, gives up);
    the holder is stopped (SIGTERM) and the waiter gets the lock; SIGINT releases it."""
    srv = e.src[kind]
    t = []
    tag = "%s-%s" % (kind, name)
    a = e.start(holder, srv, tag + "-a", "lock", name)
    t.append("holder: " + " | ".join(norm(a.wait_output(2), [name])))
    b = e.start(waiter, srv, tag + "-b", "lock", name)
    q = e.start(waiter, srv, tag + "-q", "lock", name)
    # Both waiters are in line once their keys exist (their signal handlers are installed by then).
    deadline = time.monotonic() + 10
    while True:
        keys = e.run("etcdctl", srv, "get", "--prefix", name + "/", "--keys-only")
        if keys.out.count(name + "/") >= 3 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    time.sleep(0.5)
    t.append("waiter while held: %r, %r" % (b.out, b.proc.poll()))
    t.append("keys while held: %s" % norm(keys.out, [name]))
    # The lock's key is NAME/<holder's lease in hex>, attached to that lease.
    held = json.loads(e.run("etcdctl", srv, "get", "--prefix", name + "/", "--limit=1", "-w", "json").out)
    kv = held["kvs"][0]
    t.append("key is NAME/hex(lease): %s" % (base64.b64decode(kv["key"]).decode() == "%s/%x" % (name, kv["lease"])))
    q.send(signal.SIGINT)
    t.append("interrupted waiter exit: %s" % q.wait())
    t += ["interrupted waiter stdout: %r" % q.out] + norm(q.err, [name], stderr=True)
    a.send(signal.SIGTERM)
    t.append("holder exit: %s, stderr %r" % (a.wait(), a.err))
    t.append("waiter after release: " + " | ".join(norm(b.wait_output(2), [name])))
    left = e.run("etcdctl", srv, "get", "--prefix", name + "/", "--keys-only")
    t.append("keys after release: %s" % norm(left.out, [name]))
    b.send(signal.SIGINT)
    t.append("waiter exit: %s, stderr %r" % (b.wait(), b.err))
    t.append("keys at the end: %r" % e.run("etcdctl", srv, "get", "--prefix", name + "/", "--keys-only").out)
    return t


def test_lock_excludes_across_tools(env):
    combos = [(k, a, b) for k in KINDS for a in TOOLS for b in TOOLS]
    combos.sort(key=lambda c: (c[0], c[1], c[2]) != (REFERENCE[0], REFERENCE[1], REFERENCE[1]))
    with ThreadPoolExecutor(len(combos)) as ex:
        futures = {c: ex.submit(lock_scenario, env, c[0], c[1], c[2], "lk-%s-%s" % (c[1], c[2])) for c in combos}
        transcripts = {c: [l.replace("lk-%s-%s" % (c[1], c[2]), "NAME") for l in f.result()] for c, f in futures.items()}
    ref = transcripts[combos[0]]
    assert any("waiter after release: NAME/<LEASE>" in l for l in ref), ref
    compare(transcripts, "lock held by one tool, awaited by another")


LOCK_STEPS = [
    ("lock",),
    ("lock", "N", "--", "sh", "-c", "echo key=$ETCD_LOCK_KEY; echo rev=$ETCD_LOCK_REV; echo out; echo err >&2; exit 3"),
    ("lock", "N", "--", "true"),
    ("lock", "--ttl", "3", "N", "sh", "--", "-c", "exit 0"),
    ("lock", "N", "--", "sh", "-c", "kill -9 $$"),
    ("lock", "N", "no-such-command-here"),
    ("lock", "N", "./no/such/file"),
    ("lock", "N", "/"),
    ("lock", "--ttl", "x", "N"),
    ("get", "--prefix", "N/"),
]


def exec_scenario(e: Env, kind: str, tool: str, name: str) -> list:
    t = []
    for step in LOCK_STEPS:
        args = [name if a == "N" else a.replace("N/", name + "/") for a in step]
        r = e.run(tool, e.src[kind], *args)
        if step[:2] == ("lock", "--ttl") and step[2] == "x":
            t.append("bad --ttl exit: %s" % r.rc)  # etcdctl also prints its usage (see test_ctl_help)
            continue
        t += ["$ " + " ".join(step)] + result_lines("", r, [name])
    return t


def test_lock_runs_a_command(env):
    combos = [(k, tool) for k in KINDS for tool in TOOLS]
    with ThreadPoolExecutor(len(combos)) as ex:
        futures = {c: ex.submit(exec_scenario, env, c[0], c[1], "lx-%s" % c[1]) for c in combos}
        transcripts = {c: [l.replace("lx-%s" % c[1], "NAME") for l in f.result()] for c, f in futures.items()}
    ref = transcripts[REFERENCE]
    # etcdctl 3.5.1 exits with the command's status (255 when a signal ended it) and reports it.
    assert "key=NAME/<LEASE>" in ref and "Error: exit status 3" in ref and " exit: 3" in ref, ref
    assert " exit: 255" in ref and "Error: signal: killed" in ref, ref
    compare(transcripts, "lock NAME -- command")


def test_lock_json_output(env):
    transcripts = {}
    for kind in KINDS:
        for tool in TOOLS:
            name = "lj-%s" % tool
            p = env.start(tool, env.src[kind], name + "-%s" % kind, "lock", name, "-w", "json")
            out = p.wait_output(1)
            p.send(signal.SIGTERM)
            rc = p.wait()
            transcripts[(kind, tool)] = [l.replace(name, "NAME") for l in norm(out, [name])] + ["exit %s %r" % (rc, p.err)]
    compare(transcripts, "lock -w json")


# --------------------------------------------------------------------------
# elect


def elect_scenario(e: Env, kind: str, observer: str, first: str, second: str, name: str) -> list:
    srv = e.src[kind]
    t = []
    tag = "%s-%s" % (kind, name)
    o = e.start(observer, srv, tag + "-o", "elect", "-l", name)
    time.sleep(0.5)  # the observer is watching before the first candidate comes (it sees it either way)
    c1 = e.start(first, srv, tag + "-c1", "elect", name, "one")
    t.append("first: " + " | ".join(norm(c1.wait_output(2), [name])))
    c2 = e.start(second, srv, tag + "-c2", "elect", name, "two")
    deadline = time.monotonic() + 10
    while e.run("etcdctl", srv, "get", "--prefix", name + "/", "--keys-only").out.count(name + "/") < 2:
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)
    time.sleep(0.5)
    t.append("second while first leads: %r" % c2.out)
    c1.send(signal.SIGINT)
    t.append("first exit: %s %r" % (c1.wait(), c1.err))
    t.append("second: " + " | ".join(norm(c2.wait_output(2), [name])))
    t.append("observer: " + " | ".join(norm(o.wait_output(4), [name])))
    c2.send(signal.SIGTERM)
    t.append("second exit: %s %r" % (c2.wait(), c2.err))
    time.sleep(0.3)
    o.send(signal.SIGINT)
    t.append("observer exit: %s %r" % (o.wait(), o.err))
    t.append("observer saw: " + " | ".join(norm(o.out, [name])))
    t.append("keys at the end: %r" % e.run("etcdctl", srv, "get", "--prefix", name + "/", "--keys-only").out)
    return t


def test_elect_two_candidates_and_an_observer(env):
    roles = [("etcdctl", "etcdctl", "etcdctl"), ("ketch", "ketch", "ketch"),
             ("ketch", "etcdctl", "ketch"), ("etcdctl", "ketch", "etcdctl")]
    combos = [(k,) + r for k in KINDS for r in roles]
    with ThreadPoolExecutor(len(combos)) as ex:
        futures = {c: ex.submit(elect_scenario, env, *c, "el-%s-%s-%s" % c[1:]) for c in combos}
        transcripts = {c: [l.replace("el-%s-%s-%s" % c[1:], "NAME") for l in f.result()] for c, f in futures.items()}
    ref = transcripts[combos[0]]
    assert "observer saw: NAME/<LEASE> | one | NAME/<LEASE> | two" in ref, ref
    compare(transcripts, "elect")


def test_elect_arguments(env):
    transcripts = {}
    for kind in KINDS:
        for tool in TOOLS:
            t = []
            for args in (["elect"], ["elect", "n"], ["elect", "-l", "n", "p"], ["elect", "a", "b", "c"],
                         ["elect", "n", "p", "--listen"], ["elect", "n", "-l=false"]):
                t += ["$ " + " ".join(args)] + result_lines("", env.run(tool, env.src[kind], *args))
            transcripts[(kind, tool)] = t
    compare(transcripts, "elect argument errors")


# --------------------------------------------------------------------------
# make-mirror


# Each tool mirrors its own source prefix to its own destination prefix (both kinds of server).
MIRROR_PREFIX = {"etcdctl": ("mA/", "dA/"), "ketch": ("mB/", "dB/")}


def start_mirrors(e: Env) -> None:
    for kind in KINDS:
        for tool, (src_prefix, _) in MIRROR_PREFIX.items():
            for k, v in (("k1", "v1"), ("k2", "v2"), ("sub/k3", "v3")):
                e.run("etcdctl", e.src[kind], "put", src_prefix + k, v).check("put")
        e.run("etcdctl", e.src[kind], "put", "unrelated", "x").check("put")
    e.mirror_start = time.monotonic()
    for kind in KINDS:
        for tool, (src_prefix, dst_prefix) in MIRROR_PREFIX.items():
            e.mirrors[(kind, tool)] = e.start(
                tool, e.src[kind], "mirror-%s-%s" % (kind, tool), "make-mirror", "--prefix", src_prefix,
                "--dest-prefix", dst_prefix, e.dst[kind].endpoint)


def dest_state(e: Env, kind: str, tool: str) -> list:
    """(key, value, version, mod revision) under the tool's destination prefix (`D/` for it)."""
    dst_prefix = MIRROR_PREFIX[tool][1]
    r = e.run("etcdctl", e.dst[kind], "get", "--prefix", dst_prefix, "-w", "json")
    kvs = json.loads(r.out).get("kvs", [])
    return [(base64.b64decode(kv["key"]).decode().replace(dst_prefix, "D/", 1),
             base64.b64decode(kv.get("value", "")).decode(), kv.get("version"), kv.get("mod_revision")) for kv in kvs]


def wait_dest(e: Env, want: list, timeout: float = 10) -> dict:
    """Waits until every destination holds `want` (key, value, version); returns the states."""
    deadline = time.monotonic() + timeout
    while True:
        states = {(k, t): dest_state(e, k, t) for k in KINDS for t in TOOLS}
        if all([x[:3] for x in s] == want for s in states.values()) or time.monotonic() > deadline:
            return states
        time.sleep(0.2)


def test_make_mirror_syncs_then_follows(env):
    copied = [("D/k1", "v1", 1), ("D/k2", "v2", 1), ("D/sub/k3", "v3", 1)]
    states = wait_dest(env, copied)
    assert all([x[:3] for x in s] == copied for s in states.values()), states
    for kind in KINDS:
        for tool, (p, _) in MIRROR_PREFIX.items():
            s = env.src[kind]
            env.run("etcdctl", s, "put", p + "k4", "v4").check("put")
            env.run("etcdctl", s, "del", p + "k1").check("del")
            # One transaction: a put, an update and a delete at one revision.
            txn = subprocess.run(env.argv("etcdctl", s, "txn"), input=(
                "\nput %sk5 v5\nput %sk2 v2b\ndel %ssub/k3\n\n\n" % (p, p, p)).encode(), capture_output=True,
                env=h._clean_env({"ETCDCTL_API": "3"}), timeout=10)
            assert txn.returncode == 0, txn
            env.run("etcdctl", s, "put", "unrelated", "y").check("put")
    followed = [("D/k2", "v2b", 2), ("D/k4", "v4", 1), ("D/k5", "v5", 1)]
    states = wait_dest(env, followed)
    assert all([x[:3] for x in s] == followed for s in states.values()), states
    # The source transaction reached each destination as one transaction (one revision).
    for key, state in states.items():
        revs = {x[0]: x[3] for x in state}
        assert revs["D/k2"] == revs["D/k5"] != revs["D/k4"], (key, state)
    # Nothing else reached the destinations.
    for kind in KINDS:
        keys = env.run("etcdctl", env.dst[kind], "get", "", "--from-key", "--keys-only").out.split()
        assert sorted(keys) == sorted(["dA/k2", "dA/k4", "dA/k5", "dB/k2", "dB/k4", "dB/k5"]), (kind, keys)
    env.mirror_changes = 5  # k4 put, k1 deleted, and the transaction's three changes
    for (kind, tool), p in env.mirrors.items():
        assert p.proc.poll() is None, (kind, tool, p.out, p.err)


def test_make_mirror_arguments(env):
    transcripts = {}
    for kind in KINDS:
        for tool in TOOLS:
            t = []
            for args in (["make-mirror"], ["make-mirror", "a", "b"],
                         ["make-mirror", "--dest-prefix", "x/", "--no-dest-prefix", env.dst[kind].endpoint]):
                t += ["$ " + " ".join(args[:3])] + result_lines("", env.run(tool, env.src[kind], *args))
            transcripts[(kind, tool)] = t
    compare(transcripts, "make-mirror argument errors")


# --------------------------------------------------------------------------
# defrag --data-dir, check datascale


def _norm_defrag(text: str) -> list:
    out = []
    for line in text.splitlines():
        if line.startswith('{"level":"warn"'):
            # The Go client's retry warning for an unreachable endpoint: ketch ctl leaves it out
            # (as test_ctl_basic's unreachable cases allow).
            continue
        m = re.match(r"^\S+\t(\w+)\t(\S+)\t([^\t]+)\t(\{.*\})$", line)
        if m:
            fields = re.findall(r'"([^"]+)": ', m.group(4))
            line = "<TS>\t%s\t%s\t%s\t%s" % (m.group(1), m.group(2), m.group(3), fields)
        out.append(h.normalise(line, stderr=True))
    return out


def test_defrag_data_dir(env, tmp_path):
    """Offline defragmentation: refused while the server holds the data dir; afterwards it logs as
    etcd's backend does and (as etcdctl 3.5.1 does) goes on to defragment the endpoints too."""
    dead = "127.0.0.1:%d" % h.free_ports(1)[0]
    transcripts = {}
    for kind in KINDS:
        srv = h.Server(kind, tmp_path, "defrag-" + kind)
        srv.start()
        try:
            for i in range(20):
                srv.ctl(["put", "k%d" % i, "x" * 4000]).check("put")
            srv.ctl(["del", "k", "--prefix"]).check("del")
            srv.ctl(["put", "keep", "me"]).check("put")
            if kind == "ketch":
                busy = run([env.ketch, "ctl", "--endpoints=" + dead, "defrag", "--data-dir", str(srv.data_dir)])
                assert busy.rc == 1 and "in use" in busy.err and "omit --data-dir" in busy.err, busy
        finally:
            srv.stop()
        for tool in TOOLS:
            ctl = [str(h.etcd35_bin("etcdctl"))] if tool == "etcdctl" else [env.ketch, "ctl"]
            if (tool == "etcdctl") != (kind == "etcd"):
                continue  # each tool defragments its own server's files
            r = run(ctl + ["--endpoints=" + dead, "--command-timeout=2s", "defrag", "--data-dir", str(srv.data_dir)])
            t = ["exit: %s" % r.rc, "--- stdout ---"] + r.out.splitlines() + ["--- stderr ---"] + _norm_defrag(r.err)
            transcripts[(kind, tool)] = t
            missing = run(ctl + ["--endpoints=" + dead, "defrag", "--data-dir", str(tmp_path / "nothing-here")])
            assert missing.rc == 2 and "failed to open database" in missing.err, (tool, missing)
        srv.start()
        try:
            assert srv.ctl(["get", "keep", "--print-value-only"]).check("get").out == "me\n"
        finally:
            srv.stop()
    ref = transcripts[("etcd", "etcdctl")]
    assert any("defragmenting" in l for l in ref), ref
    compare(transcripts, "defrag --data-dir")


def test_check_datascale_refusals(env):
    transcripts = {}
    for kind in KINDS:
        for tool in TOOLS:
            s = env.src[kind]
            t = []
            t += ["$ --load x"] + result_lines("", env.run(tool, s, "check", "datascale", "--load", "x"))
            env.run("etcdctl", s, "put", "/ds-%s/k" % tool, "v").check("put")
            t += ["$ prefix in use"] + [l.replace("/ds-%s/" % tool, "/P/") for l in result_lines(
                "", env.run(tool, s, "check", "datascale", "--prefix", "/ds-%s/" % tool))]
            transcripts[(kind, tool)] = t
    compare(transcripts, "check datascale refusals")


# --------------------------------------------------------------------------
# make-mirror's count (last: it comes 30 s after the mirrors started)


def test_make_mirror_prints_its_count(env):
    remaining = env.mirror_start + 30.5 - time.monotonic()
    if remaining > 0:
        time.sleep(remaining)
    deadline = env.mirror_start + 40
    while time.monotonic() < deadline and not all("\n" in p.out for p in env.mirrors.values()):
        time.sleep(0.1)
    transcripts = {}
    for (kind, tool), p in env.mirrors.items():
        p.send(signal.SIGTERM)
        rc = p.wait()
        transcripts[(kind, tool)] = ["exit: %s" % rc, "stdout: %r" % p.out, "stderr: %r" % p.err]
    ordered = {REFERENCE: transcripts.pop(REFERENCE)}
    ordered.update(transcripts)
    # 3 keys copied, then the changes made since.
    assert ordered[REFERENCE][1] == "stdout: %r" % ("%d\n" % (3 + env.mirror_changes)), ordered[REFERENCE]
    compare(ordered, "make-mirror's count")
