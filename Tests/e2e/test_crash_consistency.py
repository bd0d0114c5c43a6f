"""Crash consistency of `ketch etcd` under concurrent gRPC writers and watchers.

Each iteration: writers (grpcio, one channel each) do puts and txns, recording every
acknowledged operation with its revision and the events it must have produced; watchers record
what they see. The server gets SIGKILL after a random delay and restarts on the same data dir.
Then, from the full history (`watch` from revision 1 over the whole key space):

- revisions are 2..current, consecutive, each exactly one operation (no gap, no duplicate);
- every acknowledged operation is in the history at its revision with exactly its events;
- every other revision is an operation some writer attempted (in flight at the kill): nothing
  appears that nobody wrote;
- the current revision is >= the highest acknowledged one, and the next write goes on from it;
- every event a watcher saw before the kill is in the history (watchers see only durable data);
- a watcher resuming from its last seen revision + 1 gets exactly the rest of the history;
- range reads (now, and at a few past revisions) equal the history replayed.

KETCH_E2E_SEED fixes the random seed (printed in the output); KETCH_CRASH_ITERATIONS the count.
test_durability.py has the etcdctl-driven variant (puts only) and the SIGTERM restart test.
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

ITERATIONS = int(os.environ.get("KETCH_CRASH_ITERATIONS", "6"))
WRITERS = 4
WATCHERS = 2
KEYS_PER_WRITER = 12
PREFIX = b"cc/"


def key(t: int, i: int) -> bytes:
    return b"cc/w%d/k%02d" % (t, i)


class Op:
    """One write a writer attempted: the events it must produce if it was applied."""

    __slots__ = ("desc", "puts", "deletes")

    def __init__(self, desc, puts, deletes=()):
        self.desc = desc
        self.puts = list(puts)          # [(key, value)]
        self.deletes = list(deletes)    # [key] (whose delete may find nothing)

    def signature(self):
        return self.puts[0][1]          # every op puts a unique value first


def events_of(op: Op, deleted=None):
    """Expected [(type, key, value)] of an applied op; deleted: keys the reply said were deleted."""
    evs = [("PUT", k, v) for k, v in op.puts]
    for k in op.deletes:
        if deleted is None or k in deleted:
            evs.append(("DELETE", k, b""))
    return evs


class Writer(threading.Thread):
    def __init__(self, t, addr, rng, it, killing, stop, pb, grpc_mod, acked, attempted, lock):
        super().__init__(daemon=True)
        self.t, self.addr, self.rng, self.it, self.stop = t, addr, rng, it, stop
        self.killing = killing
        self.pb, self.grpc = pb, grpc_mod
        self.acked, self.attempted, self.lock = acked, attempted, lock
        self.seq = 0
        self.count = 0
        self.errors = []

    def run(self):
        rpc_pb2, rpc_pb2_grpc, _ = self.pb
        ch = self.grpc.insecure_channel(self.addr)
        kv = rpc_pb2_grpc.KVStub(ch)
        known = {}   # key -> mod_revision as last seen (0 = absent)
        try:
            while not self.stop.is_set():
                self.seq += 1
                val = b"w%d-i%d-s%d" % (self.t, self.it, self.seq)
                k = key(self.t, self.rng.randrange(KEYS_PER_WRITER))
                choice = self.rng.random()
                try:
                    if choice < 0.4:
                        op = Op("put", [(k, val)])
                        self._attempt(op)
                        r = kv.Put(rpc_pb2.PutRequest(key=k, value=val), timeout=10)
                        self._ack(r.header.revision, op, events_of(op))
                        known[k] = r.header.revision
                    elif choice < 0.75:
                        # kube-apiserver's update: compare the mod revision, else read it.
                        op = Op("cas", [(k, val)])
                        self._attempt(op)
                        req = rpc_pb2.TxnRequest(
                            compare=[rpc_pb2.Compare(result=rpc_pb2.Compare.EQUAL, target=rpc_pb2.Compare.MOD,
                                                     key=k, mod_revision=known.get(k, 0))],
                            success=[rpc_pb2.RequestOp(request_put=rpc_pb2.PutRequest(key=k, value=val))],
                            failure=[rpc_pb2.RequestOp(request_range=rpc_pb2.RangeRequest(key=k))])
                        r = kv.Txn(req, timeout=10)
                        if r.succeeded:
                            self._ack(r.header.revision, op, events_of(op))
                            known[k] = r.header.revision
                        else:
                            kvs = r.responses[0].response_range.kvs
                            known[k] = kvs[0].mod_revision if kvs else 0
                    else:
                        ks = self.rng.sample(range(KEYS_PER_WRITER), 3)
                        k1, k2, k3 = (key(self.t, i) for i in ks)
                        op = Op("multi", [(k1, val), (k2, val + b"+")], [k3])
                        self._attempt(op)
                        req = rpc_pb2.TxnRequest(success=[
                            rpc_pb2.RequestOp(request_put=rpc_pb2.PutRequest(key=k1, value=val)),
                            rpc_pb2.RequestOp(request_put=rpc_pb2.PutRequest(key=k2, value=val + b"+")),
                            rpc_pb2.RequestOp(request_delete_range=rpc_pb2.DeleteRangeRequest(key=k3))])
                        r = kv.Txn(req, timeout=10)
                        deleted = {k3} if r.responses[2].response_delete_range.deleted else set()
                        self._ack(r.header.revision, op, events_of(op, deleted))
                        known[k1] = known[k2] = r.header.revision
                        known[k3] = 0
                    self.count += 1
                except self.grpc.RpcError as e:
                    if not self.killing.is_set() and e.code() != self.grpc.StatusCode.UNAVAILABLE:
                        self.errors.append("%s: %s" % (e.code(), e.details()))
                    # The server is gone (or going): what we sent may or may not be applied.
                    if self.stop.wait(0.05):
                        return
        finally:
            ch.close()

    def _attempt(self, op):
        with self.lock:
            self.attempted[op.signature()] = op

    def _ack(self, rev, op, evs):
        with self.lock:
            self.acked.append((rev, op, evs))


class Watcher(threading.Thread):
    """Watches PREFIX from `start`, recording (revision, type, key, value) until the stream breaks."""

    def __init__(self, addr, start, pb, grpc_mod):
        super().__init__(daemon=True)
        self.addr, self.start_rev, self.pb, self.grpc = addr, start, pb, grpc_mod
        self.events = []
        self.created = threading.Event()
        self.done = threading.Event()
        self.error = None

    def run(self):
        rpc_pb2, rpc_pb2_grpc, _ = self.pb
        ch = self.grpc.insecure_channel(self.addr)
        try:
            responses = rpc_pb2_grpc.WatchStub(ch).Watch(_watch_requests(rpc_pb2, self.start_rev, self.done))
            for resp in responses:
                if resp.created:
                    self.created.set()
                if resp.canceled:
                    self.error = "canceled: %r compact=%d" % (resp.cancel_reason, resp.compact_revision)
                    return
                for e in resp.events:
                    self.events.append(_event(e))
        except self.grpc.RpcError as e:
            self.error = "%s" % e.code()
        finally:
            self.done.set()
            ch.close()


def _watch_requests(rpc_pb2, start, done, key=PREFIX, end=b"cc0"):
    yield rpc_pb2.WatchRequest(create_request=rpc_pb2.WatchCreateRequest(key=key, range_end=end,
                                                                         start_revision=start))
    done.wait(120)


def _event(e):
    return (e.kv.mod_revision, "DELETE" if e.type == 1 else "PUT", e.kv.key, e.kv.value)


def watch_range(pb, addr, start, through, key=PREFIX, end=b"cc0", timeout=60):
    """Events of [key, end) from revision `start` until one at `through` or later arrives."""
    rpc_pb2, rpc_pb2_grpc, _ = pb
    out = []
    if start > through:
        return out
    done = threading.Event()
    with grpc.insecure_channel(addr) as ch:
        responses = rpc_pb2_grpc.WatchStub(ch).Watch(_watch_requests(rpc_pb2, start, done, key, end), timeout=timeout)
        try:
            for resp in responses:
                assert not resp.canceled, "history watch canceled: %r" % resp.cancel_reason
                out += [_event(e) for e in resp.events]
                if out and out[-1][0] >= through:
                    break
        finally:
            done.set()
            responses.cancel()
    return out


def replay(history, upto):
    state = {}
    for rev, typ, k, v in history:
        if rev > upto:
            break
        if typ == "PUT":
            state[k] = v
        else:
            state.pop(k, None)
    return state


def range_all(pb, kv, revision=0):
    rpc_pb2 = pb[0]
    r = kv.Range(rpc_pb2.RangeRequest(key=PREFIX, range_end=b"cc0", revision=revision), timeout=30)
    return {x.key: x.value for x in r.kvs}, r.header.revision


def test_crash_consistency_grpc(server_factory):
    seed = int(os.environ.get("KETCH_E2E_SEED", time.time_ns() % 1_000_000))
    print("test_crash_consistency_grpc: seed %d (KETCH_E2E_SEED=%d reproduces the schedule)" % (seed, seed))
    rng = random.Random(seed)
    pb = ru.stubs()
    rpc_pb2, rpc_pb2_grpc, _ = pb
    srv = server_factory("ketch", "crash-grpc")
    srv.start()
    addr = ru.target(srv)

    acked = []        # (revision, op, expected events)
    attempted = {}    # signature -> Op
    lock = threading.Lock()
    max_acked = 0
    watch_checks = 0

    for it in range(ITERATIONS):
        where = "iteration %d (seed %d)" % (it, seed)
        with grpc.insecure_channel(addr) as ch:
            rev_before = range_all(pb, rpc_pb2_grpc.KVStub(ch))[1]
        stop, killing = threading.Event(), threading.Event()
        # One watcher from an old revision (catching up when killed), one live.
        watchers = [Watcher(addr, rng.randint(1, rev_before + 1), pb, grpc), Watcher(addr, rev_before + 1, pb, grpc)]
        for w in watchers:
            w.start()
        for w in watchers:
            assert w.created.wait(15), "%s: watch not created (%s)\n%s" % (where, w.error, srv.stderr_tail())
        writers = [Writer(t, addr, random.Random(rng.random()), it, killing, stop, pb, grpc, acked, attempted, lock)
                   for t in range(WRITERS)]
        n_before = len(acked)
        for w in writers:
            w.start()
        delay = rng.uniform(0.2, 2.5)
        time.sleep(delay)
        killing.set()
        srv.kill9()
        stop.set()
        for w in writers + watchers:
            w.join(30)
            assert not w.is_alive(), "%s: a client thread hung after kill -9" % where
        errors = [e for w in writers for e in w.errors]
        assert not errors, "%s: writers got errors other than UNAVAILABLE before the kill: %s" % (where, errors[:10])
        n_acked = len(acked) - n_before
        assert n_acked > 0, "%s: nothing acknowledged in %.2fs\n%s" % (where, delay, srv.stderr_tail())
        max_acked = max([max_acked] + [r for r, _, _ in acked])
        print("%s: kill -9 after %.2fs: %d ops acknowledged this round (%d in all), watchers saw %s events"
              % (where, delay, n_acked, len(acked), [len(w.events) for w in watchers]))

        srv.start()
        with grpc.insecure_channel(addr) as ch:
            kv = rpc_pb2_grpc.KVStub(ch)
            state, current = range_all(pb, kv)
            assert current >= max_acked, "%s: revision went back: %d after restart, %d acknowledged" % (
                where, current, max_acked)

            # The whole history, and its shape.
            history = watch_range(pb, addr, 1, current) if current > 1 else []
            by_rev = {}
            for ev in history:
                by_rev.setdefault(ev[0], []).append(ev[1:])
            revs = sorted(by_rev)
            assert revs == list(range(2, current + 1)), "%s: history revisions are not 2..%d: gaps %s" % (
                where, current, sorted(set(range(2, current + 1)) - set(revs))[:20])
            assert all(a[0] <= b[0] for a, b in zip(history, history[1:])), "%s: history out of order" % where

            # Acknowledged operations: distinct revisions, exactly their events.
            seen_revs = {}
            for rev, op, evs in acked:
                assert rev not in seen_revs, "%s: two acknowledged ops at revision %d: %s and %s" % (
                    where, rev, seen_revs[rev].desc, op.desc)
                seen_revs[rev] = op
                assert by_rev.get(rev) == evs, "%s: acknowledged %s at revision %d: expected events %r, history has %r" % (
                    where, op.desc, rev, evs, by_rev.get(rev))
            # Other revisions: writes in flight at a kill (applied, reply lost) — each one attempted op.
            unacked = 0
            for rev in revs:
                if rev in seen_revs:
                    continue
                unacked += 1
                evs = by_rev[rev]
                op = attempted.get(evs[0][2]) if evs[0][0] == "PUT" else None
                assert op is not None and evs in (events_of(op), events_of(op, set())), (
                    "%s: revision %d holds events %r that no writer attempted" % (where, rev, evs))

            # Current state and a few past revisions equal the history replayed.
            assert state == replay(history, current), "%s: range at %d differs from the replayed history" % (
                where, current)
            for past in sorted(rng.sample(range(2, current + 1), min(4, current - 1))):
                got, _ = range_all(pb, kv, past)
                assert got == replay(history, past), "%s: range at revision %d differs from the history" % (where, past)

            # Watchers: what they saw is durable, and resuming after it misses nothing.
            for w in watchers:
                expected_seen = [e for e in history if e[0] >= w.start_rev][:len(w.events)]
                assert w.events == expected_seen, (
                    "%s: a watcher from revision %d saw events before the kill that are not the history:\n"
                    "first difference at #%s" % (where, w.start_rev, next(
                        (i for i, (a, b) in enumerate(zip(w.events, expected_seen)) if a != b), len(expected_seen))))
                last = w.events[-1][0] if w.events else w.start_rev - 1
                resumed = watch_range(pb, addr, last + 1, current)
                expected = [e for e in history if e[0] > last]
                assert resumed == expected, ("%s: watcher resumed from %d: got %d events, history has %d after it"
                                             % (where, last + 1, len(resumed), len(expected)))
                watch_checks += 1

            # The store goes on from there.
            r = kv.Put(rpc_pb2.PutRequest(key=b"cc/after/%d" % it, value=b"x"), timeout=10)
            assert r.header.revision == current + 1, "%s: first write after restart got revision %d, expected %d" % (
                where, r.header.revision, current + 1)
            op = Op("after", [(b"cc/after/%d" % it, b"x")])
            acked.append((r.header.revision, op, events_of(op)))
            print("%s: history ok: revisions 2..%d, %d acknowledged, %d applied without reply; %d watcher resumes ok"
                  % (where, current, len(seen_revs), unacked, watch_checks))
    srv.stop()
