"""`ketch ctl` (and ketch run as `etcdctl` through a symlink) against etcdctl 3.5.1.

Each client drives its own fresh `ketch etcd` through the same command sequence, so the
server side is identical and only the clients differ; stdout, stderr and exit codes must
agree after the harness's normalisation (member/cluster IDs, ports, durations, timestamps).
Plaintext and mutual TLS, plus an etcdctl command line run through `sh -c` with
ETCDCTL_API=3 and ETCDCTL_ENDPOINTS from the environment.
"""

from __future__ import annotations

import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Optional, Sequence

import pytest

import e2e_harness as h

pytestmark = pytest.mark.usefixtures("sut_ready")


@pytest.fixture(scope="module")
def ketch_bin() -> str:
    if h.self_mode():
        pytest.skip("ketch ctl needs a ketch binary (KETCH_E2E_SELF is set)")
    return os.environ["KETCH_BIN"]


@pytest.fixture
def etcdctl_link(tmp_path, ketch_bin) -> Path:
    """A directory holding `etcdctl` -> ketch."""
    d = tmp_path / "linkbin"
    d.mkdir()
    (d / "etcdctl").symlink_to(ketch_bin)
    return d


def real_etcdctl_dir() -> Path:
    return h.etcd35_dir()


def run(argv_prefix: Sequence[str], endpoint: str, args: Sequence[str], stdin=None,
        global_args: Sequence[str] = (), stream: Optional[float] = None) -> h.Result:
    argv = list(argv_prefix) + ["--endpoints=" + endpoint, "--dial-timeout=2s", "--command-timeout=5s"] + \
        list(global_args) + list(args)
    data = stdin.encode() if isinstance(stdin, str) else stdin
    env = h._clean_env({"ETCDCTL_API": "3"})
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE if data is not None else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        out, err = proc.communicate(data, timeout=stream if stream else 30)
        rc = proc.returncode
    except subprocess.TimeoutExpired:
        proc.terminate()
        out, err = proc.communicate(timeout=10)
        rc = "stopped" if stream else "timeout"
    return h.Result(rc, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))


CLIENTS = ("etcdctl-3.5.1", "ketch-ctl", "etcdctl-symlink")


def prefix_for(client: str, ketch_bin: str, link_dir: Path) -> list:
    if client == "etcdctl-3.5.1":
        return [str(h.etcd35_bin("etcdctl"))]
    if client == "ketch-ctl":
        return [ketch_bin, "ctl"]
    return [str(link_dir / "etcdctl")]


S = h.S

BASIC = [
    S("put", "foo", "bar"),
    S("put", "foo/a", "1"),
    S("put", "foo/b", "2", "-w", "json"),
    S("put", "foo", "baz", "--prev-kv"),
    S("put", "foo/c", "3", "--prev-kv", "-w", "fields"),
    S("put", "fromstdin", stdin="line1\nline2\n"),
    S("put", "tab", "a\"b\tc\x01é"),
    S("get", "foo"),
    S("get", "foo", "--prefix"),
    S("get", "foo", "--prefix", "--keys-only"),
    S("get", "foo", "--prefix", "--limit=2"),
    S("get", "foo", "--prefix", "--limit", "2", "-w", "json"),
    S("get", "foo", "--prefix", "-w", "json", "--keys-only"),
    S("get", "foo", "--prefix", "-w", "fields"),
    S("get", "foo", "--prefix", "--count-only", "-w", "fields"),
    S("get", "foo", "--prefix", "--count-only"),
    S("get", "foo", "--prefix", "--sort-by=MODIFY", "--order=DESCEND"),
    S("get", "foo", "--prefix", "--print-value-only"),
    S("get", "foo", "--prefix", "--print-value-only", "-w", "json"),
    S("get", "foo", "--prefix", "--hex"),
    S("get", "tab", "-w", "fields"),
    S("get", "fromstdin", "-w", "json"),
    S("get", "", "--from-key", "--limit", "2", "-w", "json"),
    S("get", "", "--prefix", "--keys-only"),
    S("get", "foo/a", "foo/c"),
    S("get", "foo", "--rev=2"),
    S("get", "foo", "--consistency=s"),
    S("get", "foo", "--consistency=x"),
    S("get", "foo", "--sort-by=bogus"),
    S("get", "foo", "--order=bogus"),
    S("get", "foo", "-w", "table"),
    S("get", "foo", "-w", "bogus"),
    S("get", "nothing", "-w", "json"),
    S("get", ""),
    S("get"),
    S("put", "k"),
    S("put", "", "x"),
    S("-w", "json", "get", "foo", "--prefix", "--limit=1"),
    S("del", "foo/a", "--prev-kv"),
    S("del", "foo/b", "-w", "json"),
    S("del", "nothing"),
    S("del", "foo", "--prefix", "-w", "fields", "--prev-kv"),
    S("del", "foo", "--prefix", "--from-key"),
    S("get", "foo", "--prefix", "--rev", "3", "-w", "json"),
    S("watch", "foo", "--prefix", "--rev", "2", stream=2),
    S("watch", "foo", "--prefix", "--rev", "2", "-w", "json", stream=2),
    S("watch", "foo", "--prev-kv", "--rev", "5", stream=2),
    S("endpoint", "health"),
    S("endpoint", "health", "-w", "json"),
    S("endpoint", "health", "-w", "fields"),
    S("member", "list"),
    S("member", "list", "-w", "json"),
    S("member", "list", "-w", "fields"),
    S("endpoint", "status", "-w", "fields"),
    S("version"),
]


def run_sequence(client: str, server: h.Server, steps, ketch_bin: str, link_dir: Path,
                 global_args: Sequence[str] = ()) -> list:
    prefix = prefix_for(client, ketch_bin, link_dir)
    return [run(prefix, server.endpoint, st.args, stdin=st.stdin, global_args=global_args, stream=st.stream)
            for st in steps]


_EXTRA = [
    (re.compile(r'^("Took" : )[0-9.]+(ns|µs|us|ms|s|m|h)+'), r'\1<DURATION>'),  # endpoint health -w fields
    (re.compile(r'^("Leader" : )(\d+|<HEX_ID>)$'), r'\1<MEMBER_ID>'),                        # endpoint status -w fields
]


def _norm(text: str, stderr: bool = False) -> list:
    lines = h.normalise(text, stderr=stderr).splitlines()
    for pat, rep in _EXTRA:
        lines = [pat.sub(rep, l) for l in lines]
    return lines


def render(r: h.Result) -> list:
    return ["exit: %s" % r.rc, "--- stdout ---"] + _norm(r.out) + ["--- stderr ---"] + _norm(r.err, stderr=True)


def compare(steps, results: dict, base: Path) -> None:
    ref = results["etcdctl-3.5.1"]
    reports = []
    for client, res in results.items():
        h.write_transcript(base / ("transcript-%s.txt" % client), steps, res)
        if client == "etcdctl-3.5.1":
            continue
        for i, (st, a, b) in enumerate(zip(steps, ref, res)):
            ra, rb = render(a), render(b)
            if ra != rb:
                import difflib
                diff = "\n".join(difflib.unified_diff(ra, rb, "etcdctl 3.5.1", client, lineterm="", n=2))
                reports.append("%s, step %d: $ %s\n%s" % (client, i + 1, st.display(), diff))
    if reports:
        raise AssertionError("%d differences:\n\n%s" % (len(reports), "\n\n".join(reports))[:30000])


def differential(tmp_path: Path, ketch_bin: str, link_dir: Path, steps, scheme="http", server_args=(),
                 global_args=(), prepare=None) -> None:
    servers = {c: h.Server("ketch", tmp_path, "srv-" + c, scheme=scheme, extra_args=server_args,
                           ctl_args=list(global_args)) for c in CLIENTS}
    try:
        with ThreadPoolExecutor(len(CLIENTS)) as ex:
            for f in [ex.submit(s.start) for s in servers.values()]:
                f.result()
            if prepare:
                for s in servers.values():
                    prepare(s)
            futures = {c: ex.submit(run_sequence, c, servers[c], steps, ketch_bin, link_dir, global_args)
                       for c in CLIENTS}
            results = {c: f.result() for c, f in futures.items()}
        compare(steps, results, tmp_path)
    finally:
        for s in servers.values():
            s.stop()


def test_basic_plaintext(tmp_path, ketch_bin, etcdctl_link):
    differential(tmp_path, ketch_bin, etcdctl_link, BASIC)


def test_compacted_watch_and_errors(tmp_path, ketch_bin, etcdctl_link):
    def prepare(s: h.Server):
        for v in ("1", "2", "3", "4"):
            s.ctl(["put", "w", v]).check()
        s.ctl(["compaction", "4"]).check()

    steps = [
        S("watch", "w", "--rev", "2", stream=3),
        S("watch", "w", "--rev", "2", "-w", "json", stream=3),
        S("watch", "w", "--rev", "4", stream=2),
        S("get", "w", "--rev", "2"),
        S("get", "w", "--rev", "99"),
        S("get", "w", "-w", "json"),
    ]
    differential(tmp_path, ketch_bin, etcdctl_link, steps, prepare=prepare)


def test_mtls(tmp_path, ketch_bin, etcdctl_link):
    pki = h.make_pki(tmp_path / "pki")
    steps = [
        S("put", "/registry/a", "1"),
        S("put", "/registry/b", "2"),
        S("get", "/", "--prefix", "--keys-only", "--limit=10"),
        S("get", "/", "--prefix", "-w", "json"),
        S("del", "/registry/a"),
        S("endpoint", "health"),
        S("member", "list"),
    ]
    differential(tmp_path, ketch_bin, etcdctl_link, steps, scheme="https", server_args=pki.server_flags(),
                 global_args=pki.client_flags("root"))


def test_unreachable_and_bad_certificates(tmp_path, ketch_bin, etcdctl_link):
    pki = h.make_pki(tmp_path / "pki")
    server = h.Server("ketch", tmp_path, "tls", scheme="https", extra_args=pki.server_flags(),
                      ctl_args=pki.client_flags("root"))
    dead = "127.0.0.1:%d" % h.free_ports(1)[0]
    cases = [
        (dead, ["get", "a"]),
        (dead, ["endpoint", "health"]),
        (server.endpoint, ["get", "a", "--cacert", pki.ca]),           # no client certificate
        (server.endpoint, ["get", "a", *pki.client_flags("other-ca")]),
    ]
    try:
        server.start()
        for endpoint, args in cases:
            outs = [run(prefix_for(c, ketch_bin, etcdctl_link), endpoint, args, global_args=["--command-timeout=2s"])
                    for c in CLIENTS]
            ref = outs[0]
            for c, r in zip(CLIENTS[1:], outs[1:]):
                assert (r.rc, h.normalise(r.out)) == (ref.rc, h.normalise(ref.out)), (c, args, r, ref)
                ref_err = [l for l in ref.err.splitlines() if l.startswith("Error:") or "unhealthy" in l]
                got_err = [l for l in r.err.splitlines() if l.startswith("Error:") or "unhealthy" in l]
                assert [h.normalise(l) for l in got_err] == [h.normalise(l) for l in ref_err], (c, args, r.err, ref.err)
    finally:
        server.stop()


def test_sh_c_with_environment(tmp_path, ketch_bin, etcdctl_link):
    """`ETCDCTL_API=3 etcdctl get / --prefix --keys-only --limit=10 --cacert … --cert … --key …` run
    through `sh -c`, with the endpoint from ETCDCTL_ENDPOINTS, and `etcdctl` first on PATH."""
    pki = h.make_pki(tmp_path / "pki")
    servers = {c: h.Server("ketch", tmp_path, "sh-" + c, scheme="https", extra_args=pki.server_flags(),
                           ctl_args=pki.client_flags("root")) for c in ("etcdctl-3.5.1", "etcdctl-symlink")}
    cmd = "ETCDCTL_API=3 etcdctl get / --prefix --keys-only --limit=10 --cacert %s --cert %s --key %s" % (
        pki.ca, pki.path("root.crt"), pki.path("root.key"))
    outs = {}
    try:
        for label, s in servers.items():
            s.start()
            for k in ("/registry/pods/default/a", "/registry/pods/default/b", "/x"):
                s.ctl(["put", k, "v"]).check()
            path_dir = real_etcdctl_dir() if label == "etcdctl-3.5.1" else etcdctl_link
            env = h._clean_env({"PATH": "%s:%s" % (path_dir, os.environ.get("PATH", "")),
                                "ETCDCTL_ENDPOINTS": s.endpoint})
            env.pop("ETCDCTL_API", None)
            p = subprocess.run(["sh", "-c", cmd], env=env, capture_output=True, timeout=30)
            outs[label] = (p.returncode, p.stdout.decode(), p.stderr.decode())
    finally:
        for s in servers.values():
            s.stop()
    ref, got = outs["etcdctl-3.5.1"], outs["etcdctl-symlink"]
    assert ref[0] == 0 and ref[1] == "/registry/pods/default/a\n\n/registry/pods/default/b\n\n/x\n\n", ref
    assert got[:2] == ref[:2], (got, ref)


def test_api_version_environment(ketch_bin, etcdctl_link):
    # ETCDCTL_API=2 is etcdctl's v2 client (see test_v2.py): `version` is not one of its
    # commands there, as with etcdctl 3.4; --version is.
    for api, want_rc in (("3", 0), ("2", 3), ("4", 1)):
        env = h._clean_env({"ETCDCTL_API": api})
        p = subprocess.run([ketch_bin, "ctl", "version"], env=env, capture_output=True, timeout=10)
        assert p.returncode == want_rc, (api, p)
        if api == "4":
            assert b"unsupported API version: 4" in p.stderr
        elif api == "2":
            assert b"No help topic for 'version'" in p.stdout + p.stderr
        else:
            assert p.stdout == b"etcdctl version: 3.5.1\nAPI version: 3.5\n"
