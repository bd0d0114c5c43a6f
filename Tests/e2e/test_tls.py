"""TLS and mutual TLS on `ketch etcd`'s client URLs, compared with etcd 3.5.1 given the same
flags and the same openssl-made certificates: etcdctl 3.5 and 3.4 with a CA-signed client
certificate work; no certificate, a certificate from another CA, and plaintext against the
https port are refused; TLS below 1.2 is refused; an http listener beside the https one
serves without certificates; with auth enabled the certificate's CN is the user.
"""

import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import e2e_harness as h

pytestmark = pytest.mark.usefixtures("sut_ready")


@pytest.fixture
def pki(tmp_path):
    return h.make_pki(tmp_path / "pki")


def mtls_server(kind: str, base: Path, pki: h.PKI, label: str) -> h.Server:
    """An https client URL with --client-cert-auth, plus a plain http client URL beside it."""
    s = h.Server(kind, base, label, scheme="https", extra_args=pki.server_flags(), ctl_args=pki.client_flags("root"))
    s.plain_port = h.free_ports(1)[0]
    s.extra_client_urls = ["http://127.0.0.1:%d" % s.plain_port]
    return s


def both(fn, ref, sut):
    with ThreadPoolExecutor(2) as ex:
        a, b = ex.submit(fn, ref), ex.submit(fn, sut)
        return a.result(), b.result()


# (endpoint, etcdctl client, args): "https" is the TLS client URL, "plain" the http one beside
# it, "http-to-https" speaks plaintext to the TLS port.
def steps(pki: h.PKI):
    root, alice, other = pki.client_flags("root"), pki.client_flags("alice"), pki.client_flags("other-ca")
    return [
        ("https", "3.5", ["put", "a", "1", *root]),
        ("https", "3.5", ["get", "a", "-w", "json", *alice]),
        ("https", "3.4", ["get", "a", *alice]),
        ("https", "3.4", ["put", "b", "2", *root]),
        ("plain", "3.5", ["get", "a", "b"]),
        ("https", "3.5", ["get", "a", "--cacert", pki.ca]),                        # no client certificate
        ("https", "3.5", ["get", "a", *other]),                                   # certificate from another CA
        ("http-to-https", "3.5", ["get", "a"]),                                   # plaintext to the TLS port
        ("https", "3.4", ["get", "a", "--cacert", pki.ca]),
        # With auth on, a client certificate's CN is the user (etcd's CommonName auth).
        ("https", "3.5", ["user", "add", "root:rootpw", *root]),
        ("https", "3.5", ["user", "add", "alice", "--no-password", *root]),
        ("https", "3.5", ["auth", "enable", *root]),
        ("https", "3.5", ["get", "a", *root]),                                    # CN=root: allowed
        ("https", "3.5", ["get", "a", *alice]),                                   # CN=alice: no role
        ("https", "3.4", ["put", "a", "3", *alice]),
        ("plain", "3.5", ["get", "a"]),                                           # no CN over http
        ("https", "3.5", ["auth", "disable", *root]),
    ]


def run_steps(server: h.Server, pki: h.PKI) -> list:
    out = []
    for where, client, args in steps(pki):
        endpoint = {"https": server.endpoint, "plain": "http://127.0.0.1:%d" % server.plain_port,
                    "http-to-https": server.endpoint.replace("https://", "http://")}[where]
        out.append(h.run_etcdctl(client, endpoint, args, dial_timeout="1s", command_timeout="2s"))
    return out


def openssl_handshake(port: int, *args: str) -> str:
    p = subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % port, *args],
                       input=b"", capture_output=True, timeout=20)
    return p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")


def test_mutual_tls_like_etcd(tmp_path, pki):
    ref = mtls_server("etcd", tmp_path, pki, "etcd-ref")
    sut = mtls_server("ketch", tmp_path, pki, "ketch")
    try:
        both(lambda s: s.start(), ref, sut)
        res_ref, res_sut = both(lambda s: run_steps(s, pki), ref, sut)
        display = [h.S(where, "etcdctl" + client, *args) for where, client, args in steps(pki)]
        for label, res in (("etcd-ref", res_ref), ("ketch", res_sut)):
            h.write_transcript(tmp_path / ("transcript-%s.txt" % label), display, res)
        reports = h.compare_results(display, res_ref, res_sut)
        assert not reports, "mTLS sequence differs from etcd 3.5.1:\n\n" + "\n\n".join(reports)
        # The refusals really are refusals (not agreeing successes).
        for i in (5, 6, 7, 8):
            assert res_sut[i].rc != 0, (display[i].display(), res_sut[i])

        # TLS 1.1 is refused; TLS 1.2 with a client certificate is accepted.
        for s in (ref, sut):
            old = openssl_handshake(s.client_port, "-tls1_1")
            assert "alert protocol version" in old or "no protocols available" in old, (s.kind, old[-800:])
            ok = openssl_handshake(s.client_port, "-tls1_2", "-CAfile", pki.ca,
                                   "-cert", pki.path("root.crt"), "-key", pki.path("root.key"))
            assert "Protocol  : TLSv1.2" in ok and "Verification: OK" in ok, (s.kind, ok[-800:])

        # etcd's HTTP endpoints over TLS, on the same port as gRPC.
        cert = ["--cacert", pki.ca, "--cert", pki.path("root.crt"), "--key", pki.path("root.key")]
        for path in ("/health", "/version"):
            a, b = (h.curl(s.endpoint + path, *cert) for s in (ref, sut))
            assert (b.rc, b.status, b.headers, b.body) == (a.rc, a.status, a.headers, a.body), path
        metrics = h.curl(sut.endpoint + "/metrics", *cert)
        assert metrics.status == "HTTP/1.1 200 OK" and "etcd_server_has_leader 1" in metrics.body
        for s in (ref, sut):
            assert h.curl(s.endpoint + "/health", "--cacert", pki.ca).rc != 0, s.kind      # no client cert
            assert h.curl(s.endpoint.replace("https", "http") + "/health").rc != 0, s.kind  # plaintext
    finally:
        ref.stop()
        sut.stop()


def test_auto_tls(tmp_path, pki):
    """--auto-tls: a self-signed certificate in <data-dir>/fixtures/client, as etcd makes it."""
    # etcdctl enables TLS only when given some TLS file; verification is then skipped.
    s = h.Server("ketch", tmp_path, "ketch", scheme="https", extra_args=["--auto-tls"],
                 ctl_args=["--insecure-skip-tls-verify", "--cacert", pki.ca])
    with s:
        assert s.ctl(["put", "k", "v"]).check().out == "OK\n"
        assert h.curl(s.endpoint + "/health", "-k").body == '{"health":"true","reason":""}'
        cert = s.data_dir / "fixtures" / "client" / "cert.pem"
        assert (s.data_dir / "fixtures" / "client" / "key.pem").is_file()
        text = subprocess.run(["openssl", "x509", "-in", str(cert), "-noout", "-text"],
                              capture_output=True, text=True, check=True).stdout
        assert "Subject: O = etcd" in text and "IP Address:127.0.0.1" in text and "TLS Web Server Authentication" in text
    # Restarting reuses the certificate.
    before = cert.read_bytes()
    with s:
        assert s.ctl(["get", "k", "--print-value-only"]).check().out == "v\n"
    assert cert.read_bytes() == before


def test_https_url_needs_a_certificate(tmp_path):
    """An https URL without --cert-file/--key-file (or --auto-tls) is refused at start, as etcd does."""
    for kind in ("etcd", "ketch"):
        s = h.Server(kind, tmp_path, kind, scheme="https")
        p = subprocess.run(s.argv(), capture_output=True, text=True, timeout=20, cwd=str(s.dir), env=h._clean_env())
        assert p.returncode == 1, (kind, p.stderr[-1000:])
        assert "TLS key/cert (--cert-file, --key-file) must be provided for client url %s with HTTPS scheme" \
            % s.endpoint in p.stderr, (kind, p.stderr[-1000:])
