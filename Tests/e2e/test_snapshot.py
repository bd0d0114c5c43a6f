"""`snapshot save/status/restore`: ketch ctl (and ketch run as `etcdctl`) and real etcdctl 3.5.1
against `ketch etcd`, restores served again by `ketch etcd`, and refusals of foreign, corrupt,
truncated and misplaced input. Format: docs/snapshot-format.md.

Ketch snapshots are SQLite, etcd's bbolt: each side's status/restore refuses the other's files
(real etcdctl even panics on a Ketch file; that is expected and only checked for a non-zero exit).
"""

import json
import os
import re
import shutil
import struct
import subprocess
import time
from pathlib import Path

import pytest

import e2e_harness as h

SAVE_MESSAGES = ["created temporary db file", "opened snapshot stream; downloading", "fetching snapshot",
                 "completed snapshot read; closing", "fetched snapshot", "saved"]


@pytest.fixture(autouse=True)
def _ketch_only(sut_ready):
    if h.self_mode():
        pytest.skip("snapshot status/restore of Ketch (SQLite) files: Ketch only")


def ketch_bin() -> str:
    return os.environ["KETCH_BIN"]


def ketch_ctl(args, endpoint=None, global_args=(), argv0=None, timeout=60) -> h.Result:
    """`ketch ctl …` (or the binary run under the name `argv0`, e.g. an `etcdctl` symlink)."""
    argv = [argv0] if argv0 else [ketch_bin(), "ctl"]
    if endpoint:
        argv += ["--endpoints=" + endpoint, "--dial-timeout=2s", "--command-timeout=10s"]
    argv += list(global_args) + list(args)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ETCD_", "ETCDCTL_"))}
    env["ETCDCTL_API"] = "3"
    p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env)
    return h.Result(p.returncode, p.stdout, p.stderr)


def real_ctl(args, endpoint="127.0.0.1:1", global_args=()) -> h.Result:
    return h.run_etcdctl("3.5", endpoint, list(args), global_args=global_args, command_timeout="10s")


def json_logs(stderr: str) -> list:
    return [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]


def shape_of_save_logs(stderr: str) -> list:
    return [(d["level"], d.get("logger"), d["caller"], d["msg"], sorted(d)) for d in json_logs(stderr)]


def restore_flags(server: h.Server) -> list:
    return ["--name", server.name, "--initial-cluster", "%s=%s" % (server.name, server.peer_url),
            "--initial-advertise-peer-urls", server.peer_url, "--initial-cluster-token", "tok"]


def header(server: h.Server) -> dict:
    return server.ctl(["get", "nothing-here", "-w", "json"]).check("get header").json()["header"]


def fill(server: h.Server) -> dict:
    """Writes some history with a compaction in it; returns what a restore must reproduce."""
    for i in range(10):
        server.ctl(["put", "k/%d" % i, "v%d" % i]).check("put")
    server.ctl(["put", "k/0", "second"]).check("put")       # rev 12
    server.ctl(["del", "k/9"]).check("del")                  # rev 13
    server.ctl(["compact", "5"]).check("compact")
    server.ctl(["put", "k/1", "third"]).check("put")        # rev 14
    return {
        "revision": header(server)["revision"],
        "keys": server.ctl(["get", "k/", "--prefix", "-w", "json"]).check("get").json()["kvs"],
        "old": server.ctl(["get", "k/0", "--rev", "11"]).check("get --rev").out,
    }


def check_restored(server: h.Server, expected: dict) -> None:
    """The restored member serves the saved keys at the saved revision and keeps the compaction."""
    assert header(server)["revision"] == expected["revision"]
    status = server.ctl(["endpoint", "status", "-w", "json"]).check("endpoint status").json()
    assert status[0]["Status"]["header"]["revision"] == expected["revision"]
    assert server.ctl(["get", "k/", "--prefix", "-w", "json"]).check("get").json()["kvs"] == expected["keys"]
    assert server.ctl(["get", "k/0", "--rev", "11"]).check("get --rev").out == expected["old"]
    compacted = server.ctl(["get", "k/0", "--rev", "4"])
    assert compacted.rc != 0 and "required revision has been compacted" in compacted.err
    put = server.ctl(["put", "after", "restore", "-w", "json"]).check("put after restore").json()
    assert put["header"]["revision"] == expected["revision"] + 1


def test_save_with_both_clients_and_restore(tmp_path, server_factory):
    source = server_factory("ketch", "source").start()
    expected = fill(source)
    assert expected["revision"] == 14

    ours = tmp_path / "ours.db"
    r = ketch_ctl(["snapshot", "save", str(ours)], endpoint=source.endpoint).check("ketch ctl snapshot save")
    assert r.out == "Snapshot saved at %s\n" % ours
    assert [d["msg"] for d in json_logs(r.err)] == SAVE_MESSAGES
    assert not Path(str(ours) + ".part").exists()

    theirs = tmp_path / "theirs.db"
    t = real_ctl(["snapshot", "save", str(theirs)], endpoint=source.endpoint).check("etcdctl 3.5.1 snapshot save")
    assert t.out == "Snapshot saved at %s\n" % theirs
    # Same log lines, fields and order as etcdctl's own (values such as ts/size/took aside).
    assert shape_of_save_logs(r.err) == shape_of_save_logs(t.err), (r.err, t.err)

    # ketch run as `etcdctl` (argv[0]) saves too.
    link = tmp_path / "bin" / "etcdctl"
    link.parent.mkdir()
    link.symlink_to(ketch_bin())
    via_link = tmp_path / "via-link.db"
    ketch_ctl(["snapshot", "save", str(via_link)], endpoint=source.endpoint, argv0=str(link)).check("etcdctl symlink")
    source.stop()

    for i, snap in enumerate([ours, theirs, via_link]):
        st = ketch_ctl(["snapshot", "status", str(snap), "-w", "json"]).check("status")
        status = st.json()
        assert status["revision"] == expected["revision"]
        assert status["totalSize"] == snap.stat().st_size - 32
        assert st.err == "Deprecated: Use `etcdutl snapshot status` instead.\n\n"

        target = server_factory("ketch", "restored-%d" % i)
        rr = ketch_ctl(["snapshot", "restore", str(snap), "--data-dir", str(target.data_dir)] + restore_flags(target))
        rr.check("restore")
        assert rr.out == ""
        assert rr.err.startswith("Deprecated: Use `etcdutl snapshot restore` instead.\n\n")
        assert "restored snapshot" in rr.err
        added = re.search(r'"added-peer-id": "([0-9a-f]+)"', rr.err).group(1)
        assert sorted(os.listdir(target.data_dir / "member")) == ["ketch.db"]
        target.start()
        try:
            check_restored(target, expected)
            members = target.ctl(["member", "list", "-w", "json", "--hex"]).check("member list").json()
            assert members["members"][0]["ID"] == added
        finally:
            target.stop()


def test_status_shape_matches_etcdctl(tmp_path, server_factory):
    etcd = server_factory("etcd", "etcd").start()
    ketch = server_factory("ketch", "ketch").start()
    for s in (etcd, ketch):
        for i in range(5):
            s.ctl(["put", "k%d" % i, "v"]).check("put")
    etcd_file, ketch_file = tmp_path / "etcd.db", tmp_path / "ketch.db"
    real_ctl(["snapshot", "save", str(etcd_file)], endpoint=etcd.endpoint).check("save from etcd")
    ketch_ctl(["snapshot", "save", str(ketch_file)], endpoint=ketch.endpoint).check("save from ketch")

    def masked(text: str) -> str:
        text = re.sub(r"\b[0-9a-f]{6,8}\b", "<HASH>", text)
        text = re.sub(r"\b\d+(\.\d+)? (B|kB|MB|GB)\b", "<SIZE>", text)
        text = re.sub(r"\d+", "<N>", text)
        text = re.sub(r" +", " ", text)
        return re.sub(r"-+", "-", text)

    for fmt in ("simple", "table", "json", "fields"):
        theirs = real_ctl(["snapshot", "status", str(etcd_file), "-w", fmt]).check("etcdctl status")
        ours = ketch_ctl(["snapshot", "status", str(ketch_file), "-w", fmt]).check("ketch status")
        assert masked(ours.out) == masked(theirs.out), (fmt, ours.out, theirs.out)
        assert ours.err == theirs.err
    simple = ketch_ctl(["snapshot", "status", str(ketch_file)]).out.strip().split(", ")
    assert simple[1] == "6"   # revision: 5 puts after the initial revision 1

    # Each side refuses the other's files.
    for args in (["snapshot", "status", str(etcd_file)],
                 ["snapshot", "restore", str(etcd_file), "--data-dir", str(tmp_path / "from-etcd")]):
        r = ketch_ctl(args)
        assert r.rc == 1, r
        assert "etcd (bbolt) snapshot" in r.err.splitlines()[-1] and r.err.splitlines()[-1].startswith("Error: ")
    assert not (tmp_path / "from-etcd").exists()
    refused = real_ctl(["snapshot", "restore", str(ketch_file), "--data-dir", str(tmp_path / "etcd-from-ketch")])
    assert refused.rc != 0


def test_corrupt_truncated_and_existing_dir_are_refused(tmp_path, server_factory):
    server = server_factory("ketch", "src").start()
    fill(server)
    good = tmp_path / "good.db"
    ketch_ctl(["snapshot", "save", str(good)], endpoint=server.endpoint).check("save")
    server.stop()
    data = good.read_bytes()

    corrupt = tmp_path / "corrupt.db"
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0xFF
    corrupt.write_bytes(bytes(flipped))
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(data[:-1000])

    cases = [
        (corrupt, [], "Error: expected sha256 ["),
        (truncated, [], "Error: snapshot missing hash but --skip-hash-check=false"),
        (truncated, ["--skip-hash-check"], "Error: snapshot file integrity check failed."),
    ]
    for i, (path, extra, message) in enumerate(cases):
        target = tmp_path / ("bad-%d" % i)
        r = ketch_ctl(["snapshot", "restore", str(path), "--data-dir", str(target)] + extra)
        assert r.rc == 1, (path, r)
        assert message in r.err, (path, r.err)
        assert not target.exists()
        if not extra:
            # Real etcdctl says the same about these files (it checks the digest before the format).
            theirs = real_ctl(["snapshot", "restore", str(path), "--data-dir", str(tmp_path / ("etcd-bad-%d" % i))])
            assert theirs.rc == 1
            assert theirs.err.splitlines()[-1].split(", got")[0] == r.err.splitlines()[-1].split(", got")[0]
    st = ketch_ctl(["snapshot", "status", str(corrupt)])
    assert st.rc == 1 and "Error: snapshot file integrity check failed." in st.err
    assert tmp_path.joinpath("none.db").exists() is False
    missing = ketch_ctl(["snapshot", "status", str(tmp_path / "none.db")])
    assert missing.rc == 1 and missing.err.endswith("Error: stat %s: no such file or directory\n" % (tmp_path / "none.db"))

    # An existing, non-empty data dir is never written over (etcdctl's wording); an empty one is used.
    busy = tmp_path / "busy"
    (busy / "member").mkdir(parents=True)
    (busy / "member" / "ketch.db").write_text("keep me")
    r = ketch_ctl(["snapshot", "restore", str(good), "--data-dir", str(busy)])
    theirs = real_ctl(["snapshot", "restore", str(good), "--data-dir", str(busy)])
    assert r.rc == 1 and theirs.rc == 1
    assert r.err.splitlines()[-1] == 'Error: data-dir "%s" not empty or could not be read' % busy
    assert r.err.splitlines()[-1] == theirs.err.splitlines()[-1]
    assert (busy / "member" / "ketch.db").read_text() == "keep me"
    empty = tmp_path / "empty"
    empty.mkdir()
    ketch_ctl(["snapshot", "restore", str(good), "--data-dir", str(empty)]).check("restore into an empty dir")
    assert (empty / "member" / "ketch.db").exists()

    # Usage errors as etcdctl's.
    assert ketch_ctl(["snapshot", "save"], endpoint=server.endpoint).rc == 128
    assert ketch_ctl(["snapshot", "restore"]).rc == 128
    multi = ketch_ctl(["--endpoints=127.0.0.1:1,127.0.0.1:2", "snapshot", "save", str(tmp_path / "x.db")])
    assert multi.rc == 5 and "snapshot must be requested to one selected node, not multiple" in multi.err


def test_seed_workflow_from_ketch_init(tmp_path, sut_ready):
    """`ketch init` → the etcd manifest's member → snapshot over mTLS → restore to a new data dir →
    the same manifest command on the restored dir serves the /registry seed at the same revision."""
    import test_init as ti

    state = tmp_path / "state"
    _, port, _ = ti.init(state)
    command = ti.etcd_command(state)
    flags = dict(arg[2:].split("=", 1) for arg in command[1:] if arg.startswith("--") and "=" in arg)
    pki = state / "kubernetes/pki"
    tls = ["--cacert", str(pki / "etcd/ca.crt"), "--cert", str(pki / "apiserver-etcd-client.crt"),
           "--key", str(pki / "apiserver-etcd-client.key")]
    endpoint = "https://127.0.0.1:%d" % port

    proc = ti.serve([ketch_bin()] + command, tmp_path / "seed-etcd.log")
    try:
        ti.wait_healthy(state, port, proc)
        before = ti.etcdctl_tls(state, port, "get", "/registry", "--prefix", "-w", "json")
        assert before.rc == 0, before.err
        before = before.json()
        seed = tmp_path / "seed.db"
        ketch_ctl(["snapshot", "save", str(seed)], endpoint=endpoint, global_args=tls).check("save over mTLS")
        real_seed = tmp_path / "seed-etcdctl.db"
        real_ctl(["snapshot", "save", str(real_seed)], endpoint=endpoint, global_args=tls).check("etcdctl save over mTLS")
        no_cert = ketch_ctl(["snapshot", "save", str(tmp_path / "refused.db")], endpoint=endpoint,
                            global_args=["--cacert", str(pki / "etcd/ca.crt")])
        assert no_cert.rc != 0 and not (tmp_path / "refused.db").exists()
    finally:
        ti.stop(proc)

    restored = tmp_path / "restored-etcd"
    ketch_ctl(["snapshot", "restore", str(seed), "--data-dir", str(restored), "--name", flags["name"],
               "--initial-cluster", flags["initial-cluster"],
               "--initial-advertise-peer-urls", flags["initial-advertise-peer-urls"]]).check("restore seed")
    shutil.rmtree(state / "etcd")   # the original is gone; only the restored copy serves
    moved = [a if not a.startswith("--data-dir=") else "--data-dir=" + str(restored) for a in command]
    proc = ti.serve([ketch_bin()] + moved, tmp_path / "restored-etcd.log")
    try:
        ti.wait_healthy(state, port, proc)
        after = ti.etcdctl_tls(state, port, "get", "/registry", "--prefix", "-w", "json")
        assert after.rc == 0, after.err
        after = after.json()
        assert after["header"]["revision"] == before["header"]["revision"]
        assert after["header"]["member_id"] == before["header"]["member_id"]
        assert after["header"]["cluster_id"] == before["header"]["cluster_id"]
        assert after["kvs"] == before["kvs"] and len(after["kvs"]) > 10
        keys = ti.etcdctl_tls(state, port, "get", "/registry/namespaces/kube-system", "--keys-only")
        assert keys.rc == 0 and "/registry/namespaces/kube-system" in keys.out
        # Started with the flags it was restored for: no identity warning.
        assert "restored for another member" not in (tmp_path / "restored-etcd.log").read_text()
    finally:
        ti.stop(proc)



PINGS = 300


def test_pings_during_a_snapshot_stream_are_welcome(tmp_path, server_factory):
    """etcdctl (grpc-go) pings for every burst of DATA it receives, so a large `snapshot save`
    sees hundreds of pings, some while the server waits on flow control. They once drew GOAWAY
    ENHANCE_YOUR_CALM (etcdctl: "the connection is draining"): grpc-swift's keepalive policy
    after the third, NIOHTTP2's flood protection after the 200th."""
    import grpc
    import reliability_util as r
    rpc_pb2, rpc_pb2_grpc, _ = r.stubs()
    source = server_factory("ketch", "pinged").start()
    with grpc.insecure_channel(r.target(source)) as channel:
        kv = rpc_pb2_grpc.KVStub(channel)
        value = os.urandom(1024)
        for batch in range(20):         # 2,000 keys of 1 KiB: far more than one 64 KiB window
            puts = [rpc_pb2.RequestOp(request_put=rpc_pb2.PutRequest(key=b"big/%06d" % (batch * 100 + i), value=value))
                    for i in range(100)]
            kv.Txn(rpc_pb2.TxnRequest(success=puts), timeout=30)
    conn = r.RawH2(r.target(source))
    try:
        conn.handshake()
        conn.call(1, "/etcdserverpb.Maintenance/Snapshot", rpc_pb2.SnapshotRequest().SerializeToString())
        time.sleep(1.0)                 # the first window's worth is sent; the stream now waits
        try:
            for i in range(PINGS):
                conn.send(r.frame(r.PING, 0, 0, struct.pack(">Q", i)))
                if i < 8:
                    time.sleep(0.05)
        except OSError:
            pass                        # closed on us: the frames read below say why
        frames = conn.read_until(lambda fs: any(t == r.GOAWAY or (s == 1 and f & r.END_STREAM and t in (r.DATA, r.HEADERS))
                                                for t, f, s, _ in fs), timeout=30)
    finally:
        conn.close()
    assert not [p for t, _, _, p in frames if t == r.GOAWAY], "server sent GOAWAY during the snapshot stream"
    acks = sum(1 for t, f, _, _ in frames if t == r.PING and f & r.ACK)
    assert acks == PINGS, "the server answered %d of %d pings, then closed the connection" % (acks, PINGS)
    blob = b"".join(m for m in r.data_messages(frames, 1))
    assert len(blob) > 2000 * 1024

    # And real etcdctl saves it.
    snap = tmp_path / "large.db"
    real_ctl(["snapshot", "save", str(snap)], endpoint=source.endpoint).check("etcdctl 3.5.1 snapshot save")
    status = ketch_ctl(["snapshot", "status", str(snap), "-w", "json"]).check("status").json()
    assert status["totalKey"] >= 2000
