"""Durability of the system under test (Ketch; real etcd with KETCH_E2E_SELF=etcd).

- crash: concurrent writers, `kill -9` at a random moment, restart on the same data dir:
  every acknowledged put must be there, with its value and the revision it was acknowledged at.
- restart: SIGTERM and restart keep keys, revisions, versions, history and the compaction point.
"""

import base64
import json
import os
import random
import threading
import time

import pytest

import e2e_harness as h

CRASH_ITERATIONS = 3
CRASH_WRITERS = 4


def _kvs(result):
    """{key: kv-dict with decoded key/value} and the header revision of a `get -w json`."""
    doc = result.check("get -w json").json()
    out = {}
    for kv in doc.get("kvs", []):
        key = base64.b64decode(kv["key"]).decode()
        out[key] = {
            "value": base64.b64decode(kv.get("value", "")).decode(),
            "create_revision": int(kv.get("create_revision", 0)),
            "mod_revision": int(kv.get("mod_revision", 0)),
            "version": int(kv.get("version", 0)),
            "lease": int(kv.get("lease", 0)),
        }
    return out, int(doc["header"]["revision"])


def test_crash_kill9_keeps_acknowledged_writes(server_factory):
    seed = int(os.environ.get("KETCH_E2E_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    srv = server_factory("ketch", "crash")
    srv.start()
    acked = {}          # key -> (value, revision reported by the put)
    lock = threading.Lock()
    max_acked_rev = 0

    for it in range(CRASH_ITERATIONS):
        stop = threading.Event()
        counts = [0] * CRASH_WRITERS

        def writer(t):
            nonlocal max_acked_rev
            for i in range(5000):
                if stop.is_set():
                    return
                key = "crash/%d/%d/%05d" % (it, t, i)
                r = srv.ctl(["put", "-w", "json", key, "v%d" % i], timeout=15, dial_timeout="1s",
                            command_timeout="3s")
                if r.rc != 0:
                    continue
                rev = int(json.loads(r.out)["header"]["revision"])
                with lock:
                    acked[key] = ("v%d" % i, rev)
                    max_acked_rev = max(max_acked_rev, rev)
                    counts[t] += 1

        threads = [threading.Thread(target=writer, args=(t,), daemon=True) for t in range(CRASH_WRITERS)]
        for th in threads:
            th.start()
        time.sleep(1.5 + rng.uniform(0.0, 1.0))
        srv.kill9()
        stop.set()
        for th in threads:
            th.join(60)
        assert not any(th.is_alive() for th in threads), "writer threads did not stop"
        assert sum(counts) > 0, ("iteration %d (seed %d): no put was acknowledged before kill -9; "
                                 "server stderr:\n%s" % (it, seed, srv.stderr_tail()))

        print("crash iteration %d (seed %d): %d puts acknowledged by %d writers before kill -9; %d in total"
              % (it, seed, sum(counts), CRASH_WRITERS, len(acked)))
        srv.start()
        got, rev = _kvs(srv.ctl(["get", "crash/", "--prefix", "-w", "json"], timeout=30, command_timeout="20s"))
        missing = sorted(k for k in acked if k not in got)
        wrong = sorted("%s: acked %r at rev %d, found %r mod_revision %d" % (
            k, v, r, got[k]["value"], got[k]["mod_revision"])
            for k, (v, r) in acked.items() if k in got and (got[k]["value"] != v or got[k]["mod_revision"] != r))
        assert not missing and not wrong, (
            "iteration %d (seed %d, %d acknowledged puts so far): %d acknowledged keys lost after kill -9, "
            "%d with wrong value/revision\nmissing (first 20): %s\nwrong (first 20): %s\nserver stderr:\n%s" % (
                it, seed, len(acked), len(missing), len(wrong), missing[:20], wrong[:20], srv.stderr_tail()))
        assert rev >= max_acked_rev, ("iteration %d (seed %d): revision after restart %d < highest acknowledged "
                                      "revision %d" % (it, seed, rev, max_acked_rev))
        # The store must go on from where it was: the next write gets a fresh, higher revision.
        r = srv.ctl(["put", "-w", "json", "crash/after/%d" % it, "x"]).check("put after restart")
        assert int(r.json()["header"]["revision"]) == rev + 1
        max_acked_rev = rev + 1
        acked["crash/after/%d" % it] = ("x", rev + 1)
    srv.stop()


def test_restart_sigterm_keeps_state(server_factory):
    srv = server_factory("ketch", "restart")
    srv.start()
    script = [
        ["put", "r/a", "1"],        # 2
        ["put", "r/b", "1"],        # 3
        ["put", "r/a", "2"],        # 4
        ["put", "r/c", "1"],        # 5
        ["del", "r/b"],             # 6
        ["put", "r/a", "3"],        # 7
        ["put", "r/d", ""],         # 8
        ["put", "s/x", "y"],        # 9
        ["compaction", "3"],
        ["put", "r/c", "2"],        # 10
    ]
    for args in script:
        srv.ctl(args).check(" ".join(args))

    def snapshot():
        cur = _kvs(srv.ctl(["get", "", "--from-key", "-w", "json"]))
        hist = {rv: _kvs(srv.ctl(["get", "", "--from-key", "--rev", str(rv), "-w", "json"])) for rv in (3, 5, 6, 9)}
        return cur, hist

    before, before_hist = snapshot()
    assert before[1] == 10, "unexpected revision before restart: %r" % (before,)

    info = srv.stop()
    assert not info["killed"], "server did not exit within 8 s of SIGTERM\n" + srv.stderr_tail()

    srv.start()
    after, after_hist = snapshot()
    assert after == before, "state after SIGTERM+restart differs:\nbefore=%r\nafter=%r" % (before, after)
    assert after_hist == before_hist, "history after restart differs:\nbefore=%r\nafter=%r" % (
        before_hist, after_hist)

    r = srv.ctl(["get", "r/a", "--rev", "2"])
    assert r.rc == 1 and "required revision has been compacted" in r.err, (
        "get below the compaction revision after restart: rc=%s out=%r err=%r" % (r.rc, r.out, r.err))
    r = srv.ctl(["compaction", "3"])
    assert r.rc == 1 and "required revision has been compacted" in r.err, (
        "re-compaction at the same revision after restart: rc=%s out=%r err=%r" % (r.rc, r.out, r.err))

    r = srv.ctl(["put", "-w", "json", "r/e", "new"]).check("put after restart")
    assert int(r.json()["header"]["revision"]) == 11

    # A second restart right after a write, with kill -9 this time.
    srv.kill9()
    srv.start()
    cur, rev = _kvs(srv.ctl(["get", "", "--from-key", "-w", "json"]))
    assert rev == 11 and cur["r/e"]["value"] == "new" and cur["r/e"]["mod_revision"] == 11, (rev, cur)
    srv.stop()
