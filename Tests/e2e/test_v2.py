"""etcdctl's v2 API (`ETCDCTL_API=2`) end to end, against Debian's etcdctl 3.4 on real etcd 3.4 --enable-v2.

(a) ketch's etcdctl (`ketch ctl` and an `etcdctl` symlink) with ETCDCTL_API=2 against `ketch etcd`
    WITHOUT v2: the same sequence gives the same outputs as Debian's etcdctl 3.4 against etcd 3.4.
(b) Debian's etcdctl 3.4 with ETCDCTL_API=2 against `ketch etcd --enable-v2` (the v2 HTTP API):
    the same outputs as against etcd 3.4 --enable-v2.
(c) a `ketch init` state: `ETCDCTL_API=2 etcdctl ls /registry --recursive` over mTLS lists every
    /registry key and the directories between them.

Indexes are normalised (v2 indexes of etcd 3.4 and v3 revisions of ketch count differently), and
`ls` without `--sort` is compared as a set (etcd 3.4 lists a directory in random order).
"""

import os
import re
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import e2e_harness as h
from test_init import etcd_command, init, serve, stop, wait_healthy

# One step: (args after the global flags, optional label). Global flags (like -o json) go first,
# as etcdctl v2 (urfave/cli) needs them before the command.
SEQUENCE = [
    ["ls", "/"],
    ["mkdir", "/a"],
    ["mkdir", "/a"],
    ["ls", "/"],
    ["ls", "-p", "/"],
    ["ls", "/a"],
    ["set", "/a/b", "1"],
    ["mk", "/a/b", "2"],
    ["mk", "/a/c", "3"],
    ["get", "/a/b"],
    ["get", "/a"],
    ["get", "/nope"],
    ["ls", "/nope"],
    ["ls", "/nope/x/y"],
    ["ls", "--recursive", "/"],
    ["ls", "--recursive", "-p", "/"],
    ["ls", "--recursive", "--sort", "-p"],
    ["ls"],
    ["mkdir", "/a/d/e"],
    ["ls", "-r", "-p", "--sort", "/a"],
    ["update", "/a/b", "10"],
    ["update", "/a/zz", "10"],
    ["update", "/a", "10"],
    ["set", "/a", "5"],
    ["get", "-o", "json", "/a/b"],
    ["-o", "json", "get", "/a/b"],
    ["-o", "extended", "get", "/a/b"],
    ["-o", "json", "ls", "--sort", "/a"],
    ["-o", "extended", "ls", "/a"],
    ["-o", "json", "set", "/a/x", "y"],
    ["-o", "extended", "update", "/a/x", "z"],
    ["-o", "json", "mkdir", "/q"],
    ["rmdir", "/a"],
    ["rmdir", "/q"],
    ["rmdir", "/q"],
    ["rmdir", "/a/b"],
    ["rm", "/a/d"],
    ["rm", "--dir", "/a/d"],
    ["rm", "--dir", "/a/d/e"],
    ["rm", "--dir", "/a/d"],
    ["rm", "/a/c"],
    ["rm", "/a/c"],
    ["ls", "-p", "--sort", "/a"],
    ["rm", "/a", "--recursive"],
    ["ls", "/"],
    ["mk", "/k", "v"],
    ["mk", "/k", "v"],
    ["mk", "/k/x", "v"],
    ["set", "/k/x", "v"],
    ["get", "/k/x/y"],
    ["updatedir", "/k"],
    ["setdir", "/k"],
    ["setdir", "/newdir"],
    ["setdir", "/newdir"],
    ["updatedir", "/newdir"],
    ["rm", "/k"],
    ["rm", "-r", "/newdir"],
    ["set", "/deep/er/key", "v"],
    ["rm", "/deep/er/key"],
    ["ls", "-r", "-p", "--sort", "/deep"],
    ["set", "/s", "hello world"],
    ["get", "/s"],
    ["rm", "--with-value", "nope", "/s"],
    ["rm", "--with-value", "hello world", "/s"],
    ["set", "/t", "1"],
    ["set", "--swap-with-value", "2", "/t", "3"],
    ["set", "--swap-with-value", "1", "/t", "3"],
    ["get", "/t"],
    ["set", "--", "/dash", "-v"],
    ["get", "/dash"],
    ["mkdir"],
    ["get"],
    ["set", "/t"],
    ["ls", "/t"],
    ["-o", "json", "ls", "/t"],
    ["get", "/"],
    ["rm", "/"],
    ["mkdir", "/"],
    ["set", "/", "x"],
    ["ls", "--bogus", "/"],
    ["frob"],
    ["cluster-health"],
]

_INDEX_PATTERNS = [
    (re.compile(r"\[\d+\]$"), "[<I>]"),
    (re.compile(r"^(Index|Created-Index|Modified-Index): \d+$"), r"\1: <I>"),
    (re.compile(r'"(createdIndex|modifiedIndex)":\d+'), r'"\1":<I>'),
]


def normalise(args, text: str) -> str:
    lines = []
    for line in h.normalise(text).splitlines():
        for pat, rep in _INDEX_PATTERNS:
            line = pat.sub(rep, line)
        lines.append(line)
    if "ls" in args and "--sort" not in args and "-o" not in args:
        lines.sort()  # etcd 3.4 lists directories in map order
    return "\n".join(lines)


def run_v2(argv_prefix, endpoint, args, global_args=(), env=None):
    argv = list(argv_prefix) + ["--endpoints", endpoint] + list(global_args) + list(args)
    proc = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=30,
                          env=h._clean_env(dict({"ETCDCTL_API": "2"}, **(env or {}))))
    return h.Result(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


def transcript(argv_prefix, endpoint):
    out = []
    for args in SEQUENCE:
        r = run_v2(argv_prefix, endpoint, args)
        out.append("$ etcdctl %s\nrc=%s\n%s\n--- stderr\n%s" % (" ".join(args), r.rc, normalise(args, r.out),
                                                               normalise(args, r.err)))
    return out


def compare(ref, got, what):
    mismatches = []
    for r, g in zip(ref, got):
        if r != g:
            mismatches.append("etcd 3.4:\n%s\n%s:\n%s" % (r, what, g))
    assert not mismatches, "%d of %d steps differ:\n\n%s" % (len(mismatches), len(ref), "\n\n".join(mismatches))


@pytest.fixture(scope="module")
def etcdctl34():
    p = h.etcdctl34()
    if p is None:
        pytest.skip("Debian's etcdctl 3.4 not found (apt-get install etcd-client)")
    return str(p)


@pytest.fixture(scope="module")
def reference(tmp_path_factory, etcdctl34):
    """etcdctl 3.4 (API 2) against a fresh etcd 3.4 --enable-v2: the expected transcript."""
    if h.etcd34() is None:
        pytest.skip("Debian's etcd 3.4 not found (apt-get install etcd-server)")
    server = h.Server("etcd", tmp_path_factory.mktemp("ref"), "etcd34", extra_args=["--enable-v2"])
    server.prefix = [str(h.etcd34())]
    with server:
        return transcript([etcdctl34], server.endpoint)


@pytest.fixture
def ketch_bin(sut_ready):
    if h.self_mode():
        pytest.skip("needs a ketch binary (KETCH_E2E_SELF is set)")
    return os.environ["KETCH_BIN"]


@pytest.mark.parametrize("form", ["ketch-ctl", "etcdctl-symlink"])
def test_ketch_ctl_v2_over_v3(tmp_path, ketch_bin, reference, form):
    """(a) ketch's v2 client on the v3 key space of `ketch etcd` (no v2 API) behaves like etcdctl 3.4 on etcd 3.4."""
    if form == "ketch-ctl":
        prefix = [ketch_bin, "ctl"]
    else:
        (tmp_path / "bin").mkdir()
        (tmp_path / "bin" / "etcdctl").symlink_to(ketch_bin)
        prefix = [str(tmp_path / "bin" / "etcdctl")]
    server = h.Server("ketch", tmp_path, "ketch")
    with server:
        got = transcript(prefix, server.endpoint)
        # The v2 view is the v3 key space: files are keys, mkdir left a marker, rm kept /deep/er.
        keys = server.ctl(["get", "", "--from-key", "--keys-only"]).check("get --from-key")
        assert [k for k in keys.out.splitlines() if k] == ["/dash", "/deep/er/", "/k/", "/t"], keys.out
    compare(reference, got, form)


def test_etcdctl34_v2_on_ketch_enable_v2(tmp_path, ketch_bin, reference, etcdctl34):
    """(b) Debian's etcdctl 3.4 (API 2, over the v2 HTTP API) against `ketch etcd --enable-v2`."""
    server = h.Server("ketch", tmp_path, "ketch-v2", extra_args=["--enable-v2"])
    with server:
        got = transcript([etcdctl34], server.endpoint)
        # Both views agree: what v2 wrote is visible to ketch's v2-over-v3 client.
        mine = run_v2([ketch_bin, "ctl"], server.endpoint, ["ls", "-r", "-p", "--sort", "/"]).check("ketch ls")
        theirs = run_v2([etcdctl34], server.endpoint, ["ls", "-r", "-p", "--sort", "/"]).check("etcdctl ls")
        assert mine.out == theirs.out == "/dash\n/deep/\n/deep/er/\n/k/\n/t\n", (mine.out, theirs.out)
    compare(reference, got, "ketch etcd --enable-v2")


def test_v2_disabled_by_default(tmp_path, ketch_bin, etcdctl34):
    """Without --enable-v2 the v2 HTTP API is not served (as etcd 3.4/3.5), yet ketch's v2 client works."""
    server = h.Server("ketch", tmp_path, "ketch")
    with server:
        r = run_v2([etcdctl34], server.endpoint, ["--no-sync", "ls", "/"])
        assert r.rc != 0
        try:
            urllib.request.urlopen(server.endpoint + "/v2/keys/", timeout=5)
            raise AssertionError("/v2/keys/ answered")
        except urllib.error.HTTPError as e:
            assert e.code == 404
        assert run_v2([ketch_bin, "ctl"], server.endpoint, ["mkdir", "/x"]).rc == 0


def test_ls_registry_on_init_state(tmp_path, ketch_bin, etcdctl34):
    """(c) A `ketch init` state served by the etcd manifest's command (plus --enable-v2): the v2
    listing of /registry, through ketch's etcdctl link (v3 underneath) and through etcdctl 3.4
    (v2 HTTP API), with the kubeadm mTLS certificates."""
    state = tmp_path / "state"
    _, port, _ = init(state)
    pki = state / "kubernetes/pki"
    tls = ["--ca-file", str(pki / "etcd/ca.crt"), "--cert-file", str(pki / "apiserver-etcd-client.crt"),
           "--key-file", str(pki / "apiserver-etcd-client.key")]
    endpoint = "https://127.0.0.1:%d" % port
    (tmp_path / "bin").mkdir()
    link = tmp_path / "bin" / "etcdctl"
    link.symlink_to(ketch_bin)
    proc = serve([ketch_bin] + etcd_command(state) + ["--enable-v2"], tmp_path / "ketch-etcd.log")
    try:
        wait_healthy(state, port, proc)
        v3 = h.run_etcdctl("3.5", endpoint, ["get", "/registry", "--prefix", "--keys-only"], global_args=[
            "--cacert", str(pki / "etcd/ca.crt"), "--cert", str(pki / "apiserver-etcd-client.crt"),
            "--key", str(pki / "apiserver-etcd-client.key")]).check("v3 get")
        keys = [k for k in v3.out.splitlines() if k]
        assert len(keys) > 20

        listing = run_v2([str(link)], endpoint, ["ls", "/registry", "--recursive"], global_args=tls).check("v2 ls")
        lines = listing.out.splitlines()
        assert len(lines) == len(set(lines))
        for key in keys:
            assert key in lines, key
        for d in ["/registry/configmaps", "/registry/configmaps/kube-system", "/registry/namespaces",
                  "/registry/services/specs/default"]:
            assert d in lines, d
        assert "/registry/configmaps/kube-system/kubeadm-config" in lines
        # Directories come before what is in them, each directory's entries sorted.
        assert lines.index("/registry/configmaps") < lines.index("/registry/configmaps/kube-system") \
            < lines.index("/registry/configmaps/kube-system/kubeadm-config")
        dirs = run_v2([str(link)], endpoint, ["ls", "-p", "/registry"], global_args=tls).check("v2 ls -p")
        assert "/registry/configmaps/" in dirs.out.splitlines()
        value = run_v2([str(link)], endpoint, ["get", "/registry/configmaps/kube-system/kubeadm-config"],
                       global_args=tls).check("v2 get")
        assert "ClusterConfiguration" in value.out

        # The same through the v2 HTTP API, with Debian's etcdctl 3.4 and its v2 flag names from the environment.
        env = {"ETCDCTL_CA_FILE": str(pki / "etcd/ca.crt"), "ETCDCTL_CERT_FILE": str(pki / "apiserver-etcd-client.crt"),
               "ETCDCTL_KEY_FILE": str(pki / "apiserver-etcd-client.key")}
        theirs = run_v2([etcdctl34], endpoint, ["ls", "/registry", "--recursive", "--sort"], env=env).check("etcdctl 3.4 ls")
        mine = run_v2([str(link)], endpoint, ["ls", "/registry", "--recursive", "--sort"], env=env).check("ketch ls (env)")
        assert theirs.out == mine.out
        # Without a client certificate, nothing.
        refused = run_v2([str(link)], endpoint, ["ls", "/registry"], global_args=tls[:2])
        assert refused.rc != 0
    finally:
        stop(proc)


def test_indexes_are_v3_revisions_and_unreachable_endpoint(tmp_path, ketch_bin, etcdctl34):
    """modifiedIndex/createdIndex are the v3 mod/create revisions, whichever API wrote; a dead endpoint
    gives etcdctl 3.4's cluster error and exit code 2."""
    server = h.Server("ketch", tmp_path, "ketch-v2", extra_args=["--enable-v2"])
    with server:
        for client in ([ketch_bin, "ctl"], [etcdctl34]):
            run_v2(client, server.endpoint, ["set", "/rev", "x"]).check("set")
            run_v2(client, server.endpoint, ["update", "/rev", "y"]).check("update")
            v3 = server.ctl(["get", "/rev", "-w", "json"]).check("v3 get").json()["kvs"][0]
            got = run_v2(client, server.endpoint, ["-o", "json", "get", "/rev"]).check("v2 get").json()["node"]
            assert (got["createdIndex"], got["modifiedIndex"]) == (v3["create_revision"], v3["mod_revision"]), (got, v3)
            run_v2(client, server.endpoint, ["rm", "/rev"]).check("rm")
    dead = "http://127.0.0.1:%d" % h.free_ports(1)[0]
    theirs = run_v2([etcdctl34], dead, ["ls", "/"])
    mine = run_v2([ketch_bin, "ctl"], dead, ["ls", "/"])
    assert (mine.rc, mine.out, mine.err) == (theirs.rc, theirs.out, theirs.err) == (2, "", mine.err)
