"""`kubectl exec` over SPDY/3.1, as kubectl 1.27–1.30 speaks it (`Upgrade: SPDY/3.1`,
`X-Stream-Protocol-Version: v4.channel.k8s.io`), beside the WebSocket protocol newer kubectl uses."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time

import pytest

import e2e_harness as h
from kube_cluster import Cluster, kubectl_path

pytestmark = pytest.mark.skipif(kubectl_path() is None, reason="kubectl is not installed (it comes with the image)")

SPDY_VERSIONS = ["1.27", "1.30"]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, sut_ready):
    c = Cluster(tmp_path_factory.mktemp("kube"))
    try:
        c.start()
        yield c
    finally:
        c.stop()


def need(version: str) -> None:
    if kubectl_path(version) is None:
        pytest.skip("kubectl.%s not found beside kubectl" % version)


def ok(r: h.Result) -> h.Result:
    assert r.rc == 0, "rc=%s\nstdout:\n%s\nstderr:\n%s" % (r.rc, r.out, r.err)
    return r


def pod(cluster: Cluster) -> str:
    return "etcd-" + cluster.node


@pytest.mark.parametrize("version", SPDY_VERSIONS)
def test_exec_stdout_stderr_and_exit_code(cluster, version):
    need(version)
    r = ok(cluster.kubectl("exec", pod(cluster), "-n", "kube-system", "--", "sh", "-c", "echo hello", version=version))
    assert r.out == "hello\n", r
    r = cluster.kubectl("exec", pod(cluster), "-n", "kube-system", "--", "sh", "-c", "echo out; echo err >&2; exit 3",
                        version=version)
    assert r.rc == 3 and r.out == "out\n" and "err" in r.err and "out" not in r.err, r
    # Output larger than one DATA frame arrives whole and in order.
    r = ok(cluster.kubectl("exec", pod(cluster), "-n", "kube-system", "--", "sh", "-c",
                           "i=0; while [ $i -lt 20000 ]; do echo line$i; i=$((i+1)); done", version=version))
    lines = r.out.splitlines()
    assert len(lines) == 20000 and lines[0] == "line0" and lines[-1] == "line19999", len(lines)


@pytest.mark.parametrize("version", SPDY_VERSIONS)
def test_exec_stdin(cluster, version):
    need(version)
    r = ok(cluster.kubectl("exec", "-i", pod(cluster), "-n", "kube-system", "--", "cat", stdin="abc\n", version=version))
    assert r.out == "abc\n", r
    # The user's pipeline, literally.
    p = subprocess.run("echo abc | %s exec -i %s -n kube-system -- cat" % (kubectl_path(version), pod(cluster)),
                       shell=True, capture_output=True, text=True, env=cluster.env(), timeout=60)
    assert p.returncode == 0 and p.stdout == "abc\n", p.stdout + p.stderr
    big = "".join("row %d\n" % i for i in range(50000))
    r = ok(cluster.kubectl("exec", "-i", pod(cluster), "-n", "kube-system", "--", "wc", "-l", stdin=big, version=version))
    assert r.out.strip() == "50000", r


def test_exec_kubeadm_paths_and_etcdctl(cluster):
    need("1.27")
    cmd = ("ETCDCTL_API=3 etcdctl get / --prefix --keys-only --limit=3 --cacert /etc/kubernetes/pki/etcd/ca.crt "
           "--cert /etc/kubernetes/pki/etcd/server.crt --key /etc/kubernetes/pki/etcd/server.key")
    r = ok(cluster.kubectl("exec", pod(cluster), "-n", "kube-system", "--", "sh", "-c", cmd, version="1.27"))
    keys = [l for l in r.out.splitlines() if l]
    assert len(keys) == 3 and all(k.startswith("/registry/") for k in keys), r.out


def test_exec_errors(cluster):
    need("1.27")
    r = cluster.kubectl("exec", "nope", "-n", "kube-system", "--", "true", version="1.27")
    assert r.rc != 0 and 'pods "nope" not found' in r.err, r
    r = cluster.kubectl("exec", pod(cluster), "-n", "kube-system", "--", "no-such-command", version="1.27")
    assert r.rc != 0 and "executable file not found" in r.err, r
    # Authorization applies as to any request: a user without pods/exec is refused.
    conf = cluster.user_kubeconfig("spdy-nobody")
    r = cluster.kubectl("exec", pod(cluster), "-n", "kube-system", "--", "true", version="1.27", kubeconfig=conf)
    assert r.rc != 0 and "forbidden" in r.err.lower(), r


def test_exec_tty(cluster):
    need("1.27")
    argv = [kubectl_path("1.27"), "exec", "-it", pod(cluster), "-n", "kube-system", "--", "sh", "-c",
            "test -t 0 && echo is-a-tty; stty size; exit 4"]
    master, slave = pty.openpty()
    p = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=cluster.env(), close_fds=True)
    os.close(slave)
    out = b""
    deadline = time.time() + 30
    while time.time() < deadline:
        r, _, _ = select.select([master], [], [], 0.5)
        if r:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        elif p.poll() is not None:
            break
    rc = p.wait(timeout=10)
    os.close(master)
    text = out.decode(errors="replace")
    assert "is-a-tty" in text and rc == 4, (rc, text)


def test_newer_kubectl_still_uses_websocket(cluster):
    need("1.33")
    r = ok(cluster.kubectl("exec", "-v=8", pod(cluster), "-n", "kube-system", "--", "sh", "-c", "echo hello",
                           version="1.33"))
    assert r.out == "hello\n", r
    assert "websocket" in r.err.lower() and "SPDY/3.1" not in r.err, r.err[-3000:]
    r = cluster.kubectl("exec", pod(cluster), "-n", "kube-system", "--", "sh", "-c", "echo out; echo err >&2; exit 3",
                        version="1.33")
    assert r.rc == 3 and r.out == "out\n" and "err" in r.err, r
    r = ok(cluster.kubectl("exec", "-i", pod(cluster), "-n", "kube-system", "--", "cat", stdin="abc\n", version="1.33"))
    assert r.out == "abc\n", r
