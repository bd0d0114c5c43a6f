"""Maintenance service: differential tests (etcdctl 3.5 and 3.4 against etcd 3.5.1 and Ketch)
and a Ketch-only test of the backend quota.

Besides what e2e_harness normalises, these sequences differ by design in sizes (Ketch keeps
SQLite, etcd bbolt), raft indexes (Ketch counts revisions, etcd raft entries) and the paths
each side writes snapshots to. HashKV values are compared as they are: Ketch computes etcd's
hash over the same history, so they must agree.

Args may name `{dir}` (the server's own directory) and `{member}` (its member ID in hex);
a step `S(SLEEP, seconds)` only waits.
"""

import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import e2e_harness as h
from e2e_harness import S, txn_input

SLEEP = "#sleep"

# ---------------------------------------------------------------------------
# Normalisation of what differs by design

_NUMBER_FIELDS = re.compile(
    r'("(?:dbSize|dbSizeInUse|raftIndex|raftAppliedIndex|DBSize|DBSizeInUse|RaftIndex|RaftAppliedIndex)"\s?:\s?)\d+')
# Each side's own member ID (the servers listen on different peer URLs).
_LEADER = re.compile(r'("(?:leader|Leader)"\s?:\s?)\d+')
# `endpoint status` (simple): endpoint, ID, version, DB size, leader?, learner?, term, index, applied index, errors.
_SIMPLE_STATUS = re.compile(r'^(\S+, <HEX_ID>, [^,]+, )[^,]+(, \w+, \w+, \d+, )\d+, \d+(, .*)$')
_SIZE = re.compile(r'("size":)"[^"]*"')
_EPOCH = re.compile(r'("ts":)\d+(\.\d+)?')
_TOOK = re.compile(r'("took":)("[^"]*"|[0-9.e-]+)')
_BORDER = re.compile(r'^\+[-+]+\+$')
# etcdctl logs this from one goroutine while another may already report the server's error,
# so where it lands among the other lines is down to scheduling; it says nothing of the server.
_FETCHING = re.compile(r'"msg":"fetching snapshot"')


def _table_row(line: str, header: list) -> str:
    """One row of `endpoint status -w table`, cells trimmed; sizes and raft indexes masked."""
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if not header:
        header.extend(cells)
        return "| " + " | ".join(cells) + " |"
    out = []
    for name, cell in zip(header, cells):
        if cell and name in ("DB SIZE", "RAFT INDEX", "RAFT APPLIED INDEX"):
            cell = "<%s>" % name
        out.append(cell)
    return "| " + " | ".join(out) + " |"


def normalise(text: str, server: h.Server) -> str:
    text = text.replace(str(server.dir), "<DIR>")
    text = _NUMBER_FIELDS.sub(r"\1<N>", text)
    text = _LEADER.sub(r"\1<MEMBER_ID>", text)
    text = _SIZE.sub(r"\1<SIZE>", text)
    text = _EPOCH.sub(r"\1<TS>", text)
    text = _TOOK.sub(r"\1<DURATION>", text)
    lines, header = [], []
    for line in text.split("\n"):
        if _FETCHING.search(line):
            continue
        if _BORDER.match(line):
            line, header = "+-+", header if header else []
        elif line.startswith("|"):
            # Column widths follow the widest cell, so they differ with the sizes.
            line = _table_row(line, header)
        else:
            line = _SIMPLE_STATUS.sub(r"\1<SIZE>\2<N>, <N>\3", h.normalise(line))
        lines.append(line)
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# Running a sequence on both servers


class QuotaServer(h.Server):
    """A server started with extra flags."""

    def __init__(self, *args, extra=(), **kw):
        super().__init__(*args, **kw)
        self.extra = list(extra)

    def argv(self):
        return super().argv() + self.extra


def member_hex(server: h.Server) -> str:
    status = server.ctl(["endpoint", "status", "-w", "json"]).check("endpoint status").json()
    return "%x" % status[0]["Status"]["header"]["member_id"]


def run_on(server: h.Server, client: str, steps) -> list:
    values = {"dir": str(server.dir), "member": member_hex(server)}
    results = []
    for st in steps:
        if st.args[0] == SLEEP:
            time.sleep(float(st.args[1]))
            results.append(h.Result(0, "", ""))
            continue
        args = [a.format(**values) for a in st.args]
        r = server.ctl(args, client=client, stdin=st.stdin, timeout=60)
        results.append(h.Result(r.rc, normalise(r.out, server), normalise(r.err, server)))
    return results


def differential(base_dir: Path, client: str, steps, name: str, extra=()) -> None:
    __tracebackhide__ = True
    steps = [s for s in steps if s.applies(client)]
    ref = QuotaServer("etcd", base_dir, "etcd-ref", extra=extra)
    sut = QuotaServer("ketch", base_dir, "ketch", extra=extra)
    try:
        with ThreadPoolExecutor(2) as ex:
            for f in [ex.submit(ref.start), ex.submit(sut.start)]:
                f.result()
            fa, fb = ex.submit(run_on, ref, client, steps), ex.submit(run_on, sut, client, steps)
            res_ref, res_sut = fa.result(), fb.result()
        for label, res in (("etcd-ref", res_ref), ("ketch", res_sut)):
            h.write_transcript(Path(base_dir) / ("transcript-%s.txt" % label), steps, res)
        reports = h.compare_results(steps, res_ref, res_sut)
        if reports:
            raise AssertionError("sequence %r with etcdctl %s: %d of %d commands differ\n\n%s" % (
                name, client, len(reports), len(steps), "\n\n".join(reports)))
    finally:
        ref.stop()
        sut.stop()


# ---------------------------------------------------------------------------
# Sequences (revisions assume a fresh store at revision 1)

STATUS = [
    S("endpoint", "status"),
    S("endpoint", "status", "-w", "json"),
    S("put", "a", "1"),                                       # 2
    S("endpoint", "status", "-w", "table"),
    S("endpoint", "status", "-w", "fields"),
    S("endpoint", "status", "-w", "simple"),
    S("alarm", "list"),
    S("alarm", "list", "-w", "json"),
    S("alarm", "disarm"),
    S("alarm", "disarm", "-w", "json"),
]

HASHKV = [
    S("endpoint", "hashkv"),                                  # empty store
    S("endpoint", "hashkv", "--rev", "1"),
    S("put", "a", "1"),                                       # 2
    S("put", "b", "1"),                                       # 3
    S("put", "a", "2"),                                       # 4
    S("del", "b"),                                            # 5
    S("put", "c", "", "--prev-kv"),                           # 6: empty value
    S("txn", stdin=txn_input([], ["put t1 x", "del a", "put a2 again"], [])),  # 7: several changes in one revision
    S("endpoint", "hashkv", "-w", "json"),
    S("endpoint", "hashkv", "--rev", "3", "-w", "fields"),
    S("endpoint", "hashkv", "--rev", "5", "-w", "table"),
    S("endpoint", "hashkv", "--rev", "9"),                    # future revision
    S("compact", "4", "--physical"),
    S("endpoint", "hashkv", "--rev", "4"),                    # at the compaction floor: compacted
    S("endpoint", "hashkv", "--rev", "5", "-w", "json"),
    S("endpoint", "hashkv", "--rev", "6"),
    S("endpoint", "hashkv", "-w", "json"),
    S("del", "", "--from-key"),                               # 8: nothing live
    # With nothing live etcd hashes whatever bbolt still holds below the floor, and it drops
    # compacted revisions in a batch committed up to 100 ms later: wait for that.
    S("compact", "8", "--physical"),
    S(SLEEP, "0.5"),
    S("endpoint", "hashkv", "-w", "json"),
    S("endpoint", "hashkv", "--rev", "9"),
    S("endpoint", "hashkv", "--rev=-1"),
]

DEFRAG = [
    S("txn", stdin=txn_input([], ["put big/%02d %s" % (i, "x" * 4000) for i in range(60)], [])),  # 2
    S("del", "big/", "--prefix"),                             # 3
    S("put", "kept", "yes"),                                  # 4
    S("compact", "4"),
    S("defrag"),
    S("endpoint", "status", "-w", "fields"),
    S("get", "kept"),
    S("endpoint", "hashkv"),
    S("put", "after", "defrag"),
    S("get", "", "--from-key", "--keys-only"),
]

SNAPSHOT = [
    S("put", "a", "1"),
    S("snapshot", "save", "{dir}/snap.db"),
    S("snapshot", "save", "{dir}/missing/snap.db"),
    S("snapshot", "save"),
    S("put", "b", "2"),
    S("snapshot", "save", "{dir}/snap.db"),                   # over an existing file
]

MOVE_LEADER = [
    S("move-leader", "{member}"),
    S("move-leader", "1"),
    S("move-leader", "zz"),
    S("move-leader"),
    S("endpoint", "status", "-w", "fields"),
]

ROOT, BOB = "--user=root:rootpw", "--user=bob:bobpw"
AUTH = [
    S("user", "add", "root:rootpw"),
    S("user", "add", "bob:bobpw"),
    S("role", "add", "r1"),
    S("user", "grant-role", "bob", "r1"),
    S("auth", "enable"),
] + [
    S(*(([who] if who else []) + cmd))
    for who in ("", BOB, ROOT)
    for cmd in (["endpoint", "status", "-w", "fields"], ["endpoint", "hashkv"], ["defrag"], ["alarm", "list"],
                ["alarm", "disarm"], ["move-leader", "{member}"], ["snapshot", "save", "{dir}/auth.db"])
] + [
    S("--user=root:wrong", "endpoint", "hashkv"),
    S(ROOT, "auth", "disable"),
]

SEQUENCES = {
    "status": STATUS,
    "hashkv": HASHKV,
    "defrag": DEFRAG,
    "snapshot": SNAPSHOT,
    "move_leader": MOVE_LEADER,
    "auth": AUTH,
}


@pytest.mark.parametrize("client_bin", h.CLIENTS, indirect=True, ids=lambda c: "etcdctl" + c)
@pytest.mark.parametrize("name", list(SEQUENCES))
def test_maintenance(name, client_bin, tmp_path):
    __tracebackhide__ = True
    differential(tmp_path, client_bin, SEQUENCES[name], name)


def test_snapshot_file(tmp_path, sut_ready):
    """The saved file is the database copy followed by its SHA-256, as etcd's are."""
    import hashlib

    server = h.Server("ketch", tmp_path, "ketch")
    with server:
        server.ctl(["put", "k", "v"]).check("put")
        path = tmp_path / "snap.db"
        server.ctl(["snapshot", "save", str(path)]).check("snapshot save")
    data = path.read_bytes()
    assert len(data) % 512 == 32
    assert hashlib.sha256(data[:-32]).digest() == data[-32:]
    if not h.self_mode():
        assert data.startswith(b"SQLite format 3\x00")


# ---------------------------------------------------------------------------
# The quota: Ketch only (database sizes differ, so where writes stop differs too)

QUOTA = 400_000


def test_quota_nospace_sequence(tmp_path, sut_ready):
    server = QuotaServer("ketch", tmp_path, "ketch", extra=["--quota-backend-bytes", str(QUOTA)])
    with server:
        member = member_hex(server)
        member_dec = str(int(member, 16))
        value = "v" * 20_000
        refused = None
        for i in range(100):
            r = server.ctl(["put", "big/%02d" % i], stdin=value)
            if r.rc != 0:
                refused = r
                break
        assert refused is not None, "no write was refused with --quota-backend-bytes=%d" % QUOTA
        assert "etcdserver: mvcc: database space exceeded" in refused.err
        assert "code = ResourceExhausted" in refused.err

        alarm_line = "memberID:%s alarm:NOSPACE " % member_dec
        assert server.ctl(["alarm", "list"]).check().out == alarm_line + "\n"
        status = server.ctl(["endpoint", "status", "-w", "json"]).check().json()[0]["Status"]
        assert status["errors"] == [alarm_line]
        for args, stdin in ((["put", "small", "v"], None), (["lease", "grant", "60"], None),
                            (["txn"], txn_input([], ["put t v"], []))):
            r = server.ctl(args, stdin=stdin)
            assert r.rc != 0 and "database space exceeded" in r.err, (args, r)

        # Reads, deletes and compaction still work.
        server.ctl(["get", "big/00", "--keys-only"]).check()
        assert server.ctl(["del", "big/", "--prefix"]).check().out.strip().isdigit()
        rev = server.ctl(["endpoint", "status", "-w", "json"]).check().json()[0]["Status"]["header"]["revision"]
        server.ctl(["compact", str(rev)]).check()
        server.ctl(["defrag"]).check()
        size = server.ctl(["endpoint", "status", "-w", "json"]).check().json()[0]["Status"]["dbSize"]
        assert size < QUOTA

        # Still capped until the alarm is disarmed; disarm prints what it cleared.
        r = server.ctl(["put", "small", "v"])
        assert r.rc != 0 and "database space exceeded" in r.err
        assert server.ctl(["alarm", "disarm"]).check().out == alarm_line + "\n"
        assert server.ctl(["alarm", "list"]).check().out == ""
        server.ctl(["put", "small", "v"]).check("put after disarm")

        # The alarm survives a restart.
        for i in range(100):
            if server.ctl(["put", "again/%02d" % i], stdin=value).rc != 0:
                break
        assert server.ctl(["alarm", "list"]).check().out == alarm_line + "\n"
        server.restart()
        assert server.ctl(["alarm", "list"]).check().out == alarm_line + "\n"
        r = server.ctl(["put", "small", "v"])
        assert r.rc != 0 and "database space exceeded" in r.err
