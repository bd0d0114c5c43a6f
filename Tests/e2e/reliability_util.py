"""Shared by the reliability tests (crash consistency, bad input, soak): etcd gRPC stubs
compiled by grpcio-tools, /proc readings of a server process, and a tiny hand-written HTTP/2
client for sending what no real client would send."""

from __future__ import annotations

import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Optional

PROTOS = Path(__file__).resolve().parents[2] / "protos"

_stubs_lock = threading.Lock()
_stubs = None


def stubs():
    """(rpc_pb2, rpc_pb2_grpc, kv_pb2), compiled once per process into a temp dir."""
    global _stubs
    with _stubs_lock:
        if _stubs is None:
            out = tempfile.mkdtemp(prefix="ketch-stubs-")
            subprocess.run([sys.executable, "-m", "grpc_tools.protoc", "-I", str(PROTOS), "--python_out", out,
                            "--grpc_python_out", out, "etcd/api/etcdserverpb/rpc.proto", "etcd/api/mvccpb/kv.proto",
                            "etcd/api/authpb/auth.proto"], check=True)
            sys.path.insert(0, out)
            from etcd.api.etcdserverpb import rpc_pb2, rpc_pb2_grpc  # noqa: E402
            from etcd.api.mvccpb import kv_pb2  # noqa: E402
            _stubs = (rpc_pb2, rpc_pb2_grpc, kv_pb2)
        return _stubs


def target(server) -> str:
    """host:port of a harness Server, for grpc channels and sockets."""
    return "127.0.0.1:%d" % server.client_port


# --------------------------------------------------------------------------
# /proc readings


def rss_kib(pid: int) -> int:
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS for pid %d" % pid)


def fd_count(pid: int) -> int:
    return len(os.listdir("/proc/%d/fd" % pid))


def thread_count(pid: int) -> int:
    return len(os.listdir("/proc/%d/task" % pid))


def http_health(server, timeout: float = 5) -> tuple[int, str]:
    """GET /health on the client port (HTTP/1.1 next to gRPC)."""
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d/health" % server.client_port, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
    except Exception as e:  # connection refused, timeout
        return 0, repr(e)


# --------------------------------------------------------------------------
# HTTP/2 by hand

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, PRIORITY, RST_STREAM, SETTINGS, PUSH_PROMISE, PING, GOAWAY, WINDOW_UPDATE, CONTINUATION = range(10)
END_STREAM, ACK, END_HEADERS, PADDED = 0x1, 0x1, 0x4, 0x8


def frame(ftype: int, flags: int, stream: int, payload: bytes = b"", length: Optional[int] = None) -> bytes:
    n = len(payload) if length is None else length
    return struct.pack(">I", n)[1:] + bytes([ftype, flags]) + struct.pack(">I", stream & 0x7FFFFFFF) + payload


def settings(pairs=()) -> bytes:
    return frame(SETTINGS, 0, 0, b"".join(struct.pack(">HI", k, v) for k, v in pairs))


def _hpack_int(value: int, prefix_bits: int, first: int = 0) -> bytes:
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return bytes([first | value])
    out = [first | limit]
    value -= limit
    while value >= 128:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def hpack_literal(name: bytes, value: bytes) -> bytes:
    """Literal header field without indexing, new name, no Huffman."""
    return b"\x00" + _hpack_int(len(name), 7) + name + _hpack_int(len(value), 7) + value


def grpc_headers(path: str, authority: str = "127.0.0.1") -> bytes:
    fields = [(b":method", b"POST"), (b":scheme", b"http"), (b":path", path.encode()), (b":authority", authority.encode()),
              (b"content-type", b"application/grpc"), (b"te", b"trailers")]
    return b"".join(hpack_literal(k, v) for k, v in fields)


def grpc_message(body: bytes, compressed: bool = False) -> bytes:
    return bytes([1 if compressed else 0]) + struct.pack(">I", len(body)) + body


class RawH2:
    """One plain-text HTTP/2 connection driven frame by frame. Reads only when asked."""

    def __init__(self, addr: str, timeout: float = 10, window: int = 65535, rcvbuf: Optional[int] = None):
        host, port = addr.rsplit(":", 1)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(timeout)
        self.sock.connect((host, int(port)))
        self.buf = b""
        self.sock.sendall(PREFACE + settings([(0x4, window), (0x2, 0)]))  # INITIAL_WINDOW_SIZE, ENABLE_PUSH=0

    def handshake(self, timeout: float = 5) -> None:
        """Reads (and acknowledges) the server's SETTINGS, as a real client does before opening
        many streams (a server enforces its advertised limits once its SETTINGS are acknowledged)."""
        self.pending = self.read_until(lambda fs: any(t == SETTINGS and not f & ACK for t, f, _, _ in fs), timeout)

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def call(self, stream: int, path: str, body: bytes, end_stream: bool = True) -> None:
        self.send(frame(HEADERS, END_HEADERS, stream, grpc_headers(path)) +
                  frame(DATA, END_STREAM if end_stream else 0, stream, grpc_message(body)))

    def read_frame(self) -> Optional[tuple]:
        """(type, flags, stream, payload), or None at EOF."""
        while len(self.buf) < 9:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buf += chunk
        n = struct.unpack(">I", b"\x00" + self.buf[:3])[0]
        while len(self.buf) < 9 + n:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buf += chunk
        ftype, flags = self.buf[3], self.buf[4]
        stream = struct.unpack(">I", self.buf[5:9])[0] & 0x7FFFFFFF
        payload = self.buf[9:9 + n]
        self.buf = self.buf[9 + n:]
        if ftype == SETTINGS and not flags & ACK:
            self.send(frame(SETTINGS, ACK, 0))
        elif ftype == PING and not flags & ACK:
            self.send(frame(PING, ACK, 0, payload))
        elif ftype == DATA and n:
            # Keep the peer sending: give the bytes back to both windows.
            self.send(frame(WINDOW_UPDATE, 0, 0, struct.pack(">I", n)) +
                      frame(WINDOW_UPDATE, 0, stream, struct.pack(">I", n)))
        return ftype, flags, stream, payload

    def read_until(self, done, timeout: float = 10) -> list:
        """Frames until done(frames) is true, EOF or timeout; returns all frames read."""
        frames = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                f = self.read_frame()
            except (socket.timeout, ConnectionError, OSError):
                break
            if f is None:
                break
            frames.append(f)
            if done(frames):
                break
        return frames

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


def data_messages(frames, stream: int) -> list[bytes]:
    """gRPC messages carried by DATA frames of one stream."""
    data = b"".join(p for t, _, s, p in frames if t == DATA and s == stream)
    out = []
    while len(data) >= 5:
        n = struct.unpack(">I", data[1:5])[0]
        if len(data) < 5 + n:
            break
        out.append(data[5:5 + n])
        data = data[5 + n:]
    return out


def grpc_status_in(frames, stream: int) -> Optional[int]:
    """The grpc-status of a stream if it appears literally in its HEADERS (trailers).

    Servers may Huffman-code or index it; then the stream's end is still visible as
    END_STREAM / RST_STREAM and this returns None."""
    for t, _, s, p in frames:
        if t == HEADERS and s == stream:
            i = p.find(b"grpc-status")
            if i >= 0:
                tail = p[i + len(b"grpc-status"):]
                if tail and tail[0] < 0x80:
                    return int(tail[1:1 + tail[0]] or b"-1")
    return None


def stream_ended(frames, stream: int) -> bool:
    return any(s == stream and ((t in (HEADERS, DATA) and f & END_STREAM) or t == RST_STREAM) for t, f, s, _ in frames)


def wait_for(fn, timeout: float = 10, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError("timed out after %ss waiting for %s (last: %r)" % (timeout, what, last))
