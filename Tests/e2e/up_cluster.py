"""A whole Ketch cluster run by `ketch up` on free ports (etcd, apiserver, controller-manager,
scheduler, simulated nodes), for the workload tests: kubectl of any version against it, the
components' logs, and killing or restarting one component."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Optional

import e2e_harness as h
from kube_cluster import kubectl_path


class UpCluster:
    """One `ketch up --state-dir STATE --nodes N` process and what it runs."""

    def __init__(self, state: Path, nodes: int = 0, *extra: str):
        self.state = state
        self.home = state.parent / "home"
        self.home.mkdir(parents=True, exist_ok=True)
        client, peer, metrics, api, cm, sched = h.free_ports(6)
        self.api_port, self.cm_port, self.sched_port = api, cm, sched
        self.node = "node1"
        self.argv = [os.environ["KETCH_BIN"], "up", "--state-dir", str(state), "--node-name", self.node,
                     "--etcd-client-port", str(client), "--etcd-peer-port", str(peer),
                     "--etcd-metrics-port", str(metrics), "--apiserver-bind-port", str(api),
                     "--controller-manager-port", str(cm), "--scheduler-port", str(sched),
                     "--encryption-algorithm", "ECDSA-P256", "--nodes", str(nodes), *extra]
        self.lines: list[str] = []
        self.proc = subprocess.Popen(self.argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     env=h._clean_env(), start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_ready(self, timeout: float = 180) -> "UpCluster":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            # The nodes are settled just after the summary line.
            if re.search(r"Your Ketch control plane is up", self.output) and \
                    re.search(r"\[up\] (Registered|Single-node)", self.output):
                return self
            if self.proc.poll() is not None:
                raise AssertionError("ketch up exited %s:\n%s" % (self.proc.returncode, self.output))
            time.sleep(0.2)
        raise AssertionError("ketch up not ready within %ss:\n%s" % (timeout, self.output))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        r = subprocess.run(["pgrep", "-f", str(self.state)], capture_output=True, text=True)
        for pid in r.stdout.split():
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass

    # ---- clients
    @property
    def admin_conf(self) -> Path:
        return self.state / "kubernetes/admin.conf"

    def env(self) -> dict:
        e = dict(os.environ)
        e.update({"KUBECONFIG": str(self.admin_conf), "HOME": str(self.home)})
        return e

    def kubectl(self, *args: str, version: Optional[str] = None, stdin: Optional[str] = None,
                timeout: float = 90) -> h.Result:
        k = kubectl_path(version)
        assert k, "kubectl %s not found" % (version or "")
        p = subprocess.run([k, *args], input=stdin, capture_output=True, text=True, timeout=timeout, env=self.env())
        return h.Result(p.returncode, p.stdout, p.stderr)

    def log(self, component: str, tail: int = 60) -> str:
        p = self.state / "logs" / (component + ".log")
        return "\n".join(p.read_text(errors="replace").splitlines()[-tail:]) if p.exists() else "(no log)"

    def component_pid(self, subcommand: str) -> Optional[int]:
        """The pid of the running `ketch <subcommand>` child of this cluster."""
        r = subprocess.run(["pgrep", "-f", " %s --.*%s" % (subcommand, self.state)], capture_output=True, text=True)
        pids = [int(p) for p in r.stdout.split()]
        return pids[0] if pids else None
