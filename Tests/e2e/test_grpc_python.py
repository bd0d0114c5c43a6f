"""A second, independent client: Python's grpcio (gRPC's C core), against etcd 3.5.1 and Ketch.

Stubs are generated at test time from the repo's protos with grpcio-tools. The same calls run
against both servers and must give the same answers (headers aside).
"""

import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import e2e_harness as h

grpc = pytest.importorskip("grpc", reason="pip install grpcio grpcio-tools (hack/test.sh does)")
pytest.importorskip("grpc_tools", reason="pip install grpcio-tools (hack/test.sh does)")

PROTOS = Path(__file__).resolve().parents[2] / "protos"


@pytest.fixture(scope="module")
def stubs(tmp_path_factory):
    out = tmp_path_factory.mktemp("stubs")
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", "-I", str(PROTOS), "--python_out", str(out),
                    "--grpc_python_out", str(out), "etcd/api/etcdserverpb/rpc.proto", "etcd/api/mvccpb/kv.proto",
                    "etcd/api/authpb/auth.proto"], check=True)
    sys.path.insert(0, str(out))
    from etcd.api.etcdserverpb import rpc_pb2, rpc_pb2_grpc  # noqa: E402
    yield rpc_pb2, rpc_pb2_grpc
    sys.path.remove(str(out))


def scenario(endpoint, rpc_pb2, rpc_pb2_grpc):
    """Large values, a bidi watch and a lease keep-alive stream; returns what was observed."""
    seen = []
    with grpc.insecure_channel(endpoint) as ch:
        kv = rpc_pb2_grpc.KVStub(ch)
        big = b"x" * 200_000  # many HTTP/2 frames each way
        kv.Put(rpc_pb2.PutRequest(key=b"big", value=big))
        r = kv.Range(rpc_pb2.RangeRequest(key=b"big"))
        seen.append(("range-big", r.count, len(r.kvs[0].value), r.kvs[0].value == big))

        watch = rpc_pb2_grpc.WatchStub(ch)
        requests = [rpc_pb2.WatchRequest(create_request=rpc_pb2.WatchCreateRequest(key=b"w/", range_end=b"w0", prev_kv=True))]
        cond = threading.Event()

        def gen():
            yield requests[0]
            cond.wait(10)

        responses = watch.Watch(gen())
        created = next(responses)
        seen.append(("created", created.created, created.watch_id, created.canceled))
        kv.Put(rpc_pb2.PutRequest(key=b"w/a", value=b"1"))
        kv.Put(rpc_pb2.PutRequest(key=b"w/a", value=b"2"))
        got = []
        while len(got) < 2:
            resp = next(responses)
            got += [(e.type, e.kv.key, e.kv.value, e.prev_kv.value, e.kv.version) for e in resp.events]
        seen.append(("events", got))
        cond.set()
        responses.cancel()

        lease = rpc_pb2_grpc.LeaseStub(ch)
        grant = lease.LeaseGrant(rpc_pb2.LeaseGrantRequest(TTL=30))
        seen.append(("grant", grant.TTL, grant.error))
        kas = list(lease.LeaseKeepAlive(iter([rpc_pb2.LeaseKeepAliveRequest(ID=grant.ID)] * 3)))
        seen.append(("keepalive", [(k.ID == grant.ID, k.TTL) for k in kas]))
        missing = list(lease.LeaseKeepAlive(iter([rpc_pb2.LeaseKeepAliveRequest(ID=12345)])))
        seen.append(("keepalive-missing", [k.TTL for k in missing]))
        ttl = lease.LeaseTimeToLive(rpc_pb2.LeaseTimeToLiveRequest(ID=12345))
        seen.append(("ttl-missing", ttl.TTL))
        try:
            kv.Put(rpc_pb2.PutRequest(key=b"k", value=b"v", lease=999))
        except grpc.RpcError as e:
            seen.append(("put-bad-lease", e.code().name, e.details()))
    return seen


def test_python_grpc_client(stubs, tmp_path, sut_ready):
    rpc_pb2, rpc_pb2_grpc = stubs
    ref = h.Server("etcd", tmp_path, "etcd-ref")
    sut = h.Server("ketch", tmp_path, "ketch")
    try:
        with ThreadPoolExecutor(2) as ex:
            a, b = ex.submit(ref.start), ex.submit(sut.start)
            a.result(), b.result()
        expected = scenario(ref.endpoint.replace("http://", ""), rpc_pb2, rpc_pb2_grpc)
        got = scenario(sut.endpoint.replace("http://", ""), rpc_pb2, rpc_pb2_grpc)
        assert got == expected
    finally:
        ref.stop()
        sut.stop()
