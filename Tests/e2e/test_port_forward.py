"""`kubectl port-forward` to the mirror pods, with real etcdctl through the tunnel.

kubectl 1.30+ (1.32 on PATH) speaks SPDY tunnelled through a WebSocket
(`Sec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io`); older kubectl (kubectl.1.27), and newer
ones with KUBECTL_PORT_FORWARD_WEBSOCKETS=false, upgrade to SPDY/3.1 with
`X-Stream-Protocol-Version: portforward.k8s.io`. The static pods use the host network, so the
etcd pod's client port is the host's loopback port the cluster's etcd listens on."""

from __future__ import annotations

import os
import re
import select
import signal
import ssl
import subprocess
import time
from pathlib import Path
from typing import Optional

import pytest

import e2e_harness as h
from kube_cluster import Cluster, kubectl_path, cluster_fixture

pytestmark = pytest.mark.skipif(kubectl_path() is None, reason="kubectl is not installed (it comes with the image)")

OLD = "1.27"
FORWARDING = re.compile(r"Forwarding from 127\.0\.0\.1:(\d+) -> (\d+)")


cluster = cluster_fixture("kube")


def need(version: Optional[str]) -> None:
    if version and kubectl_path(version) is None:
        pytest.skip("kubectl.%s not found beside kubectl" % version)


class Forward:
    """One `kubectl port-forward` process, its output in files."""

    def __init__(self, cluster: Cluster, base: Path, version: Optional[str], ports: list[str], env: dict,
                 kubeconfig: Optional[Path] = None, pod: Optional[str] = None, verbosity: int = 8):
        self.out_path = base / ("pf-%d.out" % id(self))
        self.err_path = base / ("pf-%d.err" % id(self))
        e = cluster.env(**env)
        if kubeconfig:
            e["KUBECONFIG"] = str(kubeconfig)
        argv = [kubectl_path(version), "port-forward", "-v=%d" % verbosity, "-n", "kube-system",
                "pod/" + (pod or "etcd-" + cluster.node)] + ports
        self.proc = subprocess.Popen(argv, stdout=open(self.out_path, "wb"), stderr=open(self.err_path, "wb"),
                                     stdin=subprocess.DEVNULL, env=e, start_new_session=True)

    @property
    def out(self) -> str:
        return self.out_path.read_text(errors="replace")

    @property
    def err(self) -> str:
        return self.err_path.read_text(errors="replace")

    def local_ports(self, count: int, timeout: float = 15) -> list[int]:
        """The local ports, once kubectl listens on them all."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = [int(m.group(1)) for m in FORWARDING.finditer(self.out)]
            if len(found) >= count:
                return found[:count]
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError("kubectl port-forward did not start (rc=%s)\nstdout:\n%s\nstderr:\n%s"
                             % (self.proc.poll(), self.out, self.err[-4000:]))

    def wait(self, timeout: float = 15) -> int:
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError("kubectl port-forward still running\nstdout:\n%s\nstderr:\n%s" % (self.out, self.err[-4000:]))

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait()


@pytest.fixture
def forwards(cluster, tmp_path):
    """Starts `kubectl port-forward` processes; every one is stopped at test end."""
    made: list[Forward] = []

    def start(version: Optional[str], ports: list[str], env: Optional[dict] = None, **kw) -> Forward:
        f = Forward(cluster, tmp_path, version, ports, env or {}, **kw)
        made.append(f)
        return f

    yield start
    for f in made:
        f.stop()


def etcd_tls(cluster: Cluster) -> list[str]:
    pki = cluster.pki
    return ["--cacert", str(pki / "etcd/ca.crt"), "--cert", str(pki / "apiserver-etcd-client.crt"),
            "--key", str(pki / "apiserver-etcd-client.key")]


def etcdctl(cluster: Cluster, port: int, *args: str) -> h.Result:
    return h.run_etcdctl("3.5", "https://127.0.0.1:%d" % port, list(args), global_args=etcd_tls(cluster),
                         dial_timeout="5s", command_timeout="10s", timeout=30)


def free_port() -> int:
    return h.free_ports(1)[0]


def put_get_watch(cluster: Cluster, port: int, prefix: str) -> None:
    """etcdctl put, get and watch, all through the forwarded port."""
    r = etcdctl(cluster, port, "put", prefix + "/k", "v1")
    assert r.rc == 0 and r.out.strip() == "OK", r
    r = etcdctl(cluster, port, "get", prefix + "/k")
    assert r.rc == 0 and r.out.splitlines() == [prefix + "/k", "v1"], r
    # The same key straight from etcd: the tunnel reached the real store.
    r = cluster.etcdctl("get", prefix + "/k", "--print-value-only")
    assert r.rc == 0 and r.out.strip() == "v1", r

    ctl = h.etcdctl_path("3.5")
    watch = subprocess.Popen([str(ctl), "--endpoints=https://127.0.0.1:%d" % port, "--dial-timeout=5s"] + etcd_tls(cluster)
                             + ["watch", prefix + "/w"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=dict(os.environ, ETCDCTL_API="3"), start_new_session=True)
    try:
        time.sleep(1.0)  # the watch is set up through the tunnel
        for v in ("a", "b"):
            assert etcdctl(cluster, port, "put", prefix + "/w", v).rc == 0
        seen = b""
        deadline = time.time() + 10
        while time.time() < deadline and seen.count(b"\n") < 6:
            ready, _, _ = select.select([watch.stdout], [], [], 0.5)
            if ready:
                chunk = os.read(watch.stdout.fileno(), 4096)
                if not chunk:
                    break
                seen += chunk
        assert seen.decode().splitlines() == ["PUT", prefix + "/w", "a", "PUT", prefix + "/w", "b"], \
            (seen, watch.poll(), watch.stderr.read() if watch.poll() is not None else "")
    finally:
        os.killpg(watch.pid, signal.SIGKILL)
        watch.wait()


@pytest.mark.parametrize("version", [None, OLD], ids=["kubectl-1.32-websocket", "kubectl-1.27-spdy"])
def test_etcdctl_through_port_forward(cluster, forwards, version):
    need(version)
    f = forwards(version, [":%d" % cluster.client_port])
    [port] = f.local_ports(1)
    put_get_watch(cluster, port, "/pf/" + (version or "ws"))
    # Several connections, one after another and at once, over the one tunnel.
    results = [etcdctl(cluster, port, "get", "/pf/", "--prefix", "--keys-only") for _ in range(3)]
    assert all(r.rc == 0 and "/pf/" in r.out for r in results), results
    assert f.proc.poll() is None, f.err[-3000:]
    if version is None:
        # kubectl 1.32: SPDY tunnelled through a WebSocket.
        assert "negotiated protocol: portforward.k8s.io" in f.err and "Upgrade: SPDY/3.1" not in f.err, f.err[-3000:]
    else:
        assert "Upgrade: SPDY/3.1" in f.err and "X-Stream-Protocol-Version: portforward.k8s.io" in f.err, f.err[-3000:]
    assert "Handling connection for %d" % port in f.out


def test_spdy_when_websockets_are_turned_off(cluster, forwards):
    f = forwards(None, [":%d" % cluster.client_port], env={"KUBECTL_PORT_FORWARD_WEBSOCKETS": "false"})
    [port] = f.local_ports(1)
    r = etcdctl(cluster, port, "endpoint", "status", "-w", "table")
    assert r.rc == 0 and "3.5" in r.out, r
    assert "Upgrade: SPDY/3.1" in f.err and "Before WebSocket Upgrade" not in f.err, f.err[-3000:]


@pytest.mark.parametrize("version", [None, OLD], ids=["kubectl-1.32-websocket", "kubectl-1.27-spdy"])
def test_port_nobody_listens_on(cluster, forwards, version):
    """The kubelet writes containerd's dial failure on the pair's error stream; kubectl prints
    it as "an error occurred forwarding L -> P: ..." and, since kubectl 1.23 (kubernetes#103526),
    closes the connection and exits with "lost connection to pod". A new port-forward works."""
    need(version)
    dead = free_port()
    f = forwards(version, [":%d" % dead], verbosity=0)
    [port] = f.local_ports(1)
    import socket
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.settimeout(10)
        try:
            assert s.recv(100) == b""  # closed without data
        except ConnectionResetError:
            pass
    rc = f.wait()
    err = f.err
    assert rc == 1 and "error: lost connection to pod" in err, (rc, err)
    expected = ("an error occurred forwarding %d -> %d: error forwarding port %d to pod " % (port, dead, dead))
    assert expected in err.replace('\\"', '"'), err
    assert re.search(r'uid : failed to execute portforward in network namespace "host": failed to connect to '
                     r'localhost:%d inside namespace "[0-9a-f]{64}", IPv4: dial tcp4 127\.0\.0\.1:%d: connect: '
                     r'connection refused IPv6 dial tcp6 \[::1\]:%d: connect: connection refused' % (dead, dead, dead),
                     err.replace('\\"', '"')), err
    # The server is fine: the next port-forward works.
    g = forwards(version, [":%d" % cluster.client_port], verbosity=0)
    [port] = g.local_ports(1)
    assert etcdctl(cluster, port, "get", "nothing-here").rc == 0


def test_error_on_one_port_leaves_the_connection_up(cluster):
    """The kubelet's WebSocket channel protocol (the Python client's): two ports on one
    connection; the one nobody listens on gets the error, the other still carries etcd traffic."""
    pytest.importorskip("kubernetes")
    from kubernetes import client, config
    from kubernetes.stream import portforward
    api = client.CoreV1Api(config.new_client_from_config(str(cluster.admin_conf)))
    dead = free_port()
    pf = portforward(api.connect_get_namespaced_pod_portforward, "etcd-" + cluster.node, "kube-system",
                     ports="%d,%d" % (dead, cluster.client_port))
    try:
        deadline = time.time() + 10
        while pf.error(dead) is None and time.time() < deadline:
            time.sleep(0.05)
        message = pf.error(dead)
        assert message and message.startswith("error forwarding port %d to pod " % dead) \
            and "connect: connection refused" in message, message
        ctx = ssl.create_default_context(cafile=str(cluster.pki / "etcd/ca.crt"))
        ctx.load_cert_chain(str(cluster.pki / "apiserver-etcd-client.crt"), str(cluster.pki / "apiserver-etcd-client.key"))
        sock = ctx.wrap_socket(pf.socket(cluster.client_port), server_hostname="127.0.0.1")
        sock.sendall(b"GET /version HTTP/1.1\r\nHost: etcd\r\nConnection: close\r\n\r\n")
        data = b""
        sock.settimeout(10)
        while True:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
        assert b'"etcdserver":"3.5.1"' in data, data
    finally:
        pf.close()


def test_denied_and_missing(cluster, forwards):
    # A user who may read pods but not create pods/portforward.
    conf = cluster.user_kubeconfig("pf-reader")
    assert cluster.kubectl("create", "role", "pod-reader", "--verb=get,list", "--resource=pods", "-n", "kube-system").rc == 0
    assert cluster.kubectl("create", "rolebinding", "pf-reader", "--role=pod-reader", "--user=pf-reader",
                           "-n", "kube-system").rc == 0
    assert cluster.kubectl("get", "pod", "etcd-" + cluster.node, "-n", "kube-system", kubeconfig=conf).rc == 0
    forbidden = ('error upgrading connection: pods "etcd-%s" is forbidden: User "pf-reader" cannot create resource '
                 '"pods/portforward" in API group "" in the namespace "kube-system"' % cluster.node)
    for version in (None, OLD):
        if version and kubectl_path(version) is None:
            continue
        f = forwards(version, [":%d" % cluster.client_port], kubeconfig=conf, verbosity=0)
        assert f.wait() == 1 and forbidden in f.err, f.err
    # The same refusal reaches kubectl exec over SPDY (the declined upgrade is answered, not dropped).
    if kubectl_path(OLD):
        r = cluster.kubectl("exec", "etcd-" + cluster.node, "-n", "kube-system", "--", "true", version=OLD, kubeconfig=conf,
                            env={"KUBECTL_REMOTE_COMMAND_WEBSOCKETS": "false"}, timeout=30)
        assert r.rc != 0 and 'cannot create resource "pods/exec"' in r.err, r
    # Granted, it works.
    assert cluster.kubectl("create", "role", "pf", "--verb=create", "--resource=pods/portforward", "-n", "kube-system").rc == 0
    assert cluster.kubectl("create", "rolebinding", "pf", "--role=pf", "--user=pf-reader", "-n", "kube-system").rc == 0
    f = forwards(None, [":%d" % cluster.client_port], kubeconfig=conf, verbosity=0)
    [port] = f.local_ports(1)
    assert etcdctl(cluster, port, "get", "x").rc == 0

    # No such pod: kube-apiserver's 404.
    r = cluster.kubectl("port-forward", "-n", "kube-system", "pod/nope", ":2379", timeout=20)
    assert r.rc == 1 and 'pods "nope" not found' in r.err, r
    code, body = cluster.curl("/api/v1/namespaces/kube-system/pods/nope/portforward", method="POST")
    assert code == 404 and '"reason":"NotFound"' in body, (code, body)
    # A pod that is not a mirror pod has nothing behind it on this node.
    manifest = ('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"plain"},"spec":{"nodeName":"%s",'
                '"containers":[{"name":"c","image":"busybox"}]}}' % cluster.node)
    assert cluster.kubectl("apply", "-n", "kube-system", "-f", "-", stdin=manifest).rc == 0
    # Upgrades exist only in HTTP/1.1; curl would otherwise take the HTTP/2 the apiserver offers.
    argv = ["curl", "--http1.1", "-sS", "-o", "-", "-w", "\n%{http_code}", "--cacert", str(cluster.pki / "ca.crt"),
            "--cert", str(cluster.pki / "apiserver-kubelet-client.crt"), "--key", str(cluster.pki / "apiserver-kubelet-client.key"),
            "-X", "POST", "-H", "Connection: Upgrade", "-H", "Upgrade: SPDY/3.1", "-H", "X-Stream-Protocol-Version: portforward.k8s.io",
            "https://127.0.0.1:%d/api/v1/namespaces/kube-system/pods/plain/portforward" % cluster.api_port]
    p = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    body, _, code = p.stdout.rpartition("\n")
    assert code == "404" and '"message":"pod does not exist"' in body, p.stdout + p.stderr
    # Without an upgrade: kube-apiserver's answer for a streaming subresource.
    code, body = cluster.curl("/api/v1/namespaces/kube-system/pods/etcd-%s/portforward" % cluster.node, method="POST")
    assert code == 400 and "Upgrade request required" in body, (code, body)
