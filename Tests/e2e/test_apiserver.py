"""`ketch apiserver` driven by real kubectl (1.32 on PATH, and the oldest/newest versioned
kubectl beside it) and the Python kubernetes client, over `ketch etcd` — and over real etcd 3.5.1."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time

import pytest

import e2e_harness as h
from kube_cluster import Cluster, kubectl_path, cluster_fixture, ok

pytestmark = pytest.mark.skipif(kubectl_path() is None, reason="kubectl is not installed (it comes with the image)")

OLDEST, NEWEST = "1.27", "1.33"


cluster = cluster_fixture("kube")



def wait_for(fn, timeout=10.0, what="condition"):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(0.2)
    raise AssertionError("timed out waiting for %s (last: %r)" % (what, last))


def test_namespaces_nodes_and_control_plane_pods(cluster):
    ns = ok(cluster.kubectl("get", "ns")).out
    for name in ["default", "kube-system", "kube-public", "kube-node-lease"]:
        assert any(l.split()[:2] == [name, "Active"] for l in ns.splitlines()), ns
    nodes = ok(cluster.kubectl("get", "nodes")).out
    assert nodes.splitlines()[0].split() == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"], nodes
    assert nodes.splitlines()[1].split()[:3] == [cluster.node, "Ready", "control-plane"], nodes

    def etcd_line():
        out = cluster.kubectl("get", "pods", "-n", "kube-system").out
        return [l for l in out.splitlines() if "etcd" in l]
    lines = wait_for(etcd_line, what="etcd mirror pod")
    assert lines[0].split()[:4] == ["etcd-" + cluster.node, "1/1", "Running", "0"], lines
    # The user's pipeline, literally.
    p = subprocess.run("kubectl get pods -n kube-system | grep etcd", shell=True, capture_output=True, text=True,
                       env=cluster.env())
    assert p.returncode == 0 and ("etcd-" + cluster.node) in p.stdout, p.stdout + p.stderr
    all_pods = ok(cluster.kubectl("get", "pods", "-n", "kube-system", "-o", "wide")).out
    for component in ["kube-apiserver", "kube-controller-manager", "kube-scheduler"]:
        assert component + "-" + cluster.node in all_pods
    assert "NODE" in all_pods.splitlines()[0] and cluster.node in all_pods.splitlines()[1]


def test_configmap_create_get_apply_patch_delete(cluster, tmp_path):
    ok(cluster.kubectl("create", "configmap", "cm1", "--from-literal=a=1"))
    got = json.loads(ok(cluster.kubectl("get", "cm", "cm1", "-o", "json")).out)
    assert got["data"] == {"a": "1"} and got["metadata"]["uid"] and got["metadata"]["resourceVersion"]
    # Stored where kube-apiserver keeps it, as JSON, resourceVersion = mod revision.
    kv = ok(cluster.etcdctl("get", "/registry/configmaps/default/cm1", "-w", "json")).json()
    assert str(kv["kvs"][0]["mod_revision"]) == got["metadata"]["resourceVersion"]
    value = json.loads(__import__("base64").b64decode(kv["kvs"][0]["value"]))
    assert value["data"] == {"a": "1"} and "resourceVersion" not in value["metadata"]

    manifest = tmp_path / "cm.yaml"
    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm2\n  labels: {app: demo}\ndata:\n  k: v1\n")
    assert "configmap/cm2 created" in ok(cluster.kubectl("apply", "-f", str(manifest))).out
    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm2\n  labels: {app: demo}\ndata:\n  k: v2\n  extra: x\n")
    assert "configmap/cm2 configured" in ok(cluster.kubectl("apply", "-f", str(manifest))).out
    assert json.loads(ok(cluster.kubectl("get", "cm", "cm2", "-o", "json")).out)["data"] == {"k": "v2", "extra": "x"}
    assert "configmap/cm2 unchanged" in ok(cluster.kubectl("apply", "-f", str(manifest))).out

    ok(cluster.kubectl("patch", "cm", "cm2", "--type", "merge", "-p", '{"data":{"extra":null,"m":"merge"}}'))
    ok(cluster.kubectl("patch", "cm", "cm2", "--type", "json", "-p", '[{"op":"replace","path":"/data/k","value":"json"}]'))
    ok(cluster.kubectl("patch", "cm", "cm2", "-p", '{"data":{"s":"strategic"}}'))
    assert json.loads(ok(cluster.kubectl("get", "cm", "cm2", "-o", "json")).out)["data"] == {"k": "json", "m": "merge", "s": "strategic"}
    assert "cm2" in ok(cluster.kubectl("get", "cm", "-l", "app=demo")).out
    assert "cm2" not in cluster.kubectl("get", "cm", "-l", "app=other").out

    table = ok(cluster.kubectl("get", "cm")).out.splitlines()
    assert table[0].split() == ["NAME", "DATA", "AGE"]
    assert any(l.split()[:2] == ["cm2", "3"] for l in table), table

    assert 'configmap "cm1" deleted' in ok(cluster.kubectl("delete", "cm", "cm1")).out
    r = cluster.kubectl("get", "cm", "cm1")
    assert r.rc == 1 and 'Error from server (NotFound): configmaps "cm1" not found' in r.err
    assert ok(cluster.etcdctl("get", "/registry/configmaps/default/cm1")).out == ""


def test_server_side_apply(cluster, tmp_path):
    manifest = tmp_path / "ssa.yaml"
    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa1\ndata:\n  a: '1'\n")
    assert "serverside-applied" in ok(cluster.kubectl("apply", "--server-side", "-f", str(manifest))).out
    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa1\ndata:\n  a: '2'\n")
    ok(cluster.kubectl("apply", "--server-side", "-f", str(manifest)))
    got = json.loads(ok(cluster.kubectl("get", "cm", "ssa1", "-o", "json", "--show-managed-fields")).out)
    assert got["data"] == {"a": "2"}
    assert any(m["manager"] == "kubectl" and m["operation"] == "Apply" for m in got["metadata"]["managedFields"])


DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
"""


def test_deployment_apply_scale_edit_delete(cluster, tmp_path):
    f = tmp_path / "deploy.yaml"
    f.write_text(DEPLOYMENT)
    assert "deployment.apps/web created" in ok(cluster.kubectl("apply", "-f", str(f))).out
    got = json.loads(ok(cluster.kubectl("get", "deploy", "web", "-o", "json")).out)
    assert got["spec"]["strategy"]["type"] == "RollingUpdate" and got["metadata"]["generation"] == 1
    header = ok(cluster.kubectl("get", "deployments")).out.splitlines()[0].split()
    assert header == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    ok(cluster.kubectl("scale", "deployment/web", "--replicas=3"))
    assert ok(cluster.kubectl("get", "deploy", "web", "-o", "jsonpath={.spec.replicas}")).out == "3"
    ok(cluster.kubectl("set", "image", "deployment/web", "nginx=nginx:1.28"))
    got = json.loads(ok(cluster.kubectl("get", "deploy", "web", "-o", "json")).out)
    assert got["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.28"
    assert got["metadata"]["generation"] == 3
    f.write_text(DEPLOYMENT.replace("nginx:1.27", "nginx:1.29"))
    assert "deployment.apps/web configured" in ok(cluster.kubectl("apply", "-f", str(f))).out
    ok(cluster.kubectl("delete", "-f", str(f)))
    assert ok(cluster.etcdctl("get", "/registry/deployments/default/web", "--keys-only")).out == ""


CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wg]}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
"""


def test_crd_and_custom_resource(cluster, tmp_path):
    f = tmp_path / "crd.yaml"
    f.write_text(CRD)
    ok(cluster.kubectl("apply", "-f", str(f)))
    ok(cluster.kubectl("wait", "--for", "condition=established", "crd/widgets.example.com", "--timeout=20s"))
    w = tmp_path / "w.yaml"
    w.write_text("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 7\n")
    assert "widget.example.com/w1 created" in ok(cluster.kubectl("apply", "-f", str(w))).out
    table = ok(cluster.kubectl("get", "wg")).out.splitlines()
    # A CRD with printer columns gets exactly those after NAME (no AGE unless it declares one).
    assert table[0].split() == ["NAME", "SIZE"] and table[1].split()[:2] == ["w1", "7"], table
    ok(cluster.kubectl("patch", "widget", "w1", "--type", "merge", "-p", '{"spec":{"size":8}}'))
    assert ok(cluster.kubectl("get", "widgets", "w1", "-o", "jsonpath={.spec.size}")).out == "8"
    keys = ok(cluster.etcdctl("get", "/registry/example.com/widgets/", "--prefix", "--keys-only")).out
    assert "/registry/example.com/widgets/default/w1" in keys
    ok(cluster.kubectl("delete", "widget", "w1"))
    ok(cluster.kubectl("delete", "-f", str(f)))


def test_watch_sees_changes(cluster):
    k = kubectl_path()
    proc = subprocess.Popen([k, "get", "configmaps", "-w", "--request-timeout=0"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=cluster.env())
    lines: list[str] = []
    reader = threading.Thread(target=lambda: [lines.append(l) for l in proc.stdout], daemon=True)
    reader.start()
    try:
        time.sleep(1.0)
        ok(cluster.kubectl("create", "configmap", "watched", "--from-literal=x=y"))
        wait_for(lambda: any(l.startswith("watched") for l in lines), what="watch event")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert lines[0].split()[:3] == ["NAME", "DATA", "AGE"], lines


def test_stale_update_conflicts(cluster, tmp_path):
    ok(cluster.kubectl("create", "configmap", "race", "--from-literal=v=0"))
    obj = json.loads(ok(cluster.kubectl("get", "cm", "race", "-o", "json")).out)
    ok(cluster.kubectl("patch", "cm", "race", "--type", "merge", "-p", '{"data":{"v":"1"}}'))
    obj["data"]["v"] = "stale"
    f = tmp_path / "stale.json"
    f.write_text(json.dumps(obj))
    r = cluster.kubectl("replace", "-f", str(f))
    assert r.rc == 1 and "Operation cannot be fulfilled on configmaps \"race\": the object has been modified" in r.err, r.err
    assert json.loads(ok(cluster.kubectl("get", "cm", "race", "-o", "json")).out)["data"] == {"v": "1"}


def test_rbac_denies_user_without_binding(cluster):
    conf = cluster.user_kubeconfig("bob", ["devs"])
    r = cluster.kubectl("get", "pods", kubeconfig=conf)
    assert r.rc == 1 and 'User "bob" cannot list resource "pods" in API group "" in the namespace "default"' in r.err, r.err
    ok(cluster.kubectl("create", "rolebinding", "bob-view", "--clusterrole=view", "--user=bob", "-n", "default"))
    wait_for(lambda: cluster.kubectl("get", "configmaps", kubeconfig=conf).rc == 0, what="RBAC grant")
    r = cluster.kubectl("delete", "configmap", "race", kubeconfig=conf)
    assert r.rc == 1 and "forbidden" in r.err
    r = cluster.kubectl("get", "pods", "-n", "kube-system", kubeconfig=conf)
    assert r.rc == 1 and "forbidden" in r.err
    # kubectl auth can-i and impersonation go through the same RBAC.
    assert ok(cluster.kubectl("auth", "can-i", "list", "configmaps", "--as=bob")).out.strip() == "yes"
    r = cluster.kubectl("auth", "can-i", "list", "secrets", "-n", "kube-system", "--as=bob")
    assert r.rc == 1 and r.out.strip() == "no"
    r = cluster.kubectl("get", "secrets", "-n", "kube-system", "--as=bob")
    assert r.rc == 1 and 'User "bob" cannot list resource "secrets"' in r.err
    r = cluster.kubectl("get", "pods", "--as=admin-wannabe", kubeconfig=conf)
    assert r.rc == 1 and "cannot impersonate" in r.err


def test_anonymous_and_bad_credentials(cluster):
    code, body = cluster.curl("/api/v1/namespaces", cert=False)
    assert code == 401 and json.loads(body)["reason"] == "Unauthorized"
    code, _ = cluster.curl("/api/v1/namespaces", cert=False, token="not-a-jwt")
    assert code == 401
    code, body = cluster.curl("/version", cert=False)
    assert code == 200 and json.loads(body)["major"] == "1"


def test_malformed_bodies_change_nothing(cluster):
    before = ok(cluster.etcdctl("get", "/registry/configmaps/default/", "--prefix", "--keys-only")).out
    code, body = cluster.curl("/api/v1/namespaces/default/configmaps", "POST", "{not json")
    assert code == 400 and json.loads(body)["kind"] == "Status", body
    # kube-apiserver 1.33's words, from Go's encoding/json.
    assert json.loads(body)["message"] == \
        "couldn't get version/kind; json parse error: invalid character 'n' looking for beginning of object key string", body
    code, body = cluster.curl("/api/v1/namespaces/default/configmaps", "POST", "x", content_type="application/vnd.kubernetes.protobuf")
    assert code == 415 and json.loads(body)["reason"] == "UnsupportedMediaType", body
    code, body = cluster.curl("/api/v1/namespaces/default/configmaps", "POST", '{"metadata":{"name":5}}')
    assert code == 400 and "cannot unmarshal number" in json.loads(body)["message"], body
    code, body = cluster.curl("/api/v1/namespaces/default/configmaps", "POST", '{"metadata":{"name":"Bad_Name"}}')
    status = json.loads(body)
    assert code == 422 and status["reason"] == "Invalid" and status["details"]["causes"][0]["field"] == "metadata.name", body
    code, body = cluster.curl("/api/v1/namespaces/default/configmaps", "POST", '{"kind":"Secret","metadata":{"name":"x"}}')
    assert code == 400, body
    code, body = cluster.curl("/api/v1/namespaces/default/configmaps/race", "PATCH", '{"data":', content_type="application/merge-patch+json")
    assert code == 400, body
    assert ok(cluster.etcdctl("get", "/registry/configmaps/default/", "--prefix", "--keys-only")).out == before


def test_logs_and_exec_into_etcd(cluster):
    pod = "etcd-" + cluster.node
    logs = ok(cluster.kubectl("logs", pod, "-n", "kube-system", "--tail", "5")).out
    assert 0 < len(logs.splitlines()) <= 5
    cmd = ("ETCDCTL_API=3 etcdctl get / --prefix --keys-only --limit=10 --cacert /etc/kubernetes/pki/etcd/ca.crt "
           "--cert /etc/kubernetes/pki/etcd/server.crt --key /etc/kubernetes/pki/etcd/server.key")
    r = ok(cluster.kubectl("exec", pod, "-n", "kube-system", "--", "sh", "-c", cmd))
    keys = [l for l in r.out.splitlines() if l]
    assert len(keys) == 10 and all(k.startswith("/registry/") for k in keys), r.out
    r = cluster.kubectl("exec", pod, "-n", "kube-system", "--", "sh", "-c", "echo out; echo err >&2; exit 3")
    assert r.rc == 3 and r.out == "out\n" and "err" in r.err, r
    # stdin larger than one WebSocket frame.
    r = ok(cluster.kubectl("exec", "-i", pod, "-n", "kube-system", "--", "wc", "-l",
                           stdin="".join("%d\n" % i for i in range(100000))))
    assert r.out.strip() == "100000"
    assert "readyz check passed" in ok(cluster.kubectl("get", "--raw", "/readyz?verbose")).out


@pytest.mark.parametrize("version", [OLDEST, NEWEST])
def test_versioned_kubectl(cluster, version, tmp_path):
    if kubectl_path(version) is None:
        pytest.skip("kubectl.%s not found beside kubectl" % version)
    out = ok(cluster.kubectl("get", "pods", "-n", "kube-system", version=version)).out
    assert "etcd-" + cluster.node in out and "Running" in out
    name = "v" + version.replace(".", "")
    f = tmp_path / "cm.yaml"
    f.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\ndata:\n  a: b\n" % name)
    ok(cluster.kubectl("apply", "-f", str(f), version=version))
    ok(cluster.kubectl("patch", "cm", name, "-p", '{"data":{"c":"d"}}', version=version))
    assert json.loads(ok(cluster.kubectl("get", "cm", name, "-o", "json", version=version)).out)["data"] == {"a": "b", "c": "d"}
    ok(cluster.kubectl("delete", "cm", name, version=version))
    r = cluster.kubectl("exec", "etcd-" + cluster.node, "-n", "kube-system", "--", "sh", "-c", "echo hello", version=version)
    assert r.rc == 0 and r.out == "hello\n", r


def test_service_account_token(cluster):
    ok(cluster.kubectl("create", "serviceaccount", "robot"))
    token = ok(cluster.kubectl("create", "token", "robot")).out.strip()
    assert token.count(".") == 2
    code, body = cluster.curl("/api/v1/namespaces/default/pods", cert=False, token=token)
    assert code == 403 and "system:serviceaccount:default:robot" in json.loads(body)["message"], body
    ok(cluster.kubectl("create", "rolebinding", "robot-view", "--clusterrole=view", "--serviceaccount=default:robot"))
    wait_for(lambda: cluster.curl("/api/v1/namespaces/default/pods", cert=False, token=token)[0] == 200, what="SA grant")


def test_python_kubernetes_client(cluster):
    kubernetes = pytest.importorskip("kubernetes")
    from kubernetes import client, config, watch
    from kubernetes.client.rest import ApiException
    api = client.CoreV1Api(config.new_client_from_config(str(cluster.admin_conf)))
    names = [n.metadata.name for n in api.list_namespace().items]
    assert {"default", "kube-system"} <= set(names)
    body = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="py1", labels={"from": "python"}), data={"k": "v"})
    created = api.create_namespaced_config_map("default", body)
    assert created.metadata.uid
    with pytest.raises(ApiException) as e:
        api.create_namespaced_config_map("default", body)
    assert e.value.status == 409
    stale = api.read_namespaced_config_map("py1", "default")
    api.patch_namespaced_config_map("py1", "default", {"data": {"k": "v2"}})
    stale.data = {"k": "stale"}
    with pytest.raises(ApiException) as e:
        api.replace_namespaced_config_map("py1", "default", stale)
    assert e.value.status == 409
    w = watch.Watch()
    events = []
    rv = api.list_namespaced_config_map("default").metadata.resource_version

    def change():
        time.sleep(0.5)
        api.delete_namespaced_config_map("py1", "default")
    threading.Thread(target=change, daemon=True).start()
    for ev in w.stream(api.list_namespaced_config_map, "default", resource_version=rv, timeout_seconds=10):
        events.append((ev["type"], ev["object"].metadata.name))
        if ev["type"] == "DELETED":
            w.stop()
    assert ("DELETED", "py1") in events
    page = api.list_namespaced_pod("kube-system", limit=2)
    assert len(page.items) == 2 and page.metadata._continue
    rest = api.list_namespaced_pod("kube-system", limit=100, _continue=page.metadata._continue)
    assert len(rest.items) >= 2


def test_against_real_etcd(tmp_path, sut_ready):
    if h.etcd35_bin("etcd") is None:
        pytest.skip("etcd 3.5.1 not installed")
    c = Cluster(tmp_path, etcd_kind="real")
    try:
        c.start()
        ns = ok(c.kubectl("get", "ns")).out
        assert "kube-system" in ns
        ok(c.kubectl("create", "configmap", "on-real-etcd", "--from-literal=a=1"))
        assert "/registry/configmaps/default/on-real-etcd" in ok(c.etcdctl("get", "/registry/configmaps/", "--prefix", "--keys-only")).out
        wait_for(lambda: "etcd-" + c.node in c.kubectl("get", "pods", "-n", "kube-system").out, what="mirror pods")
    finally:
        c.stop()


def test_finalizers_status_deletecollection_and_expired_watch(cluster):
    kubernetes = pytest.importorskip("kubernetes")
    from kubernetes import client, config, watch
    from kubernetes.client.rest import ApiException
    api_client = config.new_client_from_config(str(cluster.admin_conf))
    core = client.CoreV1Api(api_client)
    # A finalizer holds the object: delete marks it, removing the finalizer removes it.
    core.create_namespaced_config_map("default", client.V1ConfigMap(
        metadata=client.V1ObjectMeta(name="held", finalizers=["example.com/hold"], labels={"batch": "b1"})))
    core.delete_namespaced_config_map("held", "default")
    held = core.read_namespaced_config_map("held", "default")
    assert held.metadata.deletion_timestamp is not None
    core.patch_namespaced_config_map("held", "default", {"metadata": {"finalizers": None}})
    with pytest.raises(ApiException) as e:
        core.read_namespaced_config_map("held", "default")
    assert e.value.status == 404
    # deletecollection with a label selector.
    for i in range(3):
        core.create_namespaced_config_map("default", client.V1ConfigMap(
            metadata=client.V1ObjectMeta(name="dc%d" % i, labels={"batch": "b2"})))
    core.delete_collection_namespaced_config_map("default", label_selector="batch=b2")
    assert core.list_namespaced_config_map("default", label_selector="batch=b2").items == []
    # The status subresource: the main resource ignores status, /status changes only status.
    ok(cluster.kubectl("create", "deployment", "st", "--image=nginx"))
    ok(cluster.kubectl("patch", "deploy", "st", "--subresource=status", "--type=merge", "-p", '{"status":{"observedGeneration":7}}'))
    ok(cluster.kubectl("patch", "deploy", "st", "--type=merge", "-p", '{"status":{"observedGeneration":9}}'))
    assert ok(cluster.kubectl("get", "deploy", "st", "-o", "jsonpath={.status.observedGeneration}")).out == "7"
    # A watch from a compacted resourceVersion ends with 410 Expired.
    rv = int(core.list_namespaced_config_map("default").metadata.resource_version)
    core.create_namespaced_config_map("default", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="bump")))
    ok(cluster.etcdctl("compact", str(rv + 1)))
    with pytest.raises(ApiException) as e:
        for _ in watch.Watch().stream(core.list_namespaced_config_map, "default", resource_version=str(rv - 1), timeout_seconds=5):
            pass
    assert e.value.status == 410
