"""Differential tests of live watches and leases: the same scenario against etcd 3.5.1 and Ketch.

Scenarios need state carried between commands (a lease ID, a watch running in the background),
so they are small functions rather than S(...) tables; each returns the outputs it saw, which
are normalised and compared like the tables' outputs.
"""

import re
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import e2e_harness as h

LEASE_HEX = re.compile(r"\b[0-9a-f]{1,16}\b")


def start_watch(server, client, args):
    """`etcdctl watch ARGS` in the background. Returns (ready, stop): `ready(text)` waits until the
    watch has printed `text`; `stop()` ends it and gives its whole output."""
    ctl = str(h.etcdctl_path(client))
    proc = subprocess.Popen([ctl, "--endpoints=" + server.endpoint] + list(args),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=h._clean_env({"ETCDCTL_API": "3"}))
    out, err = [], []
    readers = [threading.Thread(target=lambda f, acc: acc.extend(iter(lambda: f.read1(4096), b"")),
                                args=(stream, acc), daemon=True)
               for stream, acc in ((proc.stdout, out), (proc.stderr, err))]
    for t in readers:
        t.start()

    start = [0]

    def ready(texts, timeout=20):
        """Waits until the output since the last mark shows one of `texts`, then marks its end."""
        deadline = time.time() + timeout
        while not any(t.encode() in b"".join(out)[start[0]:] for t in texts):
            if time.time() > deadline or proc.poll() is not None:
                raise AssertionError("watch %s never printed %r; stderr: %s" % (args, texts, b"".join(err)))
            time.sleep(0.05)
        start[0] = len(b"".join(out))

    def stop():
        time.sleep(1.0)
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        for t in readers:
            t.join(timeout=5)
        return h.Result("stopped", b"".join(out)[start[0]:].decode(), b"".join(err).decode())
    return ready, stop


READINESS_PUTS = 12


def live_watch(server, client):
    results = []
    watches = [
        start_watch(server, client, ["watch", "w/", "--prefix", "--prev-kv"]),
        start_watch(server, client, ["watch", "w/", "--prefix", "-w", "json"]),
        start_watch(server, client, ["watch", "w/a"]),
    ]
    # A fixed number of writes (so both servers end at the same revision) during which every
    # watch must show it is registered; then one marker, after which the compared output starts.
    pending = list(watches)
    for _ in range(READINESS_PUTS):
        server.ctl(["put", "w/a", "ready"], client=client).check("readiness put")
        for w in list(pending):
            try:
                w[0](["ready", "cmVhZHk="], timeout=0.5)  # json output shows values base64-encoded
                pending.remove(w)
            except AssertionError:
                pass
    assert not pending, "watches not registered after %d writes" % READINESS_PUTS
    server.ctl(["put", "w/a", "go"], client=client).check("marker put")
    for ready, _ in watches:
        ready(["go", "Z28="])
    for args, stdin in [
        (["put", "w/a", "1"], None),
        (["put", "w/b", "1"], None),
        (["put", "w/a", "2"], None),
        (["put", "other", "x"], None),
        (["del", "w/b"], None),
        (["txn"], h.txn_input([], ["put w/c 3", "put w/d 4", "del w/a"], [])),
    ]:
        results.append(server.ctl(args, client=client, stdin=stdin))
    results += [stop() for _, stop in watches]
    return results


def leases(server, client):
    results = []
    grant = server.ctl(["lease", "grant", "60"], client=client)
    results.append(grant)
    lease = grant.out.split()[1] if grant.rc == 0 else "0"
    short = server.ctl(["lease", "grant", "1"], client=client)  # raised to etcd's 2 s minimum
    results.append(short)
    short_id = short.out.split()[1] if short.rc == 0 else "0"
    for args in [
        ["put", "l/a", "1", "--lease=" + lease],
        ["put", "l/b", "1", "--lease=" + lease],
        ["put", "l/s", "1", "--lease=" + short_id],
        ["put", "l/x", "1", "--lease=1234abcd"],
        ["lease", "timetolive", lease, "--keys"],
        ["lease", "timetolive", lease, "--keys", "-w", "json"],
        ["lease", "keep-alive", "--once", lease],
        ["lease", "list"],
        ["get", "l/", "--prefix", "-w", "json"],
        ["lease", "revoke", lease],
        ["get", "l/", "--prefix"],
        ["lease", "timetolive", lease],
        ["lease", "keep-alive", "--once", lease],
        ["lease", "revoke", lease],
    ]:
        results.append(server.ctl(args, client=client))
    time.sleep(4)  # the 2 s lease expires and its key goes
    results.append(server.ctl(["get", "l/", "--prefix"], client=client))
    results.append(server.ctl(["lease", "list"], client=client))
    return results


def lease_names(results):
    """Lease IDs are chosen by the server: name them by order of grant, in hex and decimal."""
    names = {}
    for r in results:
        m = re.match(r"lease ([0-9a-f]+) granted", r.out)
        if m:
            name = "<LEASE%d>" % (len(names) // 2 + 1)
            names[m.group(1)] = name
            names[str(int(m.group(1), 16))] = name
    return names


def normalise(r, names=None):
    text = r.out
    for raw, name in (names or {}).items():
        text = re.sub(r"\b%s\b" % raw, name, text)
    # etcd lists a lease's keys in Go map order (random); compare them as sets.
    text = re.sub(r"attached keys\(\[([^]]*)\]\)", lambda m: "attached keys([%s])" % " ".join(sorted(m.group(1).split())), text)
    text = re.sub(r'"keys":\[([^]]*)\]', lambda m: '"keys":[%s]' % ",".join(sorted(m.group(1).split(","))), text)
    # "remaining(59s)": the two servers may read the clock a second apart.
    text = re.sub(r"remaining\(\d+s\)", "remaining(<N>s)", text)
    text = re.sub(r'"(TTL|ttl)":\d+', r'"\1":<N>', text)
    return (r.rc, h.normalise(text), h.normalise(r.err, stderr=True))


@pytest.mark.parametrize("client_bin", h.CLIENTS, indirect=True, ids=lambda c: "etcdctl" + c)
@pytest.mark.parametrize("scenario", [live_watch, leases], ids=lambda f: f.__name__)
def test_scenario(scenario, client_bin, tmp_path, sut_ready):
    ref = h.Server("etcd", tmp_path, "etcd-ref")
    sut = h.Server("ketch", tmp_path, "ketch")
    try:
        with ThreadPoolExecutor(2) as ex:
            a, b = ex.submit(ref.start), ex.submit(sut.start)
            a.result(), b.result()
            fa, fb = ex.submit(scenario, ref, client_bin), ex.submit(scenario, sut, client_bin)
            expected, got = fa.result(), fb.result()
        diffs = []
        ne, ng = lease_names(expected), lease_names(got)
        for i, (e, g) in enumerate(zip(expected, got)):
            if normalise(e, ne) != normalise(g, ng):
                diffs.append("step %d:\n etcd:  %r\n ketch: %r" % (i + 1, normalise(e, ne), normalise(g, ng)))
        assert not diffs, "\n".join(diffs)
    finally:
        ref.stop()
        sut.stop()


def test_sigterm_with_open_watch_exits_promptly(tmp_path, sut_ready):
    """Open watch streams must not hold a stopping member (etcd closes them on shutdown)."""
    sut = h.Server("ketch", tmp_path, "ketch")
    sut.start()
    ready, stop_watch = start_watch(sut, "3.5", ["watch", "k"])
    try:
        # The watch registers asynchronously: write until it has shown one event.
        for attempt in range(40):
            sut.ctl(["put", "k", "ready"]).check("put")
            try:
                ready(["ready"], timeout=0.5)
                break
            except AssertionError:
                if attempt == 39:
                    raise
        started = time.time()
        sut.proc.terminate()
        sut.proc.wait(timeout=15)
        assert time.time() - started < 5, "shutdown took %.1f s" % (time.time() - started)
        assert sut.proc.returncode == 0
    finally:
        stop_watch()
        sut.stop()
