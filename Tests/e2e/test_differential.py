"""Differential tests: the same etcdctl commands against a fresh etcd 3.5.1 and a fresh Ketch.

Each sequence is a data table of S(argv..., stdin=..., only={"3.5"}, stream=seconds) steps;
every step's exit code, stdout and stderr must agree after normalising only what differs
by design (cluster/member ids, raft term, addresses, timestamps, durations, the Go client's
retry-warning lines). Add commands by adding rows.

Revisions noted in comments assume a fresh store (revision 1).
"""

import pytest

import e2e_harness as h
from e2e_harness import S, txn_input

ONLY35 = {"3.5"}
ONLY34 = {"3.4"}

# ---------------------------------------------------------------------------
PUT_GET = [
    S("put", "a", "1"),                                   # rev 2
    S("put", "a", "2", "--prev-kv"),                      # rev 3
    S("put", "a", "3", "--prev-kv", "-w", "json"),        # rev 4
    S("put", "a", "4", "--prev-kv", "-w", "fields"),      # rev 5
    S("put", "empty", ""),                                # rev 6: empty value
    S("get", "empty"),
    S("get", "empty", "-w", "json"),
    S("get", "empty", "-w", "fields"),
    S("put", "a", "--ignore-value"),                      # keeps value, bumps version
    S("get", "a", "-w", "fields"),
    S("put", "a", "5", "--ignore-lease"),
    S("get", "a", "-w", "json"),
    S("put", "missing", "--ignore-value"),                # error: key not found
    S("put", "missing2", "v", "--ignore-lease"),          # error: key not found
    S("put", "leased", "v", "--lease=1234"),              # error: requested lease not found
    S("put", "c", "1", "--prev-kv"),                      # no previous kv
    S("put", "c", "2", "--prev-kv", "-w", "json"),
    S("get", "a"),
    S("get", "a", "-w", "simple"),
    S("get", "nonexistent"),
    S("get", "nonexistent", "-w", "json"),
    S("get", "nonexistent", "-w", "fields"),
    S("put", "spaced key", "hello world"),
    S("get", "spaced key"),
    S("put", "multi", "line1\nline2"),
    S("get", "multi"),
    S("get", "multi", "--hex"),
    S("put", "unicode", "h\u00e9llo \u2603"),
    S("get", "unicode"),
    S("get", "unicode", "--hex"),
    S("get", "unicode", "-w", "json"),
    S("put", "bin", stdin=b"\x00\x01\xff\xfe binary"),   # value from stdin
    S("get", "bin", "--hex"),
    S("get", "bin", "-w", "json"),
    S("get", "bin", "-w", "fields", "--hex"),
    S("put", "fromstdin", stdin="value from stdin\n"),
    S("get", "fromstdin", "-w", "json"),
    S("get", "a", "--consistency=s"),
    S("get", "a", "--consistency=l", "-w", "json"),
    S("get", "a", "-w", "table"),
]

# ---------------------------------------------------------------------------
RANGE_SETUP = [
    S("put", "a", "va"),        # 2
    S("put", "a/1", "v1"),      # 3
    S("put", "a/2", "v2"),      # 4
    S("put", "a/3", "v3"),      # 5
    S("put", "ab", "vab"),      # 6
    S("put", "b", "vb"),        # 7
    S("put", "b/1", "vb1"),     # 8
    S("put", "c", "vc"),        # 9
    S("put", "d", "vd"),        # 10
    S("put", "a/2", "v2b"),     # 11
    S("put", "a/2", "v2c"),     # 12
    S("put", "b", "vb2"),       # 13
    S("put", "0", "zero"),      # 14
    S("put", "a/1", "a-first"), # 15 (value sorts before others)
]

SORT_STEPS = []
for target in ("KEY", "VERSION", "CREATE", "MODIFY", "VALUE"):
    for order in ("ASCEND", "DESCEND"):
        SORT_STEPS.append(S("get", "", "--from-key", "--sort-by=" + target, "--order=" + order))
    SORT_STEPS.append(S("get", "a", "--prefix", "--sort-by=" + target))
    SORT_STEPS.append(S("get", "a", "--prefix", "--sort-by=" + target, "--order=DESCEND", "--limit", "2"))
    SORT_STEPS.append(S("get", "", "--from-key", "--sort-by=" + target, "--order=ASCEND", "--limit", "3",
                        "--keys-only"))

RANGE = RANGE_SETUP + [
    S("get", "a"),
    S("get", "a", "--prefix"),
    S("get", "a/", "--prefix"),
    S("get", "b", "--from-key"),
    S("get", "", "--from-key"),
    S("get", "a", "c"),                                   # range [a, c)
    S("get", "a", "c", "--limit", "2"),
    S("get", "a", "c", "-w", "json"),
    S("get", "c", "a"),                                   # end before start: empty
    S("get", "a", "--prefix", "--limit", "2", "-w", "json"),
    S("get", "a", "--prefix", "--limit", "2", "-w", "fields"),
    S("get", "a", "--prefix", "--limit", "0"),
    S("get", "a", "--prefix", "--limit", "100"),
    S("get", "a", "--prefix", "--rev", "5"),              # historical
    S("get", "a", "--prefix", "--rev", "5", "-w", "json"),
    S("get", "a/2", "--rev", "11", "-w", "json"),
    S("get", "a/2", "--rev", "3"),                        # before it existed
    S("get", "", "--from-key", "--rev", "1"),             # empty store
    S("get", "", "--from-key", "--rev", "1", "-w", "json"),
    S("get", "a", "--rev", "16"),                         # future
    S("get", "a", "--rev", "1000000"),
    S("get", "a", "--rev", "15"),                         # current
    S("get", "a", "--prefix", "--order=DESCEND"),
    S("get", "a", "--prefix", "--order=ASCEND"),
    S("get", "a", "--prefix", "--keys-only"),
    S("get", "a", "--prefix", "--keys-only", "-w", "json"),
    S("get", "a", "--prefix", "--print-value-only"),
    S("get", "a", "--prefix", "--keys-only", "--print-value-only"),
    S("get", "a", "--prefix", "--count-only", "-w", "fields", only=ONLY35),
    S("get", "", "--from-key", "--count-only", "-w", "fields", only=ONLY35),
    S("get", "a", "--prefix", "--count-only", "--limit", "1", "-w", "fields", only=ONLY35),
    S("get", "a", "--prefix", "--count-only", only=ONLY35),  # error: only with -w fields
    S("get", "a", "--prefix", "--count-only", "-w", "json", only=ONLY35),
    S("get", "a", "--prefix", "-w", "json"),
    S("get", "a", "--prefix", "-w", "fields"),
    S("get", "a", "--prefix", "-w", "simple"),
    S("get", "a", "--prefix", "--hex"),
    S("get", "a", "--prefix", "--hex", "-w", "fields"),
    S("get", "zzz", "--prefix"),
    S("get", "zzz", "--prefix", "-w", "json"),
    S("get", "a", "--prefix", "--limit", "2", "--sort-by=MODIFY", "--order=DESCEND"),
    S("get", "a", "--prefix", "--sort-by=VALUE", "--order=DESCEND", "--keys-only"),
    S("get", "a", "--prefix", "--rev", "12", "--sort-by=VERSION", "--order=DESCEND", "-w", "json"),
    S("get", "--prefix", ""),                             # whole keyspace via empty prefix
    S("get", "a", "--prefix", "--from-key"),              # both: etcdctl error
    S("get", "a", "--sort-by=BOGUS"),                     # etcdctl error
] + SORT_STEPS

# ---------------------------------------------------------------------------
DELETE = [
    S("put", "k1", "1"), S("put", "k2", "2"), S("put", "k3", "3"), S("put", "k4", "4"), S("put", "k5", "5"),
    S("put", "p/1", "1"), S("put", "p/2", "2"), S("put", "p/3", "3"), S("put", "z", "z"),
    S("put", "r/a", "a"), S("put", "r/b", "b"), S("put", "r/c", "c"),          # rev 13
    S("del", "k1"),
    S("del", "k1"),                                        # missing: 0
    S("del", "k2", "--prev-kv"),
    S("del", "nothing", "--prev-kv", "-w", "json"),
    S("del", "p/", "--prefix", "--prev-kv", "-w", "json"),
    S("del", "nothing/", "--prefix"),
    S("del", "r/a", "r/c"),                                # range [r/a, r/c)
    S("get", "r/", "--prefix"),
    S("del", "k3", "-w", "fields"),
    S("del", "k4", "--from-key"),                          # k4, k5, r/c, z
    S("get", "", "--from-key"),
    S("get", "", "--from-key", "-w", "json"),
    S("get", "p/", "--prefix", "--rev", "13"),             # history of deleted keys
    S("get", "k1", "--rev", "13", "-w", "json"),
    S("put", "k1", "again"),                               # re-created: version 1, new create rev
    S("get", "k1", "-w", "json"),
    S("del", "k1", "--prev-kv", "-w", "fields"),
    S("del", "c", "a"),                                    # end before start
    S("del", "k"),
    S("put", "x", "1"),
    S("del", "", "--from-key", "--prev-kv"),               # everything
    S("get", "", "--from-key", "-w", "json"),
    S("del", "", "--from-key"),                            # nothing left
]

# ---------------------------------------------------------------------------
TXN = [
    S("put", "k", "1"),                                    # rev 2: create 2
    S("put", "k", "2"),                                    # rev 3: mod 3, version 2
    S("put", "other", "x"),                                # rev 4
    S("txn", stdin=txn_input(['mod("k") = "3"'], ["put k 3", "get k"], ["put k fail"])),          # success
    S("txn", stdin=txn_input(['mod("k") = "3"'], ["put k 4"], ["put k fail", "get k"])),          # failure
    S("txn", "-w", "json", stdin=txn_input(['value("k") = "fail"'], ["del other", "get k"], ["get k"])),
    S("txn", "-w", "json", stdin=txn_input(['value("k") = "nope"'], ["get k"], ["put f 1", "get k"])),
    S("txn", stdin=txn_input(['version("k") > "0"'], ["get k --prefix"], [])),
    S("txn", stdin=txn_input(['create("k") < "5"'], ["put c 1"], ["put c 2"])),
    S("txn", stdin=txn_input(['create("k") > "5"'], ["put c 3"], ["put c 4"])),
    S("txn", stdin=txn_input(['mod("k") > "0"', 'value("k") != "zzz"', 'version("k") < "100"'],
                             ["put multi yes"], ["put multi no"])),
    S("txn", stdin=txn_input(['mod("k") > "0"', 'value("k") = "zzz"'], ["put multi2 yes"], ["put multi2 no"])),
    # create-if-absent, as Kubernetes does it
    S("txn", stdin=txn_input(['version("missing") = "0"'], ["put missing v"], ["get missing"])),
    S("txn", stdin=txn_input(['create("missing") = "0"'], ["put missing v2"], ["get missing"])),
    S("txn", stdin=txn_input(['value("absent") = "x"'], ["put absent 1"], ["get absent"])),
    S("txn", stdin=txn_input(['value("absent") != "x"'], ["put absent 1"], ["get absent"])),
    S("txn", stdin=txn_input(['mod("absent2") < "100"'], ["put absent2 1"], ["get absent2"])),
    # no compares: always success
    S("txn", stdin=txn_input([], ["put t1 a", "put t2 b", "get t --prefix"], [])),
    S("txn", "-w", "json", stdin=txn_input([], ["get t --prefix --keys-only"], [])),
    S("txn", "-w", "fields", stdin=txn_input([], ["get t1"], [])),
    S("txn", stdin=txn_input([], ["del t --prefix --prev-kv", "put t3 c"], [])),
    S("txn", stdin=txn_input([], ["del t3", "get t3"], [])),                 # del + get same key: ok
    S("txn", stdin=txn_input([], ["put d 1", "put d 2"], [])),               # duplicate key error
    S("txn", stdin=txn_input([], ["put d 1", "del d"], [])),                 # put+del same key: error
    S("txn", stdin=txn_input([], ["put e 1"], ["put e 1", "put e 2"])),      # dup in failure branch
    S("txn", stdin=txn_input([], ["put r/x 1", "del r/ --prefix"], [])),     # put inside deleted range
    S("txn", stdin=txn_input([], [], [])),                                   # empty txn
    S("txn", "-w", "json", stdin=txn_input([], [], [])),
    S("txn", stdin=txn_input(['value("k") = "3"'], [], [])),                 # compare only
    S("txn", stdin=txn_input(['mod("k") = "bogus"'], ["put k x"], [])),      # etcdctl parse error
    S("txn", stdin=txn_input([], ["put 100 x"] + ["put t/%03d v%d" % (i, i) for i in range(127)], [])),  # 128 ops
    S("txn", stdin=txn_input([], ["put u/%03d v%d" % (i, i) for i in range(129)], [])),  # too many ops
    S("txn", stdin=txn_input([], ["put ok 1"], ["put f/%03d v" % i for i in range(129)])),  # too many (failure)
    S("get", "", "--from-key", "--keys-only", "--limit", "20"),
    S("get", "t/", "--prefix", "--count-only", "-w", "fields", only=ONLY35),
    S("get", "k", "-w", "json"),
    S("get", "", "--from-key", "-w", "json", "--limit", "5"),
]

# ---------------------------------------------------------------------------
COMPACTION = [
    S("put", "c", "1"), S("put", "c", "2"), S("put", "c", "3"),      # revs 2..4
    S("put", "c", "4"), S("put", "c", "5"), S("put", "c", "6"),      # revs 5..7
    S("put", "other", "o"),                                          # rev 8
    S("del", "other"),                                               # rev 9
    S("get", "c", "--rev", "3"),
    S("compaction", "4"),
    S("get", "c", "--rev", "3"),                                     # compacted
    S("get", "c", "--rev", "3", "-w", "json"),
    S("get", "c", "--rev", "4"),                                     # at the compaction rev: ok
    S("get", "c", "--rev", "5", "-w", "json"),
    S("get", "other", "--rev", "8"),
    S("get", "c"),
    S("compaction", "2"),                                            # older: compacted
    S("compaction", "4"),                                            # same: compacted
    S("compaction", "100"),                                          # future
    S("compaction", "10"),                                           # future by one
    S("compaction", "0"),
    S("compaction", "-1"),
    S("compaction", "abc"),                                          # etcdctl parse error
    S("compaction", "9"),                                            # current revision: ok
    S("get", "c", "--rev", "8"),
    S("get", "c", "--rev", "9", "-w", "json"),
    S("get", "other", "--rev", "9"),
    S("get", "c", "-w", "json"),
    S("put", "c", "7"),                                              # rev 10
    S("compaction", "10", "--physical"),
    S("get", "", "--from-key", "--rev", "9"),                        # compacted
    S("get", "", "--from-key", "-w", "json"),
    S("del", "c", "--prev-kv"),
    S("txn", stdin=txn_input(['mod("c") = "0"'], ["put c again", "get c"], [])),
    S("get", "c", "--rev", "10"),
    S("watch", "c", "--rev", "2", stream=2),                         # compacted watch
]

# ---------------------------------------------------------------------------
BIG_16M = b"x" * (1536 * 1024 + 100 * 1024)   # > 1.5 MiB, < 2 MiB gRPC limit
BIG_1M = b"y" * (1024 * 1024)
BIG_3M = b"z" * (3 * 1024 * 1024)             # over the client's 2 MiB send limit
SLAB = "s" * (200 * 1024)

ERRORS = [
    S("put", "", "v"),                                               # key is not provided
    S("get", ""),
    S("del", ""),
    S("get", "", "-w", "json"),
    S("put", "a", "1"),
    S("get", "a", "--rev", "1000000"),
    S("get", "a", "--rev", "-1"),
    S("get", "a", "--limit", "-1"),
    S("get", "a", "--rev", "2", "--limit", "-5"),
    S("put", "big", stdin=BIG_16M),                                  # request is too large
    S("put", "big1m", stdin=BIG_1M),                                 # fine
    S("get", "big1m", "--keys-only"),
    S("get", "big1m", "--count-only", "-w", "fields", only=ONLY35),
    S("put", "big3m", stdin=BIG_3M),
    S("get", "big", "--prefix", "--keys-only"),
    S("txn", stdin=txn_input([], ["put slab%d %s" % (i, SLAB) for i in range(9)], [])),  # too large txn
    S("txn", stdin=txn_input([], ["put d 1", "put d 2"], [])),
    S("txn", stdin=txn_input([], ["put m/%03d v" % i for i in range(129)], [])),
    S("put", "leased", "v", "--lease=abcdef"),
    S("put", "leased", "v", "--lease=zz"),                           # etcdctl parse error
    S("put", "a"),                                                   # no value, no stdin: etcdctl error
    S("put", "a", "b", "c"),                                         # too many args
    S("get"),                                                        # no key
    S("get", "a", "b", "c"),
    S("del"),
    S("get", "a", "--order=SIDEWAYS"),
    S("get", "a", "--consistency=x"),
    S("put", "a", "2", "-w", "bogus"),
    S("get", "\x01\x02ctl"),
    S("put", "\x01\x02ctl", "v"),
    S("get", "\x01", "--prefix", "--hex"),
    S("get", "\xff", "--from-key"),
    S("put", "\u00ff", "v"),                                         # key above most others
    S("get", "\u00ff", "--from-key", "-w", "json"),
    S("alarm", "list"),
    S("get", "", "--from-key", "--keys-only"),
    S("get", "", "--from-key", "-w", "fields"),
]

# ---------------------------------------------------------------------------
LOAD = (
    [S("txn", stdin=txn_input([], ["put load/%03d v%03d" % (i, i) for i in range(b * 100, b * 100 + 100)], []))
     for b in range(3)]                                              # revs 2, 3, 4
    + [
        S("get", "load/", "--prefix", "--limit", "5"),
        S("get", "load/", "--prefix", "--limit", "5", "-w", "json"),
        S("get", "load/", "--prefix", "--count-only", "-w", "fields", only=ONLY35),
        S("get", "load/", "--prefix", "--limit", "1", "-w", "fields"),
        S("get", "load/", "--prefix", "--keys-only", "--limit", "10", "--sort-by=KEY", "--order=DESCEND"),
        S("get", "load/1", "--prefix", "-w", "json", "--limit", "3"),
        S("get", "load/", "--prefix", "--limit", "50", "--rev", "2", "--keys-only"),
        S("get", "load/", "--prefix", "--rev", "3", "--count-only", "-w", "fields", only=ONLY35),
        S("get", "load/150", "load/160"),
        S("get", "load/150", "--from-key", "--limit", "3", "--order=DESCEND"),
        S("del", "load/0", "--prefix"),                              # rev 5
        S("get", "load/", "--prefix", "-w", "fields", "--limit", "1"),
        S("get", "load/", "--prefix", "--keys-only"),
        S("get", "load/", "--prefix", "--rev", "4", "--limit", "2", "--sort-by=MODIFY", "--order=DESCEND"),
        S("txn", stdin=txn_input([], ["put bulk/%03d %s" % (i, "w" * 1000) for i in range(128)], [])),
        S("get", "bulk/", "--prefix", "--count-only", "-w", "fields", only=ONLY35),
        S("get", "bulk/", "--prefix", "--keys-only", "--limit", "3", "--sort-by=VALUE"),
        S("del", "", "--from-key"),
        S("get", "", "--from-key", "-w", "json"),
        S("get", "load/", "--prefix", "--rev", "5", "--limit", "2", "-w", "json"),
    ]
)
for i in range(30):                                                  # plain put loop
    LOAD.append(S("put", "loop/%02d" % i, "v%d" % i, *(("--prev-kv",) if i % 3 == 0 else ())))
LOAD += [
    S("get", "loop/", "--prefix", "-w", "json", "--limit", "4", "--sort-by=CREATE", "--order=DESCEND"),
    S("get", "loop/", "--prefix", "--print-value-only"),
]

# ---------------------------------------------------------------------------
CLUSTER = [
    S("endpoint", "health"),
    S("endpoint", "health", "-w", "json", only=ONLY35),
    S("member", "list"),
    S("member", "list", "-w", "json"),
    S("member", "list", "-w", "fields"),
    S("alarm", "list"),
    S("put", "health", "x"),
    S("endpoint", "health"),
    S("get", "health"),
]

# ---------------------------------------------------------------------------
WATCH = [
    S("put", "w/a", "1"),           # 2
    S("put", "w/b", "1"),           # 3
    S("put", "w/a", "2"),           # 4
    S("del", "w/b"),                # 5
    S("put", "x", "1"),             # 6
    S("put", "w/c", "1"),           # 7
    S("watch", "w/", "--prefix", "--rev", "1", stream=2),
    S("watch", "w/", "--prefix", "--rev", "4", "--prev-kv", stream=2),
    S("watch", "w/a", "--rev", "2", "-w", "json", stream=2),
    S("watch", "w/a", "w/c", "--rev", "1", stream=2),
    S("watch", "w/", "--prefix", "--rev", "100", stream=2),    # future revision: waits, prints nothing
]


SEQUENCES = {
    "put_get": PUT_GET,
    "range": RANGE,
    "delete": DELETE,
    "txn": TXN,
    "compaction": COMPACTION,
    "errors": ERRORS,
    "load": LOAD,
    "cluster": CLUSTER,
    "watch_history": WATCH,
}


@pytest.mark.parametrize("client_bin", h.CLIENTS, indirect=True, ids=lambda c: "etcdctl" + c)
@pytest.mark.parametrize("name", list(SEQUENCES))
def test_differential(name, client_bin, tmp_path):
    __tracebackhide__ = True
    h.differential(tmp_path, client_bin, SEQUENCES[name], name)
