"""`ketch apiserver` answering bad list options as kube-apiserver 1.33 does, and `kubectl cp`
into and out of a control-plane pod.

- A field selector naming a field the kind does not support: 400 BadRequest with the kind's
  conversion error (`field label not supported: foo` for pods, `"foo" is not a known field
  selector: only "metadata.name", "metadata.namespace"` for kinds without their own), on list,
  watch and deletecollection alike, and nothing deleted.
- An unparsable resourceVersion: 422 Invalid `resourceVersion: Invalid value: "abc":
  strconv.ParseUint: parsing "abc": invalid syntax` where the watch cache reads it (get, watch,
  unpaged list), 400 BadRequest `invalid resource version: …` where etcd does (paged lists,
  deletecollection); resourceVersionMatch misuse: 422 for `ListOptions.meta.k8s.io`.
- `kubectl cp` of a file and a directory from `/etc/kubernetes` in the etcd pod, and of a file
  into it, contents compared with the state directory.

Requests go over HTTPS with the client certificate embedded in admin.conf, and through kubectl.
"""

from __future__ import annotations

import base64
import filecmp
import http.client
import json
import os
import ssl
import time
import urllib.parse
from pathlib import Path

import pytest
import yaml

from kube_cluster import Cluster, kubectl_path, cluster_fixture

pytestmark = pytest.mark.skipif(kubectl_path() is None, reason="kubectl is not installed (it comes with the image)")

NS = "errs"
CM = "/api/v1/namespaces/%s/configmaps" % NS
PODS = "/api/v1/namespaces/%s/pods" % NS
BAD_RV = 'resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax'
NOT_KNOWN = '"foo" is not a known field selector: only "metadata.name", "metadata.namespace"'


cluster = cluster_fixture("kube-errors")


class AdminClient:
    """HTTPS requests as kubernetes-admin: the client certificate and key embedded in admin.conf."""

    def __init__(self, cluster: Cluster, scratch: Path):
        conf = yaml.safe_load(cluster.admin_conf.read_text())
        user = conf["users"][0]["user"]
        cert, key = scratch / "admin.crt", scratch / "admin.key"
        cert.write_bytes(base64.b64decode(user["client-certificate-data"]))
        key.write_bytes(base64.b64decode(user["client-key-data"]))
        key.chmod(0o600)
        self.port = cluster.api_port
        self.ctx = ssl.create_default_context(cafile=str(cluster.pki / "ca.crt"))
        self.ctx.load_cert_chain(str(cert), str(key))

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.ctx, timeout=20)
        try:
            data = json.dumps(body).encode() if body is not None else None
            headers = {"Accept": "application/json"}
            if data is not None:
                headers["Content-Type"] = "application/json"
            conn.request(method, path, body=data, headers=headers)
            r = conn.getresponse()
            raw = r.read()
            return r.status, json.loads(raw) if raw else {}
        finally:
            conn.close()


@pytest.fixture(scope="module")
def api(cluster, tmp_path_factory):
    a = AdminClient(cluster, tmp_path_factory.mktemp("admin-cert"))
    code, _ = a.request("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}})
    assert code in (201, 409), code
    for name in ["cm-a", "cm-b"]:
        code, body = a.request("POST", CM, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name},
                                            "data": {"k": name}})
        assert code in (201, 409), (code, body)
    return a


def status(code: int, reason: str, message: str) -> dict:
    """A failure Status body exactly as kube-apiserver writes one (no details)."""
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}


def q(**params) -> str:
    return "?" + urllib.parse.urlencode(params)


def snapshot(api: AdminClient) -> dict:
    """The test namespace's ConfigMaps by name, with their resourceVersions."""
    code, body = api.request("GET", CM)
    assert code == 200, body
    return {i["metadata"]["name"]: i["metadata"]["resourceVersion"] for i in body["items"]}


def test_unsupported_field_selector_is_400_on_list_watch_and_deletecollection(cluster, api):
    before = snapshot(api)
    assert set(before) >= {"cm-a", "cm-b"}, before
    pods_bad = status(400, "BadRequest", "field label not supported: foo")
    cms_bad = status(400, "BadRequest", NOT_KNOWN)
    cases = [
        ("GET", PODS + q(fieldSelector="foo=bar"), pods_bad),
        ("GET", PODS + q(watch="1", fieldSelector="foo=bar"), pods_bad),
        ("GET", "/api/v1/pods" + q(fieldSelector="status.phase=Running,foo=bar"), pods_bad),
        ("DELETE", PODS + q(fieldSelector="foo=bar"), pods_bad),
        ("GET", CM + q(fieldSelector="foo=bar"), cms_bad),
        ("GET", CM + q(watch="true", fieldSelector="foo=bar"), cms_bad),
        ("DELETE", CM + q(fieldSelector="foo=bar"), cms_bad),
        # A label the kind's conversion does not list, though the object has the field.
        ("GET", "/apis/apps/v1/namespaces/%s/replicasets" % NS + q(fieldSelector="status.replicas=1"),
         status(400, "BadRequest", NOT_KNOWN.replace('"foo"', '"status.replicas"'))),
        ("GET", "/api/v1/namespaces" + q(fieldSelector="metadata.namespace=x"),
         status(400, "BadRequest", "field label not supported: metadata.namespace")),
        ("GET", "/apis/batch/v1/namespaces/%s/jobs" % NS + q(fieldSelector="status.failed=1"),
         status(400, "BadRequest", 'field label "status.failed" not supported for Job')),
    ]
    for method, path, want in cases:
        code, body = api.request(method, path)
        assert (code, body) == (want["code"], want), (method, path, code, body)
    # The failed deletecollections removed nothing.
    assert snapshot(api) == before

    # Supported labels still select.
    code, body = api.request("GET", CM + q(fieldSelector="metadata.name=cm-a"))
    assert code == 200 and [i["metadata"]["name"] for i in body["items"]] == ["cm-a"], body
    code, body = api.request("GET", "/api/v1/namespaces/kube-system/pods" + q(fieldSelector="spec.nodeName=" + cluster.node))
    assert code == 200 and any(i["metadata"]["name"] == "etcd-" + cluster.node for i in body["items"]), body

    # kubectl shows the server's message.
    r = cluster.kubectl("get", "pods", "-n", NS, "--field-selector", "foo=bar")
    assert r.rc == 1, r
    assert r.err.strip() == ('Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match '
                             'label selector "", field selector "foo=bar": field label not supported: foo'), r.err
    r = cluster.kubectl("delete", "configmaps", "-n", NS, "--field-selector", "foo=bar")
    assert r.rc == 1 and NOT_KNOWN in r.err, r
    assert snapshot(api) == before


def test_unparsable_resource_version(cluster, api):
    before = snapshot(api)
    cache = status(422, "Invalid", BAD_RV)                                  # the watch cache read it
    etcd = status(400, "BadRequest", "invalid resource version: " + BAD_RV)  # etcd3's list read it
    cases = [
        ("GET", CM + q(resourceVersion="abc"), cache),
        ("GET", CM + "/cm-a" + q(resourceVersion="abc"), cache),
        ("GET", CM + "/no-such-cm" + q(resourceVersion="abc"), cache),
        ("GET", CM + q(watch="1", resourceVersion="abc"), cache),
        ("GET", CM + q(resourceVersion="abc", resourceVersionMatch="NotOlderThan"), cache),
        ("GET", CM + q(resourceVersion="abc", limit="500"), etcd),
        ("GET", CM + q(resourceVersion="abc", resourceVersionMatch="Exact"), etcd),
        ("DELETE", CM + q(resourceVersion="abc"), etcd),
        ("GET", CM + q(resourceVersion="-1"), status(422, "Invalid", BAD_RV.replace('"abc"', '"-1"'))),
    ]
    for method, path, want in cases:
        code, body = api.request(method, path)
        assert (code, body) == (want["code"], want), (method, path, code, body)

    # resourceVersionMatch misuse: ValidateListOptions' 422, with causes.
    code, body = api.request("GET", CM + q(resourceVersionMatch="NotOlderThan"))
    detail = "resourceVersionMatch is forbidden unless resourceVersion is provided"
    assert (code, body) == (422, {
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "reason": "Invalid", "code": 422,
        "message": 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: ' + detail,
        "details": {"group": "meta.k8s.io", "kind": "ListOptions",
                    "causes": [{"reason": "FieldValueForbidden", "message": "Forbidden: " + detail,
                                "field": "resourceVersionMatch"}]},
    }), body
    code, body = api.request("GET", CM + q(resourceVersion="1", resourceVersionMatch="bogus"))
    assert code == 422 and body["message"] == ('ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: '
                                               'Unsupported value: "bogus": supported values: "Exact", "NotOlderThan", ""'), body
    code, body = api.request("GET", CM + q(watch="1", resourceVersionMatch="NotOlderThan"))
    assert code == 422 and body["message"].endswith(
        "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"), body

    # Good versions still work, and nothing changed.
    code, body = api.request("GET", CM + "/cm-a" + q(resourceVersion="0"))
    assert code == 200 and body["metadata"]["name"] == "cm-a", body
    assert snapshot(api) == before

    r = cluster.kubectl("get", "--raw", CM + q(resourceVersion="abc"))
    assert r.rc == 1 and BAD_RV in r.err, r


def _etcd_pod(cluster: Cluster) -> str:
    pod = "etcd-" + cluster.node
    deadline = time.time() + 15
    while cluster.kubectl("get", "pod", "-n", "kube-system", pod).rc != 0:
        assert time.time() < deadline, "no etcd mirror pod"
        time.sleep(0.2)
    return pod


def test_kubectl_cp_from_and_to_pod(cluster, tmp_path):
    pod = "kube-system/" + _etcd_pod(cluster)
    pki = cluster.state / "kubernetes/pki"

    # Out of the pod: one file, then a directory (kubectl runs `tar cf - <path>` in the pod).
    r = cluster.kubectl("cp", pod + ":/etc/kubernetes/pki/ca.crt", str(tmp_path / "ca.crt"))
    assert r.rc == 0, r
    assert (tmp_path / "ca.crt").read_bytes() == (pki / "ca.crt").read_bytes()
    r = cluster.kubectl("cp", pod + ":/etc/kubernetes/pki/etcd", str(tmp_path / "etcd-pki"))
    assert r.rc == 0, r
    cmp = filecmp.dircmp(pki / "etcd", tmp_path / "etcd-pki")
    assert sorted(cmp.common_files) == sorted(p.name for p in (pki / "etcd").iterdir()), cmp.common_files
    assert not cmp.left_only and not cmp.right_only and not cmp.diff_files, (cmp.left_only, cmp.right_only, cmp.diff_files)
    assert filecmp.cmpfiles(pki / "etcd", tmp_path / "etcd-pki", cmp.common_files, shallow=False)[0] == cmp.common_files

    # Into the pod (`tar -xmf - -C <dir>`), where the state directory stands for /etc/kubernetes,
    # then back out again.
    name = "uploaded-%d.txt" % os.getpid()
    src = tmp_path / "upload.txt"
    src.write_bytes(b"uploaded by kubectl cp\n\x00\xff binary tail\n")
    r = cluster.kubectl("cp", str(src), pod + ":/etc/kubernetes/" + name)
    assert r.rc == 0, r
    landed = cluster.state / "kubernetes" / name
    try:
        assert landed.read_bytes() == src.read_bytes()
        r = cluster.kubectl("cp", pod + ":/etc/kubernetes/" + name, str(tmp_path / "roundtrip.txt"))
        assert r.rc == 0, r
        assert (tmp_path / "roundtrip.txt").read_bytes() == src.read_bytes()
    finally:
        landed.unlink(missing_ok=True)

    # A path outside the mapped directories is the host's own, as in the brief's example.
    tmp_target = Path("/tmp") / ("ketch-cp-%d" % os.getpid())
    try:
        r = cluster.kubectl("cp", str(src), pod + ":" + str(tmp_target))
        assert r.rc == 0, r
        assert tmp_target.read_bytes() == src.read_bytes()
    finally:
        tmp_target.unlink(missing_ok=True)
