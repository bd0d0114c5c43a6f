"""A bounded soak of `ketch etcd`: mixed writes, reads, watches, compaction and leases with
short TTLs, for KETCH_SOAK_SECONDS (default 30; 300 for the 5-minute run).

Checked:
- no client sees an error;
- two watchers from the start revision see the same stream: every revision once, in order, no
  gap; each acknowledged write at its revision with exactly its events; every other revision
  is a lease's keys being deleted (expiry or revoke);
- short-lived watchers (created and cancelled all along) see exactly the slice of that stream;
- keys attached to an expired lease disappear (range and watch), its TTL reads -1;
- the final range equals the watched stream replayed;
- RSS and open descriptors after warm-up stay within a generous factor of their early plateau,
  and descriptors return to the baseline when the clients leave.
"""

from __future__ import annotations

import os
import random
import threading
import time

import pytest

import e2e_harness as h
import reliability_util as ru

grpc = pytest.importorskip("grpc", reason="pip install grpcio grpcio-tools (hack/test.sh does)")
pytest.importorskip("grpc_tools", reason="pip install grpcio-tools (hack/test.sh does)")

SECONDS = float(os.environ.get("KETCH_SOAK_SECONDS", "30"))
WRITERS = 3
READERS = 2
KEYS = 200
PREFIX, PREFIX_END = b"soak/", b"soak0"
LEASE_TTL = 2


class Soak:
    def __init__(self, srv, seed):
        self.srv = srv
        self.addr = ru.target(srv)
        self.pb = ru.stubs()
        self.seed = seed
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.errors = []
        self.acked = {}            # revision -> [(type, key, value)]
        self.lease_keys = {}       # lease id -> [keys]
        self.expired_checked = 0
        self.revoked = 0
        self.compacted_to = 0
        self.reads = 0
        self.churn_checks = []     # (start, [events]) of short-lived watchers
        self.samples = []          # (t, rss KiB, fds)

    def error(self, where, e):
        with self.lock:
            self.errors.append("%s: %s" % (where, e if not isinstance(e, grpc.RpcError) else
                                           "%s %s" % (e.code(), e.details())))

    def channel(self):
        return grpc.insecure_channel(self.addr)

    # ---- workers

    def writer(self, t):
        rpc_pb2, rpc_pb2_grpc, _ = self.pb
        rng = random.Random(self.seed * 100 + t)
        seq = 0
        with self.channel() as ch:
            kv = rpc_pb2_grpc.KVStub(ch)
            while not self.stop.is_set():
                seq += 1
                k = b"soak/w%d/%03d" % (t, rng.randrange(KEYS))
                v = (b"w%d-%d-" % (t, seq)) + b"x" * rng.randrange(10, 2000)
                try:
                    c = rng.random()
                    if c < 0.6:
                        r = kv.Put(rpc_pb2.PutRequest(key=k, value=v), timeout=10)
                        evs = [("PUT", k, v)]
                    elif c < 0.85:
                        k2 = b"soak/w%d/%03d" % (t, (int(k[-3:]) + 1) % KEYS)
                        r = kv.Txn(rpc_pb2.TxnRequest(success=[
                            rpc_pb2.RequestOp(request_put=rpc_pb2.PutRequest(key=k, value=v)),
                            rpc_pb2.RequestOp(request_put=rpc_pb2.PutRequest(key=k2, value=v[:20]))]), timeout=10)
                        evs = [("PUT", k, v), ("PUT", k2, v[:20])]
                    else:
                        r = kv.DeleteRange(rpc_pb2.DeleteRangeRequest(key=k), timeout=10)
                        if not r.deleted:
                            continue   # no revision for deleting nothing
                        evs = [("DELETE", k, b"")]
                    with self.lock:
                        if r.header.revision in self.acked:
                            self.errors.append("two acknowledged writes at revision %d" % r.header.revision)
                        self.acked[r.header.revision] = evs
                except grpc.RpcError as e:
                    self.error("writer %d" % t, e)
                    return

    def reader(self, t):
        rpc_pb2, rpc_pb2_grpc, _ = self.pb
        rng = random.Random(self.seed * 100 + 50 + t)
        last = 0
        with self.channel() as ch:
            kv = rpc_pb2_grpc.KVStub(ch)
            while not self.stop.is_set():
                try:
                    if rng.random() < 0.5:
                        r = kv.Range(rpc_pb2.RangeRequest(key=b"soak/w%d/%03d" % (rng.randrange(WRITERS), rng.randrange(KEYS)),
                                                          serializable=rng.random() < 0.5), timeout=10)
                    else:
                        r = kv.Range(rpc_pb2.RangeRequest(key=PREFIX, range_end=PREFIX_END, limit=rng.choice([0, 10, 500]),
                                                          keys_only=rng.random() < 0.3), timeout=10)
                    if r.header.revision < last:
                        self.error("reader %d" % t, "revision went back from %d to %d" % (last, r.header.revision))
                    last = r.header.revision
                    self.reads += 1
                except grpc.RpcError as e:
                    self.error("reader %d" % t, e)
                    return
                time.sleep(0.002)

    def leaser(self):
        """Grants short leases with keys; lets most expire, keeps some alive a while, revokes some."""
        rpc_pb2, rpc_pb2_grpc, _ = self.pb
        rng = random.Random(self.seed * 100 + 90)
        pending = []   # (check_after, lease id, keys)
        n = 0
        with self.channel() as ch:
            kv, lease = rpc_pb2_grpc.KVStub(ch), rpc_pb2_grpc.LeaseStub(ch)
            while not self.stop.is_set():
                try:
                    n += 1
                    g = lease.LeaseGrant(rpc_pb2.LeaseGrantRequest(TTL=LEASE_TTL), timeout=10)
                    keys = [b"soak/lease/%d/%d" % (n, i) for i in range(3)]
                    for k in keys:
                        r = kv.Put(rpc_pb2.PutRequest(key=k, value=b"l%d" % n, lease=g.ID), timeout=10)
                        with self.lock:
                            self.acked[r.header.revision] = [("PUT", k, b"l%d" % n)]
                    with self.lock:
                        self.lease_keys[g.ID] = keys
                    mode = rng.random()
                    if mode < 0.2:
                        # A few keep-alives (one stream), then let it expire.
                        kas = list(lease.LeaseKeepAlive(iter([rpc_pb2.LeaseKeepAliveRequest(ID=g.ID)] * 2), timeout=10))
                        if not kas or kas[-1].TTL <= 0:
                            self.error("leaser", "keep-alive of a live lease got %r" % [k.TTL for k in kas])
                    elif mode < 0.35:
                        lease.LeaseRevoke(rpc_pb2.LeaseRevokeRequest(ID=g.ID), timeout=10)
                        self.revoked += 1
                    pending.append((time.monotonic() + LEASE_TTL + 2.5, g.ID, keys))
                    # Check leases whose time is up: keys gone, TTL -1.
                    now = time.monotonic()
                    for due in [p for p in pending if p[0] <= now]:
                        pending.remove(due)
                        _, lid, ks = due
                        for k in ks:
                            r = kv.Range(rpc_pb2.RangeRequest(key=k), timeout=10)
                            if r.count:
                                self.error("leaser", "key %r of lease %x still there %.1fs after its TTL" % (
                                    k, lid, LEASE_TTL + 2.5))
                        ttl = lease.LeaseTimeToLive(rpc_pb2.LeaseTimeToLiveRequest(ID=lid), timeout=10)
                        if ttl.TTL != -1:
                            self.error("leaser", "lease %x TTL %d after expiry" % (lid, ttl.TTL))
                        self.expired_checked += 1
                except grpc.RpcError as e:
                    self.error("leaser", e)
                    return
                self.stop.wait(0.3)

    def compactor(self):
        """Compacts to about 3 s behind, as kube-apiserver does (with a shorter period)."""
        rpc_pb2, rpc_pb2_grpc, _ = self.pb
        marks = []
        with self.channel() as ch:
            kv = rpc_pb2_grpc.KVStub(ch)
            while not self.stop.wait(1):
                try:
                    rev = kv.Range(rpc_pb2.RangeRequest(key=b"soak/none"), timeout=10).header.revision
                    marks.append((time.monotonic(), rev))
                    old = [r for t, r in marks if t < time.monotonic() - 3]
                    if old and old[-1] > self.compacted_to:
                        kv.Compact(rpc_pb2.CompactionRequest(revision=old[-1]), timeout=10)
                        self.compacted_to = old[-1]
                except grpc.RpcError as e:
                    self.error("compactor", e)
                    return

    def churn_watcher(self):
        """Short-lived watches from recent revisions; what each saw is checked against the stream."""
        rpc_pb2, rpc_pb2_grpc, _ = self.pb
        rng = random.Random(self.seed * 100 + 99)
        with self.channel() as ch:
            kv, watch = rpc_pb2_grpc.KVStub(ch), rpc_pb2_grpc.WatchStub(ch)
            while not self.stop.is_set():
                try:
                    cur = kv.Range(rpc_pb2.RangeRequest(key=b"soak/none"), timeout=10).header.revision
                    start = max(self.compacted_to + 50, cur - rng.randrange(0, 100)) if self.compacted_to else \
                        max(1, cur - rng.randrange(0, 100))
                    start = min(start, cur + 1)
                    done = threading.Event()
                    got = []
                    calls = watch.Watch(_requests(rpc_pb2, start, done), timeout=30)
                    deadline = time.monotonic() + rng.uniform(0.2, 1.5)
                    compacted = False
                    for resp in calls:
                        if resp.canceled:
                            compacted = resp.compact_revision > 0
                            if not compacted:
                                self.error("churn watcher", "canceled: %r" % resp.cancel_reason)
                            break
                        got += [_event(e) for e in resp.events]
                        if time.monotonic() > deadline or self.stop.is_set():
                            break
                    done.set()
                    calls.cancel()
                    if not compacted:
                        with self.lock:
                            self.churn_checks.append((start, got))
                except grpc.RpcError as e:
                    if e.code() != grpc.StatusCode.CANCELLED:
                        self.error("churn watcher", e)
                        return

    def monitor(self):
        pid = self.srv.proc.pid
        t0 = time.monotonic()
        while not self.stop.wait(1):
            self.samples.append((time.monotonic() - t0, ru.rss_kib(pid), ru.fd_count(pid)))


class StreamWatcher(threading.Thread):
    """Watches the soak prefix from `start` for the whole run."""

    def __init__(self, soak, start):
        super().__init__(daemon=True)
        self.soak, self.start_rev = soak, start
        self.events = []
        self.created = threading.Event()
        self.finish = threading.Event()

    def run(self):
        rpc_pb2, rpc_pb2_grpc, _ = self.soak.pb
        with self.soak.channel() as ch:
            calls = rpc_pb2_grpc.WatchStub(ch).Watch(_requests(rpc_pb2, self.start_rev, self.finish))
            try:
                for resp in calls:
                    if resp.created:
                        self.created.set()
                    if resp.canceled:
                        self.soak.error("stream watcher", "canceled: %r (compact %d)" % (resp.cancel_reason, resp.compact_revision))
                        return
                    self.events += [_event(e) for e in resp.events]
            except grpc.RpcError as e:
                if not self.finish.is_set():
                    self.soak.error("stream watcher", e)


def _requests(rpc_pb2, start, done):
    yield rpc_pb2.WatchRequest(create_request=rpc_pb2.WatchCreateRequest(key=PREFIX, range_end=PREFIX_END,
                                                                         start_revision=start))
    done.wait(SECONDS + 120)


def _event(e):
    return (e.kv.mod_revision, "DELETE" if e.type == 1 else "PUT", e.kv.key, e.kv.value)


def test_soak(server_factory):
    seed = int(os.environ.get("KETCH_E2E_SEED", time.time_ns() % 1_000_000))
    print("test_soak: %.0f s, seed %d" % (SECONDS, seed))
    srv = server_factory("ketch", "soak")
    srv.start()
    soak = Soak(srv, seed)
    rpc_pb2, rpc_pb2_grpc, _ = soak.pb
    pid = srv.proc.pid
    fds_idle = ru.fd_count(pid)
    with soak.channel() as ch:
        base = rpc_pb2_grpc.KVStub(ch).Range(rpc_pb2.RangeRequest(key=PREFIX, range_end=PREFIX_END), timeout=10)
        start = base.header.revision + 1

    watchers = [StreamWatcher(soak, start) for _ in range(2)]
    for w in watchers:
        w.start()
        assert w.created.wait(10), "watch not created"
    threads = [threading.Thread(target=soak.writer, args=(t,), daemon=True) for t in range(WRITERS)]
    threads += [threading.Thread(target=soak.reader, args=(t,), daemon=True) for t in range(READERS)]
    threads += [threading.Thread(target=f, daemon=True) for f in (soak.leaser, soak.compactor, soak.churn_watcher,
                                                                  soak.monitor)]
    t0 = time.monotonic()
    for th in threads:
        th.start()
    while time.monotonic() - t0 < SECONDS and not soak.errors and srv.alive():
        time.sleep(0.5)
    soak.stop.set()
    for th in threads:
        th.join(30)
        assert not th.is_alive(), "a soak client hung"
    assert srv.alive(), "ketch etcd died during the soak:\n%s" % srv.stderr_tail(60)
    assert not soak.errors, "client errors during the soak (seed %d):\n%s\nserver stderr:\n%s" % (
        seed, "\n".join(soak.errors[:20]), srv.stderr_tail())

    # Let leases still pending expire (their deletes belong in the stream), then settle.
    time.sleep(LEASE_TTL + 1.5)
    with soak.channel() as ch:
        r = rpc_pb2_grpc.KVStub(ch).Range(rpc_pb2.RangeRequest(key=PREFIX, range_end=PREFIX_END), timeout=30)
    final_state = {kv.key: kv.value for kv in r.kvs}
    end = r.header.revision
    ru.wait_for(lambda: all((w.events and w.events[-1][0] >= end) or end < start for w in watchers), timeout=30,
                what="watchers to reach revision %d" % end)
    for w in watchers:
        w.finish.set()
    for w in watchers:
        w.join(15)

    # The stream: both watchers alike, every revision start..end once, acknowledged writes exact.
    stream = [e for e in watchers[0].events if e[0] <= end]
    assert [e for e in watchers[1].events if e[0] <= end] == stream, "the two watchers saw different streams"
    by_rev = {}
    for e in stream:
        by_rev.setdefault(e[0], []).append(e[1:])
    assert sorted(by_rev) == list(range(start, end + 1)), "watched revisions are not %d..%d: missing %s" % (
        start, end, sorted(set(range(start, end + 1)) - set(by_rev))[:20])
    assert all(a[0] <= b[0] for a, b in zip(stream, stream[1:])), "watch events out of order"
    lease_owned = {k for ks in soak.lease_keys.values() for k in ks}
    for rev in range(start, end + 1):
        evs = by_rev[rev]
        if rev in soak.acked:
            assert evs == soak.acked[rev], "revision %d: acknowledged %r, watched %r" % (rev, soak.acked[rev], evs)
        else:
            assert all(t == "DELETE" and k in lease_owned for t, k, _ in evs), (
                "revision %d has events no client wrote and no lease explains: %r" % (rev, evs))
    missing = sorted(r for r in soak.acked if r > end or r not in by_rev)
    assert not missing, "acknowledged revisions not in the stream: %s" % missing[:20]

    # Keys of expired leases are gone; the final range is the stream replayed.
    state = {x.key: x.value for x in base.kvs}
    for rev, typ, k, v in stream:
        if typ == "PUT":
            state[k] = v
        else:
            state.pop(k, None)
    assert state == final_state, "range at %d differs from the watched stream replayed" % end
    assert not [k for k in final_state if k.startswith(b"soak/lease/")], "leased keys outlived their leases"

    # Short-lived watchers saw exact slices of the stream.
    for s, got in soak.churn_checks:
        expect = [e for e in stream if e[0] >= s][:len(got)]
        assert got == expect, "a watcher from revision %d saw %d events differing from the stream" % (s, len(got))

    # Resources: after warm-up, no growth beyond a generous factor of the early plateau.
    samples = soak.samples
    warm = max(5.0, SECONDS * 0.25)
    early = [s for s in samples if warm <= s[0] <= warm + max(5.0, SECONDS * 0.15)]
    late = samples[-3:]
    summary = "RSS KiB %s; fds %s" % ([s[1] for s in samples[::max(1, len(samples) // 12)]],
                                      [s[2] for s in samples[::max(1, len(samples) // 12)]])
    print("soak (seed %d): %d writes, %d reads, %d leases (%d expiry-checked, %d revoked), compacted to %d, "
          "%d short watches, revisions %d..%d\n%s" % (
              seed, len(soak.acked), soak.reads, len(soak.lease_keys), soak.expired_checked, soak.revoked,
              soak.compacted_to, len(soak.churn_checks), start, end, summary))
    assert soak.expired_checked > 0 and len(soak.churn_checks) > 0
    if early and late:
        rss_plateau = max(s[1] for s in early)
        fd_plateau = max(s[2] for s in early)
        assert max(s[1] for s in late) <= rss_plateau * 1.5 + 64 * 1024, "RSS grew: " + summary
        assert max(s[2] for s in late) <= fd_plateau + 20, "descriptors grew: " + summary
    ru.wait_for(lambda: ru.fd_count(pid) <= fds_idle + 5, timeout=20,
                what="descriptors back to %d after the clients left (now %d)" % (fds_idle, ru.fd_count(pid)))
    srv.stop()
