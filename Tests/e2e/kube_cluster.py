"""A Ketch control plane for kubectl tests: `ketch init` on free ports, then the etcd and
kube-apiserver static Pod manifests' commands run by ketch (as `ketch up` does), component
output in STATE/logs/<component>.log. Also finds kubectl and its versioned siblings."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Optional

import pytest
import yaml

import e2e_harness as h


def kubectl_path(version: Optional[str] = None) -> Optional[str]:
    """`kubectl` on PATH, or `kubectl.1.NN` beside its real path."""
    base = shutil.which("kubectl")
    if not base:
        return None
    if version is None:
        return base
    p = Path(os.path.realpath(base)).parent / ("kubectl." + version)
    return str(p) if p.is_file() and os.access(p, os.X_OK) else None


class Cluster:
    def __init__(self, base: Path, node: str = "node1", etcd_kind: str = "ketch"):
        self.base = base
        self.state = base / "state"
        self.node = node
        self.etcd_kind = etcd_kind
        self.procs: dict[str, subprocess.Popen] = {}
        self.client_port, self.peer_port, self.metrics_port, self.api_port = h.free_ports(4)
        self.home = base / "home"
        self.home.mkdir(parents=True, exist_ok=True)

    # ---- lifecycle
    def init(self) -> "Cluster":
        r = subprocess.run([os.environ["KETCH_BIN"], "init", "--state-dir", str(self.state), "--node-name", self.node,
                            "--etcd-client-port", str(self.client_port), "--etcd-peer-port", str(self.peer_port),
                            "--etcd-metrics-port", str(self.metrics_port), "--apiserver-bind-port", str(self.api_port)],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stdout + r.stderr
        return self

    def command(self, component: str) -> list[str]:
        m = yaml.safe_load((self.state / "kubernetes/manifests" / (component + ".yaml")).read_text())
        return m["spec"]["containers"][0]["command"]

    def start_etcd(self) -> None:
        cmd = self.command("etcd")
        if self.etcd_kind == "ketch":
            argv = [os.environ["KETCH_BIN"], "etcd"] + cmd[1:]
        else:
            # Real etcd 3.5.1 on a fresh data dir: it cannot read Ketch's SQLite store.
            data = self.base / "real-etcd-data"
            argv = [str(h.etcd35_bin("etcd"))] + [a for a in cmd[1:] if not a.startswith("--data-dir")] + ["--data-dir=" + str(data)]
        self._spawn("etcd", argv)
        self._wait(lambda: self.etcdctl("endpoint", "health").rc == 0, "etcd")

    def start_apiserver(self) -> None:
        cmd = self.command("kube-apiserver")
        self._spawn("kube-apiserver", [os.environ["KETCH_BIN"], "apiserver"] + cmd[1:])
        self._wait(lambda: self.curl("/readyz")[0] == 200, "kube-apiserver")

    def start(self) -> "Cluster":
        self.init()
        self.start_etcd()
        self.start_apiserver()
        return self

    def _spawn(self, name: str, argv: list[str]) -> None:
        logs = self.state / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        out = open(logs / (name + ".log"), "ab")
        self.procs[name] = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def _wait(self, ready, name: str, timeout: float = 30) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            p = self.procs[name]
            if p.poll() is not None:
                raise AssertionError("%s exited with %s:\n%s" % (name, p.returncode, self.log_tail(name)))
            if ready():
                return
            time.sleep(0.1)
        raise AssertionError("%s not ready after %ss:\n%s" % (name, timeout, self.log_tail(name)))

    def log_tail(self, name: str, n: int = 40) -> str:
        try:
            return "\n".join((self.state / "logs" / (name + ".log")).read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self) -> None:
        for name in ["kube-apiserver", "etcd"]:
            p = self.procs.pop(name, None)
            if p and p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait()

    # ---- clients
    @property
    def admin_conf(self) -> Path:
        return self.state / "kubernetes/admin.conf"

    @property
    def pki(self) -> Path:
        return self.state / "kubernetes/pki"

    def env(self, **extra) -> dict:
        e = dict(os.environ)
        e.update({"KUBECONFIG": str(self.admin_conf), "HOME": str(self.home)})
        e.update({k: str(v) for k, v in extra.items()})
        return e

    def kubectl(self, *args, version: Optional[str] = None, stdin: Optional[str] = None, timeout: float = 60,
                kubeconfig: Optional[Path] = None, env: Optional[dict] = None) -> h.Result:
        k = kubectl_path(version)
        assert k, "kubectl %s not found" % (version or "")
        e = self.env(**(env or {}))
        if kubeconfig:
            e["KUBECONFIG"] = str(kubeconfig)
        p = subprocess.run([k, *args], input=stdin, capture_output=True, text=True, timeout=timeout, env=e)
        return h.Result(p.returncode, p.stdout, p.stderr)

    def etcdctl(self, *args) -> h.Result:
        tls = ["--cacert", str(self.pki / "etcd/ca.crt"), "--cert", str(self.pki / "apiserver-etcd-client.crt"),
               "--key", str(self.pki / "apiserver-etcd-client.key")]
        return h.run_etcdctl("3.5", "https://127.0.0.1:%d" % self.client_port, tls + list(args), dial_timeout="2s")

    def curl(self, path: str, method: str = "GET", data: Optional[str] = None, content_type: Optional[str] = None,
             cert: bool = True, token: Optional[str] = None) -> tuple[int, str]:
        argv = ["curl", "-sS", "-o", "-", "-w", "\n%{http_code}", "--cacert", str(self.pki / "ca.crt"), "-X", method]
        if cert:
            # super-admin's identity lives inside super-admin.conf; use the apiserver-kubelet-client
            # pair (O=kubeadm:cluster-admins) which is a plain file.
            argv += ["--cert", str(self.pki / "apiserver-kubelet-client.crt"), "--key", str(self.pki / "apiserver-kubelet-client.key")]
        if token:
            argv += ["-H", "Authorization: Bearer " + token]
        if data is not None:
            argv += ["--data-binary", data, "-H", "Content-Type: " + (content_type or "application/json")]
        argv.append("https://127.0.0.1:%d%s" % (self.api_port, path))
        p = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        if p.returncode != 0:
            return 0, p.stderr
        body, _, code = p.stdout.rpartition("\n")
        return int(code), body

    def user_kubeconfig(self, user: str, groups: list[str] = ()) -> Path:
        """A kubeconfig for a client certificate CN=user, O=groups, signed by the cluster CA."""
        d = self.base / ("user-" + user)
        d.mkdir(exist_ok=True)
        subj = "/CN=" + user + "".join("/O=" + g for g in groups)
        key, csr, crt = d / "u.key", d / "u.csr", d / "u.crt"
        subprocess.run(["openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(csr),
                        "-subj", subj], check=True, capture_output=True)
        ext = d / "ext.cnf"
        ext.write_text("extendedKeyUsage=clientAuth\n")
        subprocess.run(["openssl", "x509", "-req", "-in", str(csr), "-CA", str(self.pki / "ca.crt"), "-CAkey",
                        str(self.pki / "ca.key"), "-CAcreateserial", "-out", str(crt), "-days", "1", "-extfile", str(ext)],
                       check=True, capture_output=True)
        conf = d / "kubeconfig"
        conf.write_text(yaml.safe_dump({
            "apiVersion": "v1", "kind": "Config", "current-context": "u",
            "clusters": [{"name": "k", "cluster": {"server": "https://127.0.0.1:%d" % self.api_port,
                                                    "certificate-authority": str(self.pki / "ca.crt")}}],
            "users": [{"name": user, "user": {"client-certificate": str(crt), "client-key": str(key)}}],
            "contexts": [{"name": "u", "context": {"cluster": "k", "user": user}}],
        }))
        return conf


def ok(r: h.Result) -> h.Result:
    """`r`, after asserting the command succeeded (its output shown when it did not)."""
    assert r.rc == 0, "rc=%s\nstdout:\n%s\nstderr:\n%s" % (r.rc, r.out, r.err)
    return r


def cluster_fixture(name: str, setup=None):
    """A module-scoped `cluster` fixture: a started Cluster in a fresh temporary directory,
    prepared by `setup(cluster)` when given, stopped after the module's tests."""
    @pytest.fixture(scope="module")
    def cluster(tmp_path_factory, sut_ready):
        c = Cluster(tmp_path_factory.mktemp(name))
        try:
            c.start()
            if setup:
                setup(c)
            yield c
        finally:
            c.stop()
    return cluster
