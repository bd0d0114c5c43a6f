"""`kubectl exec` over SPDY/3.1, as kubectl 1.27–1.30 speaks it (`Upgrade: SPDY/3.1`,
`X-Stream-Protocol-Version: v4.channel.k8s.io`), beside the WebSocket protocol newer kubectl uses."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import termios
import time

import pytest

import e2e_harness as h
from kube_cluster import Cluster, kubectl_path, cluster_fixture, ok

pytestmark = pytest.mark.skipif(kubectl_path() is None, reason="kubectl is not installed (it comes with the image)")

SPDY_VERSIONS = ["1.27", "1.30"]
# kubectl 1.30 speaks WebSocket first (falling back to SPDY); this makes it speak SPDY only.
SPDY_ENV = {"KUBECTL_REMOTE_COMMAND_WEBSOCKETS": "false"}


cluster = cluster_fixture("kube")


def need(version: str) -> None:
    if kubectl_path(version) is None:
        pytest.skip("kubectl.%s not found beside kubectl" % version)



def pod(cluster: Cluster) -> str:
    return "etcd-" + cluster.node


def spdy(cluster: Cluster, version: str, *args, stdin=None, **kw) -> h.Result:
    """`kubectl.<version> exec <args>` over SPDY."""
    return cluster.kubectl("exec", *args, version=version, stdin=stdin, env=SPDY_ENV, **kw)


@pytest.mark.parametrize("version", SPDY_VERSIONS)
def test_exec_stdout_stderr_and_exit_code(cluster, version):
    need(version)
    r = ok(spdy(cluster, version, "-v=8", pod(cluster), "-n", "kube-system", "--", "sh", "-c", "echo hello"))
    assert r.out == "hello\n", r
    # Really SPDY, with the v4 protocol (exit codes travel as a metav1.Status).
    assert "Upgrade: SPDY/3.1" in r.err and "X-Stream-Protocol-Version: v4.channel.k8s.io" in r.err, r.err[-3000:]
    r = spdy(cluster, version, pod(cluster), "-n", "kube-system", "--", "sh", "-c", "echo out; echo err >&2; exit 3")
    assert r.rc == 3 and r.out == "out\n" and "err" in r.err and "out" not in r.err, r
    # Output larger than one DATA frame arrives whole and in order.
    r = ok(spdy(cluster, version, pod(cluster), "-n", "kube-system", "--", "sh", "-c",
                "i=0; while [ $i -lt 20000 ]; do echo line$i; i=$((i+1)); done"))
    lines = r.out.splitlines()
    assert len(lines) == 20000 and lines[0] == "line0" and lines[-1] == "line19999", len(lines)


@pytest.mark.parametrize("version", SPDY_VERSIONS)
def test_exec_stdin(cluster, version):
    need(version)
    r = ok(spdy(cluster, version, "-i", pod(cluster), "-n", "kube-system", "--", "cat", stdin="abc\n"))
    assert r.out == "abc\n", r
    # The user's pipeline, literally.
    p = subprocess.run("echo abc | %s exec -i %s -n kube-system -- cat" % (kubectl_path(version), pod(cluster)),
                       shell=True, capture_output=True, text=True, env=cluster.env(**SPDY_ENV), timeout=60)
    assert p.returncode == 0 and p.stdout == "abc\n", p.stdout + p.stderr
    # Input larger than one DATA frame, and stdin ending (EOF) before the process does.
    big = "".join("row %d\n" % i for i in range(50000))
    r = ok(spdy(cluster, version, "-i", pod(cluster), "-n", "kube-system", "--", "wc", "-l", stdin=big))
    assert r.out.strip() == "50000", r


def test_exec_kubeadm_paths_and_etcdctl(cluster):
    need("1.27")
    cmd = ("ETCDCTL_API=3 etcdctl get / --prefix --keys-only --limit=3 --cacert /etc/kubernetes/pki/etcd/ca.crt "
           "--cert /etc/kubernetes/pki/etcd/server.crt --key /etc/kubernetes/pki/etcd/server.key")
    r = ok(spdy(cluster, "1.27", pod(cluster), "-n", "kube-system", "--", "sh", "-c", cmd))
    keys = [l for l in r.out.splitlines() if l]
    assert len(keys) == 3 and all(k.startswith("/registry/") for k in keys), r.out
    # Longer than kubectl's 5s SPDY ping period: pings are answered and the session stays up.
    r = ok(spdy(cluster, "1.27", pod(cluster), "-n", "kube-system", "--", "sh", "-c", "sleep 6; echo done"))
    assert r.out == "done\n", r


def test_exec_errors(cluster):
    need("1.27")
    r = spdy(cluster, "1.27", "nope", "-n", "kube-system", "--", "true")
    assert r.rc != 0 and 'pods "nope" not found' in r.err, r
    r = spdy(cluster, "1.27", pod(cluster), "-n", "kube-system", "--", "no-such-command")
    assert r.rc != 0 and "executable file not found" in r.err, r
    r = spdy(cluster, "1.27", pod(cluster), "-n", "kube-system", "-c", "nope", "--", "true")
    assert r.rc != 0 and "nope" in r.err, r
    # Authorization applies as to any request: a user without pods/exec is refused.
    conf = cluster.user_kubeconfig("spdy-nobody")
    r = spdy(cluster, "1.27", pod(cluster), "-n", "kube-system", "--", "true", kubeconfig=conf)
    assert r.rc != 0 and "forbidden" in r.err.lower(), r


def test_exec_tty(cluster):
    need("1.27")
    argv = [kubectl_path("1.27"), "exec", "-it", pod(cluster), "-n", "kube-system", "--", "sh", "-c",
            "test -t 0 && echo is-a-tty; stty size; exit 4"]
    master, slave = pty.openpty()
    # kubectl sends its terminal's size on the resize stream; the process sees it.
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    p = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=cluster.env(**SPDY_ENV), close_fds=True)
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
    assert "is-a-tty" in text and "30 100" in text and rc == 4, (rc, text)


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
