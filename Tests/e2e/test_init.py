"""`ketch init` end to end: the files kubeadm would leave, checked with openssl, kubectl and etcdctl,
and the etcd manifest's command run by `ketch etcd` and by real etcd 3.5.1."""

import os
import shutil
import stat
import subprocess
import time
from pathlib import Path

import pytest
import yaml

import e2e_harness as h


def ketch(*args, env=None, timeout=60):
    b = os.environ.get("KETCH_BIN")
    if not b:
        pytest.skip("KETCH_BIN is not set")
    return subprocess.run([b, *args], capture_output=True, text=True, timeout=timeout, env=env)


def init(state, *extra, ports=None):
    client, peer, metrics, api = ports or h.free_ports(4)
    r = ketch("init", "--state-dir", str(state), "--node-name", "node1", "--etcd-client-port", str(client),
              "--etcd-peer-port", str(peer), "--etcd-metrics-port", str(metrics), "--apiserver-bind-port", str(api), *extra)
    assert r.returncode == 0, r.stdout + r.stderr
    return r, client, (client, peer, metrics, api)


def etcd_command(state):
    manifest = yaml.safe_load((state / "kubernetes/manifests/etcd.yaml").read_text())
    assert manifest["metadata"]["namespace"] == "kube-system"
    assert manifest["metadata"]["labels"] == {"component": "etcd", "tier": "control-plane"}
    assert manifest["spec"]["hostNetwork"] is True
    assert manifest["spec"]["priorityClassName"] == "system-node-critical"
    return manifest["spec"]["containers"][0]["command"]


def etcdctl_tls(state, port, *args, cert=True):
    pki = state / "kubernetes/pki"
    tls = ["--cacert", str(pki / "etcd/ca.crt")]
    if cert:
        tls += ["--cert", str(pki / "apiserver-etcd-client.crt"), "--key", str(pki / "apiserver-etcd-client.key")]
    return h.run_etcdctl("3.5", "https://127.0.0.1:%d" % port, tls + list(args), dial_timeout="2s")


def serve(argv, log):
    proc = subprocess.Popen(argv, stdout=open(log, "w"), stderr=subprocess.STDOUT)
    return proc


def wait_healthy(state, port, proc):
    deadline = time.time() + 20
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError("server exited with %s" % proc.returncode)
        if etcdctl_tls(state, port, "endpoint", "health").rc == 0:
            return
        time.sleep(0.2)
    raise AssertionError("server never became healthy")


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_init_files_and_etcd_manifest(tmp_path, sut_ready):
    state = tmp_path / "state"
    started = time.time()
    r, port, _ = init(state)
    print("ketch init took %.2f s" % (time.time() - started))
    assert "[certs] Generating \"ca\" certificate and key" in r.stdout
    pki = state / "kubernetes/pki"

    # Chains verify; private keys are 0600.
    for ca, leaves in [("ca.crt", ["apiserver.crt", "apiserver-kubelet-client.crt"]),
                       ("front-proxy-ca.crt", ["front-proxy-client.crt"]),
                       ("etcd/ca.crt", ["etcd/server.crt", "etcd/peer.crt", "etcd/healthcheck-client.crt",
                                        "apiserver-etcd-client.crt"])]:
        for leaf in leaves:
            v = subprocess.run(["openssl", "verify", "-CAfile", str(pki / ca), str(pki / leaf)], capture_output=True, text=True)
            assert v.returncode == 0, v.stdout + v.stderr
    for key in pki.rglob("*.key"):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600, key
    text = subprocess.run(["openssl", "x509", "-noout", "-text", "-in", str(pki / "apiserver.crt")],
                          capture_output=True, text=True).stdout
    assert "DNS:kubernetes.default.svc.cluster.local" in text and "IP Address:10.96.0.1" in text

    # Kubeconfigs parse with kubectl.
    kubectl = shutil.which("kubectl")
    if kubectl:
        for conf in ["admin.conf", "super-admin.conf", "kubelet.conf", "controller-manager.conf", "scheduler.conf"]:
            v = subprocess.run([kubectl, "config", "view", "--kubeconfig", str(state / "kubernetes" / conf)],
                               capture_output=True, text=True)
            assert v.returncode == 0 and "kubernetes" in v.stdout, v.stderr

    # The etcd manifest's command, run by ketch: mTLS clients see the preloaded /registry; no cert, no entry.
    command = etcd_command(state)
    assert command[0] == "etcd"
    proc = serve([os.environ["KETCH_BIN"]] + command, tmp_path / "ketch-etcd.log")
    try:
        wait_healthy(state, port, proc)
        keys = etcdctl_tls(state, port, "get", "/registry", "--prefix", "--keys-only")
        assert keys.rc == 0, keys.err
        for key in ["/registry/namespaces/default", "/registry/namespaces/kube-system",
                    "/registry/services/specs/default/kubernetes", "/registry/clusterroles/cluster-admin",
                    "/registry/minions/node1", "/registry/configmaps/kube-system/kubeadm-config"]:
            assert key + "\n" in keys.out, key
        limited = etcdctl_tls(state, port, "get", "/", "--prefix", "--keys-only", "--limit=10")
        assert limited.rc == 0 and len([l for l in limited.out.splitlines() if l]) == 10
        refused = etcdctl_tls(state, port, "get", "/registry", "--prefix", "--keys-only", cert=False)
        assert refused.rc != 0
    finally:
        stop(proc)

    # The same command line runs real etcd 3.5.1 (on a fresh data dir: it cannot read Ketch's).
    shutil.move(str(state / "etcd"), str(tmp_path / "ketch-data"))
    proc = serve([str(h.etcd35_bin("etcd"))] + command[1:], tmp_path / "real-etcd.log")
    try:
        wait_healthy(state, port, proc)
    finally:
        stop(proc)


def test_rerun_keeps_ca_and_bad_input_is_refused(tmp_path, sut_ready):
    state = tmp_path / "state"
    _, _, ports = init(state, "--encryption-algorithm", "ECDSA-P256")
    ca = (state / "kubernetes/pki/ca.crt").read_bytes()
    ca_key = (state / "kubernetes/pki/ca.key").read_bytes()
    r, _, _ = init(state, "--encryption-algorithm", "ECDSA-P256", ports=ports)
    assert "Using existing" in r.stdout
    assert (state / "kubernetes/pki/ca.crt").read_bytes() == ca

    for args, words in [
        (["init", "--state-dir", str(state), "--bogus"], "bogus"),
        (["init", "phase", "certs", "nonsense", "--state-dir", str(state)], "nonsense"),
        (["init", "phase", "nosuchphase", "--state-dir", str(state)], "nosuchphase"),
        (["init", "--state-dir", str(tmp_path / "x"), "--service-cidr", "10.96.0.0/99"], "10.96.0.0/99"),
        (["init", "--state-dir", str(tmp_path / "y"), "--apiserver-advertise-address", "not-an-ip"], "not-an-ip"),
        (["init", "--state-dir", "/proc/ketch-cannot-write"], "/proc/ketch-cannot-write"),
    ]:
        r = ketch(*args)
        assert r.returncode != 0 and words in (r.stdout + r.stderr), (args, r.stdout, r.stderr)

    # A half-written PKI (a CA certificate without its key) is refused and nothing is overwritten.
    (state / "kubernetes/pki/ca.key").unlink()
    (state / "kubernetes/pki/apiserver.crt").unlink()
    r = ketch("init", "--state-dir", str(state), "--node-name", "node1", "--encryption-algorithm", "ECDSA-P256")
    assert r.returncode != 0, r.stdout
    assert (state / "kubernetes/pki/ca.crt").read_bytes() == ca
    assert not (state / "kubernetes/pki/ca.key").exists()
    (state / "kubernetes/pki/ca.key").write_bytes(ca_key)

    table = ketch("certs", "check-expiration", "--state-dir", str(state))
    assert table.returncode == 0 and "CERTIFICATE AUTHORITY" in table.stdout and "admin.conf" in table.stdout, table.stderr

    r = ketch("reset", "--force", "--state-dir", str(state))
    assert r.returncode == 0, r.stderr
    assert not (state / "kubernetes").exists() and not (state / "etcd").exists()
