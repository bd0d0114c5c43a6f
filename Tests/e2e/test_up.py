"""`ketch up` end to end: init on first use, etcd (and the apiserver, once ketch has one) as
supervised children, Ctrl-C stops everything, a second run reuses the data, one run per state dir,
and children do not outlive a killed `ketch up`."""

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time

import pytest

import e2e_harness as h


def ketch_bin():
    b = os.environ.get("KETCH_BIN")
    if not b:
        pytest.skip("KETCH_BIN is not set")
    return b


def has_apiserver():
    out = subprocess.run([ketch_bin(), "--help"], capture_output=True, text=True, timeout=30).stdout
    return re.search(r"^\s+apiserver\b", out, re.M) is not None


class Up:
    """One `ketch up` process; its output is collected line by line."""

    def __init__(self, state, ports, *extra):
        client, peer, metrics, api = ports
        # The controller manager's and scheduler's health ports, so parallel clusters never share them.
        cm, sched = h.free_ports(2)
        self.state = state
        self.argv = [ketch_bin(), "up", "--state-dir", str(state), "--node-name", "node1",
                     "--etcd-client-port", str(client), "--etcd-peer-port", str(peer),
                     "--etcd-metrics-port", str(metrics), "--apiserver-bind-port", str(api),
                     "--controller-manager-port", str(cm), "--scheduler-port", str(sched),
                     "--encryption-algorithm", "ECDSA-P256", *extra]
        self.proc = subprocess.Popen(self.argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     env=h._clean_env(), start_new_session=True)
        self.lines = []
        self._queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            self._queue.put(line)
        self._queue.put(None)

    @property
    def output(self):
        return "\n".join(self.lines)

    def wait_for(self, pattern, timeout=120):
        """Waits for a line matching `pattern`; returns its match."""
        rx = re.compile(pattern)
        for line in self.lines:
            if rx.search(line):
                return rx.search(line)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.2)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError("ketch up exited (rc=%s) before %r:\n%s\n%s"
                                     % (self.proc.wait(), pattern, self.output, self.log_tails()))
            m = rx.search(line)
            if m:
                return m
        raise AssertionError("no %r after %ss:\n%s\n%s" % (pattern, timeout, self.output, self.log_tails()))

    def log_tails(self):
        parts = []
        logs = self.state / "logs"
        for log in sorted(logs.glob("*.log")) if logs.is_dir() else []:
            parts.append("--- %s (last lines) ---\n%s" % (log, "\n".join(log.read_text("utf-8", "replace").splitlines()[-30:])))
        return "\n".join(parts)

    def stop(self, sig=signal.SIGINT, timeout=20):
        self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError("ketch up did not exit %ss after %s:\n%s" % (timeout, sig, self.output))
        time.sleep(0.2)  # let the reader thread take the last lines
        return rc

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


def pids_of(state):
    """Processes whose command line names the state dir (ketch up's children, or ketch up itself)."""
    r = subprocess.run(["pgrep", "-f", str(state)], capture_output=True, text=True)
    return [int(p) for p in r.stdout.split()]


def wait_no_processes(state, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pids_of(state):
            return
        time.sleep(0.1)
    left = subprocess.run(["ps", "-o", "pid,args", "-p", ",".join(map(str, pids_of(state)))], capture_output=True, text=True).stdout
    raise AssertionError("processes left running for %s:\n%s" % (state, left))


def kill_leftovers(state):
    # Only processes that carry this test's own temporary state dir on their command line.
    for pid in pids_of(state):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def etcdctl(state, port, *args):
    pki = state / "kubernetes/pki"
    tls = ["--cacert", str(pki / "etcd/ca.crt"), "--cert", str(pki / "apiserver-etcd-client.crt"),
           "--key", str(pki / "apiserver-etcd-client.key")]
    return h.run_etcdctl("3.5", "https://127.0.0.1:%d" % port, tls + list(args), dial_timeout="2s")


@pytest.fixture
def state(tmp_path):
    s = tmp_path / "state"
    yield s
    kill_leftovers(s)


def test_up_help(sut_ready):
    r = subprocess.run([ketch_bin(), "up", "--help"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    for words in ["--state-dir", "--etcd-client-port", "--apiserver-bind-port", "--timeout", "Ctrl-C",
                  "kube-controller-manager", "STATE/logs"]:
        assert words in r.stdout, words
    assert "_exec-child" not in r.stdout
    main_help = subprocess.run([ketch_bin(), "--help"], capture_output=True, text=True, timeout=30).stdout
    assert re.search(r"^\s+up\s", main_help, re.M), main_help


def test_up_runs_stops_and_keeps_data(state, sut_ready):
    ports = h.free_ports(4)
    client = ports[0]
    apiserver = has_apiserver()

    # First run: init, then etcd from its manifest.
    up = Up(state, ports)
    try:
        m = up.wait_for(r"Your Ketch control plane is up \(.*ready in ([0-9.]+)s\)")
        print("first run ready in %ss" % m.group(1))
        out = up.output
        assert "[init] Using Kubernetes version" in out and "[certs]" in out
        assert re.search(r"\[up\] etcd is ready after [0-9.]+s", out), out
        assert re.search(r"\[up\] kube-controller-manager is ready after [0-9.]+s", out), out
        assert re.search(r"\[up\] kube-scheduler is ready after [0-9.]+s", out), out
        assert "etcdctl --endpoints=https://127.0.0.1:%d" % client in out
        if apiserver:
            assert "export KUBECONFIG=%s/kubernetes/admin.conf" % state in out
            assert re.search(r"\[up\] kube-apiserver is ready after [0-9.]+s", out), out

        keys = etcdctl(state, client, "get", "/registry", "--prefix", "--keys-only")
        assert keys.rc == 0, keys.err
        assert "/registry/namespaces/kube-system\n" in keys.out
        assert etcdctl(state, client, "put", "/ketch-up-test", "kept").rc == 0
        assert (state / "logs/etcd.log").stat().st_size > 0
        assert (state / "run/up.pid").read_text().strip() == str(up.proc.pid)
        assert len(pids_of(state)) >= 2  # ketch up and its etcd

        # Ctrl-C: everything stops, ketch up exits 0.
        assert up.stop(signal.SIGINT) == 0, up.output
        assert "[up] Stopping etcd" in up.output and "[up] Stopped" in up.output
        wait_no_processes(state)
    finally:
        up.kill()

    # Second run: no init, the data is still there; a third run on the same dir is refused.
    up = Up(state, ports)
    try:
        m = up.wait_for(r"Your Ketch control plane is up \(.*ready in ([0-9.]+)s\)")
        print("second run ready in %ss" % m.group(1))
        assert "[init]" not in up.output and "already initialized" in up.output
        got = etcdctl(state, client, "get", "/ketch-up-test", "--print-value-only")
        assert got.rc == 0 and got.out.strip() == "kept", (got.out, got.err)

        started = time.monotonic()
        third = subprocess.run(up.argv, capture_output=True, text=True, timeout=30, env=h._clean_env())
        assert third.returncode != 0
        assert "already running" in third.stderr + third.stdout and str(up.proc.pid) in third.stderr + third.stdout, third
        assert time.monotonic() - started < 10

        # A component that dies is restarted, and serves again.
        etcd_pid = int(subprocess.run(["pgrep", "-f", "etcd .*--data-dir=%s/etcd" % state], capture_output=True,
                                      text=True).stdout.split()[0])
        os.kill(etcd_pid, signal.SIGKILL)
        up.wait_for(r"\[up\] etcd was killed by signal 9 \(SIGKILL\); restarting in 1s", timeout=10)
        deadline = time.monotonic() + 20
        while etcdctl(state, client, "get", "/ketch-up-test", "--print-value-only").out.strip() != "kept":
            assert time.monotonic() < deadline, "etcd did not come back:\n" + up.output + "\n" + up.log_tails()
            time.sleep(0.2)

        assert up.stop(signal.SIGTERM) == 0, up.output
        wait_no_processes(state)
    finally:
        up.kill()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux only")
def test_children_do_not_outlive_a_killed_up(state, sut_ready):
    up = Up(state, h.free_ports(4))
    try:
        up.wait_for(r"Your Ketch control plane is up")
        children = [p for p in pids_of(state) if p != up.proc.pid]
        assert children, "no child processes"
        up.proc.kill()  # SIGKILL: no chance to stop anything itself
        up.proc.wait(10)
        wait_no_processes(state, timeout=15)
    finally:
        up.kill()


def test_up_kube_apiserver_ready(state, sut_ready):
    if not has_apiserver():
        pytest.skip("this ketch has no `apiserver` command yet")
    ports = h.free_ports(4)
    up = Up(state, ports)
    try:
        up.wait_for(r"Your Ketch control plane is up")
        assert re.search(r"\[up\] kube-apiserver is ready after [0-9.]+s", up.output), up.output
        assert (state / "logs/kube-apiserver.log").exists()
        r = h.curl("https://127.0.0.1:%d/readyz" % ports[3], "--cacert", str(state / "kubernetes/pki/ca.crt"))
        assert r.rc == 0 and " 200" in r.status, (r.status, r.body)
        assert up.stop() == 0
        wait_no_processes(state)
    finally:
        up.kill()
