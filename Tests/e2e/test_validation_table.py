"""kube-apiserver 1.33's validation messages, case by case (issue 18): every case in
validation_cases/*.yaml is sent to `ketch apiserver` (a dry-run create, or a create then a
dry-run merge patch for update cases) and the 422 Status message is compared exactly with the
one upstream's validation code gives. `message: null` cases must be accepted."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest
import yaml

from kube_api import KubeAPI
from kube_cluster import Cluster, kubectl_path, cluster_fixture

CASES_DIR = Path(__file__).parent / "validation_cases"


def load_cases():
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text()) or []:
            cases.append(pytest.param(case, id="%s:%s" % (path.stem, case["name"])))
    return cases


CASES = load_cases()


cluster = cluster_fixture("validation")


@pytest.fixture(scope="module")
def api(cluster):
    return KubeAPI(cluster)


_counter = itertools.count()
_crds: set[str] = set()


def ensure_crd(api: KubeAPI, crd: dict) -> None:
    name = crd["metadata"]["name"]
    if name in _crds:
        return
    code, _, body = api.request("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd)
    assert code in (201, 409), body
    group, version = crd["spec"]["group"], crd["spec"]["versions"][0]["name"]
    deadline = time.time() + 30
    while time.time() < deadline:
        code, _, doc = api.request("GET", "/apis/%s/%s" % (group, version))
        if code == 200 and any(r["kind"] == crd["spec"]["names"]["kind"] for r in doc.get("resources", [])):
            break
        time.sleep(0.2)
    _crds.add(name)


@pytest.mark.parametrize("case", CASES)
def test_validation_case(api, case):
    if case.get("crd"):
        ensure_crd(api, case["crd"])
    obj = case["object"]
    expected = case.get("message")
    if "patch" in case:
        namespace = "vt-%d" % next(_counter)
        code, _, body = api.request("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
        assert code == 201, body
        collection = api.collection(obj, namespace)
        code, _, body = api.request("POST", collection, obj)
        assert code == 201, "the base object must be accepted: %s" % body
        name = obj["metadata"]["name"]
        code, _, body = api.request("PATCH", collection + "/" + name + "?dryRun=All", case["patch"],
                                    content_type="application/merge-patch+json")
    else:
        collection = api.collection(obj)
        code, _, body = api.request("POST", collection + "?dryRun=All", obj)
    if expected is None:
        assert code in (200, 201), "expected the object to be accepted, got %s: %s" % (code, body)
        return
    assert code == case.get("code", 422), body
    assert body["message"] == expected
