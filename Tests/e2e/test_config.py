"""`ketch etcd` configured as etcd 3.5.1 is: `--config-file` (etcd's YAML keys), `ETCD_*`
environment variables, and their precedence, compared with the real binary.

Precedence found in etcd 3.5.1: a config file (`--config-file`, else `ETCD_CONFIG_FILE`) alone
configures the server, and other flags and variables are ignored without being checked;
otherwise a variable fills a setting no flag set, a variable and a flag for the same setting
is fatal, and unknown `ETCD_*` variables are only warned about.
"""

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

import e2e_harness as h

pytestmark = pytest.mark.usefixtures("sut_ready")


def start_both(ref: h.Server, sut: h.Server) -> None:
    with ThreadPoolExecutor(2) as ex:
        for f in [ex.submit(ref.start), ex.submit(sut.start)]:
            f.result()


def members(s: h.Server) -> list:
    out = s.ctl(["member", "list", "-w", "json"]).check().json()
    return [(m["name"], m["peerURLs"], m["clientURLs"]) for m in out["members"]]


def config_yaml(s: h.Server, pki: h.PKI) -> str:
    url = s.endpoint
    peer = s.peer_url
    return f"""# etcd's sample configuration keys
name: from-file
data-dir: {s.data_dir}
listen-client-urls: {url}
advertise-client-urls: {url}
listen-peer-urls: {peer}
initial-advertise-peer-urls: {peer}
initial-cluster: from-file={peer}
initial-cluster-token: file-token
initial-cluster-state: 'new'
snapshot-count: 10000
quota-backend-bytes: 4294967296
max-txn-ops: 64
max-request-bytes: 1572864
listen-metrics-urls: http://127.0.0.1:{s.metrics_port}
metrics: basic
log-level: info
client-transport-security:
  cert-file: {pki.path("server.crt")}
  key-file: {pki.path("server.key")}
  client-cert-auth: true
  trusted-ca-file: {pki.ca}
  auto-tls: false
peer-transport-security:
  auto-tls: false
some-key-etcd-does-not-know: 1
"""


def test_config_file_like_etcd(tmp_path):
    pki = h.make_pki(tmp_path / "pki")
    servers = []
    for kind, label in (("etcd", "etcd-ref"), ("ketch", "ketch")):
        # Flags and variables beside a config file are ignored, even when they conflict.
        s = h.Server(kind, tmp_path, label, scheme="https", ctl_args=pki.client_flags("root"),
                     env={"ETCD_NAME": "from-env", "ETCD_MAX_TXN_OPS": "1"})
        s.metrics_port = h.free_ports(1)[0]
        path = s.dir / "etcd.conf.yml"
        path.write_text(config_yaml(s, pki))
        s.argv_override = ["--config-file", str(path), "--name", "from-flag"]
        servers.append(s)
    ref, sut = servers
    try:
        start_both(ref, sut)
        assert members(ref) == [("from-file", [ref.peer_url], [ref.endpoint])]
        assert members(sut) == [("from-file", [sut.peer_url], [sut.endpoint])]
        # max-txn-ops 64 from the file (ETCD_MAX_TXN_OPS=1 is ignored): 64 operations pass, 65 do not.
        ops = lambda n: "\n\n" + "".join("put k%d v\n" % i for i in range(n)) + "\n\n"
        for s in (ref, sut):
            assert s.ctl(["txn"], stdin=ops(64)).check().out.startswith("SUCCESS"), s.kind
        txn = ops(65)
        a, b = (s.ctl(["txn"], stdin=txn) for s in (ref, sut))
        assert (b.rc, b.err.splitlines()[-1:]) == (a.rc, a.err.splitlines()[-1:]) == (1, ["Error: etcdserver: too many operations in txn request"])
        for s in (ref, sut):
            m = h.curl("http://127.0.0.1:%d/metrics" % s.metrics_port).body
            quota = [l for l in m.splitlines() if l.startswith("etcd_server_quota_backend_bytes ")]
            assert quota and float(quota[0].split()[1]) == 4294967296, (s.kind, quota)
            assert h.run_etcdctl("3.5", s.endpoint, ["get", "x"], dial_timeout="1s", command_timeout="2s",
                                 global_args=["--cacert", pki.ca]).rc == 1, "client-cert-auth from the file"
        log = sut.stderr_path.read_text()
        assert "loaded server configuration, other configuration command line flags and environment variables will be ignored if provided" in log
    finally:
        ref.stop()
        sut.stop()


def test_environment_like_etcd(tmp_path):
    servers = []
    for kind, label in (("etcd", "etcd-ref"), ("ketch", "ketch")):
        s = h.Server(kind, tmp_path, label)
        s.env = {
            "ETCD_NAME": "from-env",
            "ETCD_DATA_DIR": str(s.data_dir),
            "ETCD_LISTEN_CLIENT_URLS": s.endpoint,
            "ETCD_ADVERTISE_CLIENT_URLS": s.endpoint,
            "ETCD_LISTEN_PEER_URLS": s.peer_url,
            "ETCD_INITIAL_ADVERTISE_PEER_URLS": s.peer_url,
            "ETCD_INITIAL_CLUSTER": "from-env=" + s.peer_url,
            "ETCD_INITIAL_CLUSTER_TOKEN": "env-token",
            "ETCD_MAX_TXN_OPS": "3",
            "ETCD_SNAPSHOT_COUNT": "5000",
            "ETCD_NOT_A_SETTING": "1",
        }
        s.argv_override = ["--max-request-bytes", "2000000"]  # a flag beside the variables
        servers.append(s)
    ref, sut = servers
    try:
        start_both(ref, sut)
        assert members(sut)[0][0] == "from-env" == members(ref)[0][0]
        txn = "\n\n" + "".join("put k%d v\n" % i for i in range(4)) + "\n\n"
        a, b = (s.ctl(["txn"], stdin=txn) for s in (ref, sut))
        assert (b.rc, b.err.splitlines()[-1:]) == (a.rc, a.err.splitlines()[-1:]) == (1, ["Error: etcdserver: too many operations in txn request"])
        for s in (ref, sut):
            log = s.stderr_path.read_text()
            assert '"msg":"unrecognized environment variable","environment-variable":"ETCD_NOT_A_SETTING=1"' in log, s.kind
    finally:
        ref.stop()
        sut.stop()


def run_once(kind: str, tmp_path, args, env=None) -> subprocess.CompletedProcess:
    """Starts a server expected to refuse its configuration; returns its exit."""
    s = h.Server(kind, tmp_path, kind)
    argv = s.prefix + list(args)
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=15, cwd=str(s.dir), env=h._clean_env(env))
    except subprocess.TimeoutExpired as e:
        raise AssertionError("%s kept running with %s" % (kind, args)) from e


@pytest.mark.parametrize("case", ["conflict", "bad-env-value", "missing-file", "bad-file-value", "bad-yaml"])
def test_refused_configuration_like_etcd(tmp_path, case):
    bad = tmp_path / "bad.yml"
    bad.write_text({"bad-file-value": "name: x\nmax-txn-ops: lots\n", "bad-yaml": "name: [x\n"}.get(case, ""))
    args, env, expect = {
        "conflict": (["--name", "flag-name"], {"ETCD_NAME": "env-name"},
                     "conflicting environment variable is shadowed by corresponding command-line flag"),
        "bad-env-value": ([], {"ETCD_MAX_TXN_OPS": "lots"}, 'invalid value \\"lots\\" for ETCD_MAX_TXN_OPS: parse error'),
        "missing-file": (["--config-file", str(tmp_path / "none.yml")], None,
                         "open %s: no such file or directory" % (tmp_path / "none.yml")),
        "bad-file-value": (["--config-file", str(bad)], None, "max-txn-ops"),
        "bad-yaml": (["--config-file", str(bad)], None, '"msg":"failed to verify flags"'),
    }[case]
    for kind in ("etcd", "ketch"):
        p = run_once(kind, tmp_path, args, env)
        assert p.returncode == 1 and expect in p.stderr, (kind, p.returncode, p.stderr[-1500:])
    if case in ("bad-file-value", "bad-yaml") and not h.self_mode():
        # Ketch's message also names the file (and the line); etcd's names only the key.
        error = [l for l in p.stderr.splitlines() if '"msg":"failed to verify flags"' in l]
        assert error and str(bad) in error[0], p.stderr[-1500:]


@pytest.mark.parametrize("flag", ["--version", "-version"])
def test_version_flag_like_etcd(flag):
    """`etcd --version` prints four lines, the first `etcd Version: X`, and exits 0 without
    starting (or touching a data dir)."""
    outputs = []
    for kind in ("etcd", "ketch"):
        p = subprocess.run(h.server_command(kind) + [flag], capture_output=True, text=True, timeout=30,
                           env=h._clean_env(), cwd="/")
        assert p.returncode == 0, (kind, p.stderr)
        outputs.append(p.stdout.splitlines())
    etcd, ketch = outputs
    assert len(ketch) == len(etcd) == 4
    assert ketch[0] == etcd[0]            # etcd Version: 3.5.1
    assert [line.split(":")[0] for line in ketch] == [line.split(":")[0] for line in etcd]
