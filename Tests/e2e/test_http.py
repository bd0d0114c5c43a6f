"""etcd's HTTP endpoints on the client URL (beside gRPC, same port) and on
`--listen-metrics-urls`, compared with etcd 3.5.1 answer for answer (status line, headers
other than Date, body), plus the Prometheus metrics Ketch exports under etcd's names.
"""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

import e2e_harness as h

pytestmark = pytest.mark.usefixtures("sut_ready")

# (method, path) asked on the client URL; bodies and headers must match etcd's.
CLIENT_REQUESTS = [
    ("GET", "/health"),
    ("GET", "/health?exclude=NOSPACE"),
    ("GET", "/health?serializable=true"),
    ("POST", "/health"),
    ("HEAD", "/health"),
    ("OPTIONS", "/health"),
    ("GET", "/version"),
    ("PUT", "/version"),
    ("GET", "/no-such-endpoint"),
]
# On a metrics listener etcd serves /metrics and /health only.
METRICS_REQUESTS = [
    ("GET", "/health"),
    ("POST", "/health"),
    ("GET", "/version"),
    ("GET", "/no-such-endpoint"),
]


def request(url: str, method: str) -> h.HTTPReply:
    return h.curl(url, "-I") if method == "HEAD" else h.curl(url, "-X", method)


def start_pair(tmp_path, extra=()):
    ref = h.Server("etcd", tmp_path, "etcd-ref", extra_args=extra)
    sut = h.Server("ketch", tmp_path, "ketch", extra_args=extra)
    for s in (ref, sut):
        s.metrics_port = h.free_ports(1)[0]
        s.extra_args += ["--listen-metrics-urls", "http://127.0.0.1:%d" % s.metrics_port]
    with ThreadPoolExecutor(2) as ex:
        for f in [ex.submit(ref.start), ex.submit(sut.start)]:
            f.result()
    return ref, sut


def metric_values(text: str) -> dict:
    """Prometheus text → {'name{labels}': value}."""
    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.rpartition(" ")
            values[key] = float(value)
    return values


def families(text: str) -> set:
    return set(re.findall(r"^# TYPE (\S+) ", text, re.M))


def test_http_endpoints_like_etcd(tmp_path):
    ref, sut = start_pair(tmp_path)
    try:
        diffs = []
        for base, requests in (("endpoint", CLIENT_REQUESTS), ("metrics", METRICS_REQUESTS)):
            for method, path in requests:
                a, b = ((request(s.endpoint + path, method) if base == "endpoint" else
                         request("http://127.0.0.1:%d%s" % (s.metrics_port, path), method)) for s in (ref, sut))
                if (a.rc, a.status, a.headers, a.body) != (b.rc, b.status, b.headers, b.body):
                    diffs.append("%s %s on %s:\n  etcd:  %r\n  ketch: %r" % (method, path, base, a, b))
        assert not diffs, "\n".join(diffs)

        # /metrics: same content type as etcd, on the client URL and the metrics listener.
        for url in (sut.endpoint + "/metrics", "http://127.0.0.1:%d/metrics" % sut.metrics_port):
            m = h.curl(url)
            assert m.status == "HTTP/1.1 200 OK" and m.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8"
        # Ketch serves /livez and /readyz (etcd added them after 3.5.1, which answers 404).
        for path in (("/livez", "/readyz") if not h.self_mode() else ()):
            r = h.curl(sut.endpoint + path)
            assert (r.status, r.body) == ("HTTP/1.1 200 OK", "ok"), path
    finally:
        ref.stop()
        sut.stop()


def test_metrics_follow_the_store(tmp_path):
    ref, sut = start_pair(tmp_path, extra=("--metrics", "extensive"))
    try:
        for s in (ref, sut):
            s.ctl(["put", "a", "1"]).check()
            s.ctl(["put", "b", "2"]).check()
            s.ctl(["get", "a"]).check()
        text = {s.kind: h.curl("http://127.0.0.1:%d/metrics" % s.metrics_port).body for s in (ref, sut)}
        m = metric_values(text["ketch"])
        assert m["etcd_server_has_leader"] == 1 and m["etcd_server_is_leader"] == 1
        assert m["etcd_debugging_mvcc_keys_total"] == 2
        assert m["etcd_debugging_mvcc_current_revision"] == 3
        assert m["etcd_mvcc_db_total_size_in_bytes"] >= m["etcd_mvcc_db_total_size_in_use_in_bytes"] > 0
        assert m["etcd_server_quota_backend_bytes"] == 2 * 1024 ** 3
        put = 'grpc_method="Put",grpc_service="etcdserverpb.KV",grpc_type="unary"'
        assert m['grpc_server_started_total{%s}' % put] == 2
        assert m['grpc_server_handled_total{grpc_code="OK",%s}' % put] == 2
        assert m['grpc_server_handling_seconds_count{%s}' % put] == 2
        # Every metric family Ketch exports exists in etcd 3.5.1 under the same name and type.
        types = lambda t: dict(re.findall(r"^# TYPE (\S+) (\S+)", t, re.M))
        ours, theirs = types(text["ketch"]), types(text["etcd"])
        assert {k: v for k, v in ours.items() if theirs.get(k) != v} == {}
    finally:
        ref.stop()
        sut.stop()


def test_grpc_and_http_share_the_port(tmp_path):
    """Interleaved etcdctl and curl on one client port: each gets its own protocol."""
    s = h.Server("ketch", tmp_path, "ketch")
    with s:
        with ThreadPoolExecutor(8) as ex:
            puts = [ex.submit(s.ctl, ["put", "k%d" % i, "v"]) for i in range(12)]
            gets = [ex.submit(h.curl, s.endpoint + "/health") for _ in range(24)]
            assert all(f.result().rc == 0 for f in puts)
            assert all(f.result().body == '{"health":"true","reason":""}' for f in gets)
        assert s.ctl(["get", "k", "--prefix", "--count-only", "-w", "fields"]).check().out.find('"Count" : 12') >= 0
