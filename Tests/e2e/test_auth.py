"""Differential tests of etcd's auth: users, roles, key-range permissions, enable/disable,
as etcdctl 3.5 and 3.4 see them against etcd 3.5.1 and Ketch.

Revisions and auth revisions in comments assume a fresh store.
"""

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import e2e_harness as h
from e2e_harness import S, txn_input

ROOT = ("--user", "root:rootpw")
ALICE = ("--user", "alice:pw")

# Users, roles and permissions as root; then what a limited user may and may not do.
AUTH_BASICS = [
    S("auth", "status"),                                  # off, auth revision 1
    S("auth", "status", "-w", "json"),
    S("user", "add", "root:rootpw"),                      # auth revision 2
    S("user", "add", "root:other"),                       # user name already exists
    S("auth", "enable"),                                  # etcdctl adds the root role and grants it
    S("auth", "status"),                                  # user name is empty
    S("auth", "status", *ROOT),                           # on, auth revision 4
    S("user", "list", *ROOT),
    S("role", "list", *ROOT),
    S("user", "get", "root", *ROOT),
    S("role", "get", "root", *ROOT),
    S("role", "get", "root", *ROOT, "-w", "json"),
    S("user", "add", "alice:pw", *ROOT),
    S("role", "add", "r1", *ROOT),
    S("role", "add", "r1", *ROOT),                        # role name already exists
    S("role", "grant-permission", "r1", "read", "a", *ROOT),
    S("role", "grant-permission", "r1", "readwrite", "p/", "--prefix", *ROOT),
    S("role", "grant-permission", "r1", "write", "z", "--from-key", *ROOT),
    S("role", "grant-permission", "r1", "readwrite", "b", "c", *ROOT),
    S("role", "get", "r1", *ROOT),
    S("role", "get", "r1", *ROOT, "-w", "json"),
    S("user", "grant-role", "alice", "r1", *ROOT),
    S("user", "get", "alice", *ROOT),
    S("user", "get", "alice", "--detail", *ROOT),
    S("user", "list", *ROOT, "-w", "json"),
    S("role", "list", *ROOT, "-w", "json"),
    S("auth", "status", *ROOT, "-w", "json"),             # auth revision 11
    S("put", "a", "1", *ROOT),                            # rev 2
    S("get", "a", *ALICE),
    S("get", "a", *ALICE, "-w", "json"),
    S("get", "a"),                                        # user name is empty
    S("get", "a", "--user", "alice:wrong"),               # authentication failed
    S("get", "a", "--user", "bob:pw"),                    # authentication failed
    S("put", "a", "2", *ALICE),                           # read only: permission denied
    S("put", "p/x", "1", *ALICE),                         # rev 3
    S("put", "p/y", "1", "--prev-kv", *ALICE),            # rev 4 (readwrite: prev-kv allowed)
    S("get", "p/", "--prefix", *ALICE),
    S("get", "p", "--prefix", *ALICE),                    # wider than granted: denied
    S("put", "z1", "1", *ALICE),                          # rev 5
    S("put", "zz", "1", "--prev-kv", *ALICE),             # write only: prev-kv needs read, denied
    S("get", "z1", *ALICE),                               # write only: denied
    S("get", "z", "--from-key", *ALICE),                  # denied
    S("put", "bb", "1", *ALICE),                          # rev 6
    S("get", "b", "c", *ALICE),
    S("get", "b", "d", *ALICE),                           # denied
    S("del", "p/x", *ALICE),                              # rev 7
    S("del", "p/", "--prefix", "--prev-kv", *ALICE),      # rev 8
    S("del", "a", *ALICE),                                # denied
    S("txn", *ALICE, stdin=txn_input(['value("a") = "1"'], ["put p/t 1", "get a"], ["get b"])),
    S("txn", *ALICE, stdin=txn_input(['value("a") = "1"'], ["put a 2"], [])),      # denied: put a
    S("txn", *ALICE, stdin=txn_input(['value("x") = "1"'], ["put p/t 2"], [])),    # denied: compare x
    S("txn", *ALICE, stdin=txn_input([], ["put p/u 1"], ["get x"])),               # denied: failure branch
    S("compaction", "2", *ALICE),                         # etcd 3.5 lets any user compact
    S("member", "list", *ALICE),
    S("member", "list"),                                  # member list needs no user
    S("user", "list", *ALICE),                            # permission denied
    S("role", "list", *ALICE),
    S("user", "get", "alice", *ALICE),                    # own entry: allowed
    S("user", "get", "root", *ALICE),                     # denied
    S("role", "get", "r1", *ALICE),                       # held role: allowed
    S("role", "get", "root", *ALICE),                     # denied
    S("auth", "status", *ALICE),                          # denied
    S("auth", "disable", *ALICE),                         # denied
    S("user", "add", "eve:pw", *ALICE),                   # denied
    S("role", "grant-permission", "r1", "readwrite", "", "--prefix", *ALICE),   # denied
]

# Administration errors, password changes, no-password users, auth off and on again.
AUTH_ADMIN = [
    S("user", "add", "root:rootpw"),
    S("role", "add", "root"),
    S("user", "grant-role", "root", "root"),
    S("auth", "enable"),
    S("auth", "enable", *ROOT),                           # already on: no-op
    S("user", "add", "alice:pw", *ROOT),
    S("role", "add", "r1", *ROOT),
    S("role", "add", "", *ROOT),                          # role name is empty
    S("user", "get", "nobody", *ROOT),
    S("role", "get", "nobody", *ROOT),
    S("user", "delete", "nobody", *ROOT),
    S("role", "delete", "nobody", *ROOT),
    S("user", "grant-role", "nobody", "r1", *ROOT),
    S("user", "grant-role", "alice", "nobody", *ROOT),
    S("user", "grant-role", "alice", "r1", *ROOT),
    S("user", "grant-role", "alice", "r1", *ROOT),        # already held: no-op, no revision
    S("user", "revoke-role", "alice", "nobody", *ROOT),   # role is not granted to the user
    S("user", "revoke-role", "nobody", "r1", *ROOT),
    S("user", "revoke-role", "root", "root", *ROOT),      # invalid auth management
    S("user", "delete", "root", *ROOT),                   # invalid auth management
    S("role", "delete", "root", *ROOT),                   # invalid auth management
    S("role", "grant-permission", "nobody", "read", "a", *ROOT),
    S("role", "grant-permission", "r1", "read", "k", *ROOT),
    S("role", "grant-permission", "r1", "read", "k", "l", *ROOT),
    S("role", "grant-permission", "r1", "read", "b", "a", *ROOT),   # etcd 3.5 accepts an empty range
    S("role", "grant-permission", "r1", "readwrite", "k", *ROOT),   # same key: type updated in place
    S("role", "grant-permission", "r1", "read", "", "--prefix", *ROOT),
    S("role", "get", "r1", *ROOT),
    S("role", "get", "r1", *ROOT, "-w", "json"),
    S("role", "revoke-permission", "r1", "nokey", *ROOT), # permission is not granted to the role
    S("role", "revoke-permission", "nobody", "k", *ROOT),
    S("role", "revoke-permission", "r1", "k", "l", *ROOT),
    S("role", "revoke-permission", "r1", "", "--prefix", *ROOT),
    S("role", "get", "r1", *ROOT),
    S("get", "k", *ALICE),
    S("user", "passwd", "alice", "--interactive=false", *ROOT, stdin="newpw\n"),
    S("get", "k", *ALICE),                                # old password: authentication failed
    S("get", "k", "--user", "alice:newpw"),
    S("user", "add", "cn-only", "--no-password", *ROOT),
    S("user", "get", "cn-only", *ROOT),
    S("get", "k", "--user", "cn-only:x"),                 # password given for a no-password user
    S("user", "passwd", "cn-only", "--interactive=false", *ROOT, stdin="pw\n"),
    S("get", "k", "--user", "cn-only:pw"),                # still no password
    S("user", "grant-role", "alice", "root", *ROOT),
    S("user", "list", "--user", "alice:newpw"),           # alice is admin now
    S("user", "revoke-role", "alice", "root", *ROOT),
    S("user", "list", "--user", "alice:newpw"),           # and not any more
    S("role", "delete", "r1", *ROOT),                     # taken from alice too
    S("user", "get", "alice", *ROOT),
    S("get", "k", "--user", "alice:newpw"),               # no roles: denied
    S("user", "delete", "alice", *ROOT),
    S("get", "k", "--user", "alice:newpw"),               # authentication failed
    S("auth", "status", *ROOT),
    S("auth", "disable"),                                 # user name is empty
    S("auth", "disable", *ROOT),
    S("auth", "disable"),                                 # already off: no-op
    S("auth", "status"),
    S("get", "k"),
    S("get", "k", *ROOT),                                 # client warns "authentication is not enabled"
    S("user", "list"),
    S("user", "delete", "root"),
    S("auth", "enable"),                                  # root user does not exist
    S("user", "add", "root:again"),
    S("auth", "enable"),
    S("get", "k", "--user", "root:again"),
    S("auth", "status", "--user", "root:again"),
]

SEQUENCES = {
    "basics": AUTH_BASICS,
    "admin": AUTH_ADMIN,
}


@pytest.mark.parametrize("client_bin", h.CLIENTS, indirect=True, ids=lambda c: "etcdctl" + c)
@pytest.mark.parametrize("name", list(SEQUENCES))
def test_auth_differential(name, client_bin, tmp_path):
    __tracebackhide__ = True
    h.differential(tmp_path, client_bin, SEQUENCES[name], "auth_" + name)


# ---------------------------------------------------------------------------
# Auth state across a restart: both servers restart between two sequences.

class AuthAwareServer(h.Server):
    """A server whose readiness probe accepts `user name is empty`: with auth on, an anonymous
    read is refused, which still shows the server is up and answering."""

    def wait_healthy(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise h.ServerError("%s exited with code %s\nstderr tail:\n%s"
                                    % (self.describe(), self.proc.returncode, self.stderr_tail()))
            r = h.run_etcdctl("3.5", self.endpoint, ["get", "ketch-e2e-health-probe"], timeout=5,
                              dial_timeout="1s", command_timeout="2s")
            if r.rc == 0 or "user name is empty" in r.err:
                return
            if time.monotonic() > deadline:
                self.kill9()
                raise h.ServerError("%s not ready after %ss: %r" % (self.describe(), timeout, r.err[-500:]))
            time.sleep(0.2)


BEFORE_RESTART = [
    S("user", "add", "root:rootpw"),
    S("auth", "enable"),
    S("user", "add", "alice:pw", *ROOT),
    S("user", "add", "cn-only", "--no-password", *ROOT),
    S("role", "add", "r1", *ROOT),
    S("role", "grant-permission", "r1", "readwrite", "p/", "--prefix", *ROOT),
    S("role", "grant-permission", "r1", "read", "a", *ROOT),
    S("user", "grant-role", "alice", "r1", *ROOT),
    S("put", "p/x", "1", *ALICE),
    S("put", "a", "1", *ROOT),
]

AFTER_RESTART = [
    S("auth", "status", *ROOT),
    S("get", "a"),                                        # still on: user name is empty
    S("get", "a", *ALICE),
    S("put", "a", "2", *ALICE),                           # still read only
    S("get", "p/", "--prefix", *ALICE),
    S("user", "list", *ROOT),
    S("user", "get", "cn-only", *ROOT),
    S("get", "a", "--user", "cn-only:x"),
    S("role", "get", "r1", *ROOT),
    S("get", "a", "--user", "alice:wrong"),
    S("auth", "disable", *ROOT),
]


@pytest.mark.parametrize("client_bin", ["3.5"], indirect=True, ids=lambda c: "etcdctl" + c)
def test_auth_survives_restart(client_bin, tmp_path):
    __tracebackhide__ = True
    ref = AuthAwareServer("etcd", tmp_path, "etcd-ref")
    sut = AuthAwareServer("ketch", tmp_path, "ketch")
    try:
        with ThreadPoolExecutor(2) as ex:
            for f in [ex.submit(s.start) for s in (ref, sut)]:
                f.result()
            before = [ex.submit(h.run_steps, s, client_bin, BEFORE_RESTART) for s in (ref, sut)]
            ref_before, sut_before = before[0].result(), before[1].result()
            for f in [ex.submit(s.restart) for s in (ref, sut)]:
                f.result()
            after = [ex.submit(h.run_steps, s, client_bin, AFTER_RESTART) for s in (ref, sut)]
            ref_after, sut_after = after[0].result(), after[1].result()
        steps = BEFORE_RESTART + AFTER_RESTART
        for label, res in (("etcd-ref", ref_before + ref_after), ("ketch", sut_before + sut_after)):
            h.write_transcript(Path(tmp_path) / ("transcript-%s.txt" % label), steps, res)
        reports = h.compare_results(steps, ref_before + ref_after, sut_before + sut_after)
        assert not reports, "auth across a restart differs:\n\n" + "\n\n".join(reports)
    finally:
        ref.stop()
        sut.stop()


# ---------------------------------------------------------------------------
# What other services check with auth on (etcd 3.5.1): Watch needs read permission on the
# watched range; Lease grant/list need nothing beyond a valid token; Maintenance's Defragment,
# Hash, HashKV and Snapshot need the root role and answer with etcd's untranslated
# `auth: …` errors (gRPC code Unknown); Status and Alarm need nothing (Status is left out here:
# its sizes and raft index differ by design).
OTHER_SERVICES = [
    S("user", "add", "root:rootpw"),
    S("auth", "enable"),
    S("user", "add", "alice:pw", *ROOT),
    S("role", "add", "r1", *ROOT),
    S("role", "grant-permission", "r1", "readwrite", "w/", "--prefix", *ROOT),
    S("user", "grant-role", "alice", "r1", *ROOT),
    S("watch", "x", *ALICE, stream=8),                    # canceled (exits early): permission denied
    S("watch", "w/", "--prefix", *ALICE, stream=2),       # allowed (prints nothing)
    S("watch", "x", stream=8),                            # no user: canceled
    S("alarm", "list", *ALICE),
    S("alarm", "list"),
    S("endpoint", "hashkv", *ALICE),                      # auth: permission denied
    S("endpoint", "hashkv"),                              # auth: user name is empty
    S("defrag", *ALICE),
    S("defrag", *ROOT),
    S("lease", "list", *ALICE),
    S("lease", "list"),
]


@pytest.mark.parametrize("client_bin", h.CLIENTS, indirect=True, ids=lambda c: "etcdctl" + c)
def test_auth_other_services(client_bin, tmp_path):
    __tracebackhide__ = True
    h.differential(tmp_path, client_bin, OTHER_SERVICES, "auth_other_services")


def lease_puts(server, client):
    """Attaching a key to a lease needs write access to the keys the lease already holds
    (etcd's `checkLeasePuts`). The lease ID is the server's choice, so this is a scenario
    rather than a table; returns the steps run and their results."""
    steps = [
        S("user", "add", "root:rootpw"),
        S("auth", "enable"),
        S("user", "add", "alice:pw", *ROOT),
        S("role", "add", "r1", *ROOT),
        S("role", "grant-permission", "r1", "readwrite", "k", *ROOT),
        S("user", "grant-role", "alice", "r1", *ROOT),
        S("lease", "grant", "600", *ROOT),
    ]
    results = h.run_steps(server, client, steps)
    lease = results[-1].out.split()[1] if results[-1].rc == 0 else "0"
    more = [
        S("put", "k", "v", "--lease=" + lease, *ALICE),
        S("put", "other", "v", "--lease=" + lease, *ROOT),
        S("put", "k", "v2", "--lease=" + lease, *ALICE),     # the lease holds "other": denied
        S("put", "k", "v3", *ALICE),                         # no lease: allowed
    ]
    return steps + more, results + h.run_steps(server, client, more)


@pytest.mark.parametrize("client_bin", h.CLIENTS, indirect=True, ids=lambda c: "etcdctl" + c)
def test_auth_lease_puts(client_bin, tmp_path):
    __tracebackhide__ = True
    ref = h.Server("etcd", tmp_path, "etcd-ref")
    sut = h.Server("ketch", tmp_path, "ketch")
    try:
        with ThreadPoolExecutor(2) as ex:
            for f in [ex.submit(s.start) for s in (ref, sut)]:
                f.result()
            runs = [ex.submit(lease_puts, s, client_bin) for s in (ref, sut)]
            (steps, ref_results), (_, sut_results) = runs[0].result(), runs[1].result()
        reports = h.compare_results(steps, ref_results, sut_results)
        assert not reports, "lease puts with auth differ:\n\n" + "\n\n".join(reports)
    finally:
        ref.stop()
        sut.stop()


# ---------------------------------------------------------------------------
# With --client-cert-auth, a request without a token is made by the user named by the CN of
# its client certificate (etcd's AuthInfoFromTLS); a token wins over the certificate.

def cn_steps(pki):
    alice = ("--cert", pki.path("alice.crt"), "--key", pki.path("alice.key"))
    server_cn = ("--cert", pki.path("server.crt"), "--key", pki.path("server.key"))  # CN=server: no such user
    return [
        S("user", "add", "root:rootpw"),                  # the default certificate is CN=root
        S("auth", "enable"),
        S("auth", "status"),                              # CN=root holds the root role
        S("user", "add", "alice", "--no-password"),
        S("role", "add", "r1"),
        S("role", "grant-permission", "r1", "readwrite", "k"),
        S("user", "grant-role", "alice", "r1"),
        S("put", "k", "v"),
        S("put", "x", "1"),
        S("get", "k", *alice),
        S("put", "k", "v2", *alice),
        S("get", "x", *alice),                            # permission denied
        S("user", "list", *alice),                        # permission denied
        S("get", "x", *alice, "--user", "root:rootpw"),   # the token wins: root
        S("get", "k", *alice, "--user", "alice:pw"),      # no-password user: no password login
        S("get", "k", *server_cn),                        # unknown user: permission denied
        S("user", "list", *server_cn),                    # user name not found
        S("member", "list", *server_cn),
        S("auth", "disable"),
    ]


def run_over_tls(tmp_path, client, steps_for, client_cert_auth):
    """Runs `steps_for(pki)` against etcd and Ketch serving https with certificates from one
    PKI; etcdctl presents CN=root unless a step names another certificate."""
    pki = h.make_pki(tmp_path / "pki")
    servers = [h.Server(kind, tmp_path, label, scheme="https", extra_args=pki.server_flags(client_cert_auth),
                        ctl_args=pki.client_flags("root"))
               for kind, label in (("etcd", "etcd-ref"), ("ketch", "ketch"))]
    steps = steps_for(pki)
    try:
        with ThreadPoolExecutor(2) as ex:
            for f in [ex.submit(s.start) for s in servers]:
                f.result()
            runs = [ex.submit(h.run_steps, s, client, steps) for s in servers]
            ref_results, sut_results = runs[0].result(), runs[1].result()
        for label, res in (("etcd-ref", ref_results), ("ketch", sut_results)):
            h.write_transcript(Path(tmp_path) / ("transcript-%s.txt" % label), steps, res)
        reports = h.compare_results(steps, ref_results, sut_results)
        assert not reports, "client-certificate users differ:\n\n" + "\n\n".join(reports)
    finally:
        for s in servers:
            s.stop()


@pytest.mark.parametrize("client_bin", h.CLIENTS, indirect=True, ids=lambda c: "etcdctl" + c)
def test_auth_client_certificate_cn(client_bin, tmp_path):
    __tracebackhide__ = True
    run_over_tls(tmp_path, client_bin, cn_steps, client_cert_auth=True)


@pytest.mark.parametrize("client_bin", ["3.5"], indirect=True, ids=lambda c: "etcdctl" + c)
def test_auth_certificate_ignored_without_client_cert_auth(client_bin, tmp_path):
    """With only --trusted-ca-file, etcd checks the certificate but never takes the CN as the user."""
    __tracebackhide__ = True
    run_over_tls(tmp_path, client_bin, lambda pki: cn_steps(pki)[:4], client_cert_auth=False)
