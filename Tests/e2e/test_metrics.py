"""`kubectl top` against `ketch up` (issue 18): `ketch apiserver` serves `metrics.k8s.io/v1beta1`
as metrics-server does, with usage simulated from requests and limits (docs/metrics.md), for
kubectl 1.33 and 1.27."""

from __future__ import annotations

import json
import re
import time

import pytest

import e2e_harness as h
from kube_cluster import kubectl_path
from up_cluster import UpCluster

VERSIONS = ["1.33", "1.27"]
WORKERS = 2
APP = "metrics-web"

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: %(app)s}
spec:
  replicas: 2
  selector: {matchLabels: {app: %(app)s}}
  template:
    metadata: {labels: {app: %(app)s}}
    spec:
      containers:
      - name: web
        image: nginx
        resources:
          requests: {cpu: 200m, memory: 128Mi}
          limits: {cpu: 400m, memory: 256Mi}
      - name: log
        image: busybox
        command: [sleep, "3600"]
""" % {"app": APP}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, sut_ready):
    if kubectl_path() is None:
        pytest.skip("kubectl not found")
    c = UpCluster(tmp_path_factory.mktemp("metrics") / "state", WORKERS, "--node-cpu", "4", "--node-memory", "8Gi")
    try:
        c.wait_ready()
        ok(c.kubectl("apply", "-f", "-", stdin=DEPLOYMENT))
        ok(c.kubectl("rollout", "status", "deploy/" + APP, "--timeout=90s"))
        yield c
    finally:
        c.stop()


def ok(r: h.Result) -> h.Result:
    assert r.rc == 0, "rc=%s\nstdout: %s\nstderr: %s" % (r.rc, r.out, r.err)
    return r


def need(version):
    if kubectl_path(version) is None:
        pytest.skip("kubectl.%s not found beside kubectl" % version)


def rows(out: str) -> list[list[str]]:
    """kubectl's tab-aligned output as lists of cells, the header first."""
    return [line.split() for line in out.splitlines() if line.strip()]


def millicores(cell: str) -> int:
    assert re.fullmatch(r"\d+m", cell), cell
    return int(cell[:-1])


def mebibytes(cell: str) -> int:
    assert re.fullmatch(r"\d+Mi", cell), cell
    return int(cell[:-2])


def quantity(text: str) -> float:
    """A canonical quantity as metrics-server writes usage (`1364195n`, `5m`, `33180Ki`, `2`)."""
    m = re.fullmatch(r"(\d+)(n|u|m|k|Ki|Mi|Gi)?", text)
    assert m, text
    scale = {None: 1, "n": 1e-9, "u": 1e-6, "m": 1e-3, "k": 1e3, "Ki": 1024, "Mi": 1024 ** 2, "Gi": 1024 ** 3}
    return int(m.group(1)) * scale[m.group(2)]


def raw(cluster, path: str):
    return json.loads(ok(cluster.kubectl("get", "--raw", path)).out)


def web_pods(cluster) -> list[str]:
    out = ok(cluster.kubectl("get", "pods", "-l", "app=" + APP, "-o", "jsonpath={.items[*].metadata.name}")).out
    names = out.split()
    assert len(names) == 2, out
    return names


def test_discovery_and_apiservice(cluster):
    out = ok(cluster.kubectl("api-resources", "--api-group=metrics.k8s.io")).out
    lines = {r[0]: r for r in rows(out)[1:]}
    assert lines["nodes"][-2:] == ["false", "NodeMetrics"], out
    assert lines["pods"][-2:] == ["true", "PodMetrics"], out
    legacy = raw(cluster, "/apis/metrics.k8s.io/v1beta1")
    assert {(r["name"], r["kind"], tuple(r["verbs"]), r["singularName"]) for r in legacy["resources"]} == {
        ("nodes", "NodeMetrics", ("get", "list"), ""), ("pods", "PodMetrics", ("get", "list"), "")}
    groups = [g["name"] for g in raw(cluster, "/apis")["groups"]]
    assert groups[-1] == "metrics.k8s.io", groups
    out = ok(cluster.kubectl("get", "apiservice", "v1beta1.metrics.k8s.io")).out
    assert rows(out)[1][:3] == ["v1beta1.metrics.k8s.io", "Local", "True"], out


@pytest.mark.parametrize("version", VERSIONS)
def test_top_nodes(cluster, version):
    need(version)
    r = ok(cluster.kubectl("top", "nodes", version=version))
    table = rows(r.out)
    # kubectl 1.33 says CPU(%), older kubectl CPU%.
    percent = "(%)" if version == "1.33" else "%"
    assert table[0] == ["NAME", "CPU(cores)", "CPU" + percent, "MEMORY(bytes)", "MEMORY" + percent], r.out
    nodes = {row[0]: row for row in table[1:]}
    workers = ["%s-worker%s" % (cluster.node, "" if i == 1 else i) for i in range(1, WORKERS + 1)]
    assert set(nodes) == {cluster.node, *workers}, r.out
    for name in workers:
        _, cpu, cpu_pct, memory, memory_pct = nodes[name]
        # The system overhead alone: 50m + 1% of 4 cores, ±20%; 256Mi + 3% of 8Gi, ±5%.
        assert 70 <= millicores(cpu) <= 4000, r.out
        assert 470 <= mebibytes(memory) <= 8192, r.out
        # Percentages are kubectl's, against allocatable (4 cores, 8Gi).
        assert abs(int(cpu_pct.rstrip("%")) - millicores(cpu) / 4000 * 100) <= 1, r.out
        assert abs(int(memory_pct.rstrip("%")) - mebibytes(memory) / 8192 * 100) <= 1, r.out

    one = ok(cluster.kubectl("top", "node", workers[0], version=version))
    table = rows(one.out)
    assert len(table) == 2 and table[1][0] == workers[0], one.out

    r = cluster.kubectl("top", "node", "no-such-node", version=version)
    assert r.rc != 0 and 'Error from server (NotFound): node "no-such-node" not found' in r.err, r.err


def test_node_usage_is_its_pods_plus_overhead(cluster):
    # Both lists must come from one 15-second scrape to be comparable.
    for _ in range(5):
        nodes = raw(cluster, "/apis/metrics.k8s.io/v1beta1/nodes")
        pods = raw(cluster, "/apis/metrics.k8s.io/v1beta1/pods")
        stamps = {i["timestamp"] for i in nodes["items"] + pods["items"]}
        if len(stamps) == 1:
            break
    assert len(stamps) == 1, stamps
    assert nodes["kind"] == "NodeMetricsList" and nodes["apiVersion"] == "metrics.k8s.io/v1beta1"
    assert "resourceVersion" not in nodes["metadata"]
    placement = {p["metadata"]["name"]: p["spec"]["nodeName"]
                 for p in json.loads(ok(cluster.kubectl("get", "pods", "-A", "-o", "json")).out)["items"]}
    for item in nodes["items"]:
        assert "kind" not in item
        assert re.fullmatch(r"1[45](\.\d{1,3})?s", item["window"]), item["window"]
        assert item["metadata"]["labels"]["kubernetes.io/hostname"]
        name = item["metadata"]["name"]
        on_node = [c["usage"] for p in pods["items"] if placement.get(p["metadata"]["name"]) == name for c in p["containers"]]
        cpu = sum(quantity(u["cpu"]) for u in on_node)
        memory = sum(quantity(u["memory"]) for u in on_node)
        node_cpu, node_memory = quantity(item["usage"]["cpu"]), quantity(item["usage"]["memory"])
        # Overhead beyond the pods: 40m–60m plus 1% of the node's CPU ±20%, 243Mi+ of memory.
        assert node_cpu - cpu >= 0.04 and node_memory - memory >= 243 * 1024 ** 2, (name, item, on_node)


@pytest.mark.parametrize("version", VERSIONS)
def test_top_pods_all_namespaces(cluster, version):
    need(version)
    r = ok(cluster.kubectl("top", "pods", "-A", version=version))
    table = rows(r.out)
    assert table[0] == ["NAMESPACE", "NAME", "CPU(cores)", "MEMORY(bytes)"], r.out
    by_name = {(row[0], row[1]): row for row in table[1:]}
    assert ("kube-system", "etcd-" + cluster.node) in by_name, r.out
    for name in web_pods(cluster):
        _, _, cpu, memory = by_name[("default", name)]
        # web: 10%–90% of 200m and 45%–65% of 128Mi; log (no resources): of 5m and 16Mi.
        assert 21 <= millicores(cpu) <= 186, r.out
        assert 64 <= mebibytes(memory) <= 94, r.out

    r = ok(cluster.kubectl("top", "pods", "-l", "app=" + APP, version=version))
    table = rows(r.out)
    assert table[0] == ["NAME", "CPU(cores)", "MEMORY(bytes)"] and sorted(row[0] for row in table[1:]) == sorted(web_pods(cluster)), r.out


@pytest.mark.parametrize("version", VERSIONS)
def test_top_pod_containers(cluster, version):
    need(version)
    name = web_pods(cluster)[0]
    r = ok(cluster.kubectl("top", "pod", name, "--containers", version=version))
    table = rows(r.out)
    assert table[0] == ["POD", "NAME", "CPU(cores)", "MEMORY(bytes)"], r.out
    containers = {row[1]: row for row in table[1:]}
    assert set(containers) == {"web", "log"} and all(row[0] == name for row in table[1:]), r.out
    assert 20 <= millicores(containers["web"][2]) <= 180 and 57 <= mebibytes(containers["web"][3]) <= 84, r.out
    assert 1 <= millicores(containers["log"][2]) <= 5 and 7 <= mebibytes(containers["log"][3]) <= 11, r.out

    r = cluster.kubectl("top", "pod", "no-such-pod", version=version)
    assert r.rc != 0 and 'Error from server (NotFound): pods "no-such-pod" not found' in r.err, r.err


def test_pod_metrics_follow_requests(cluster):
    name = web_pods(cluster)[0]
    first = raw(cluster, "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/" + name)
    assert first["kind"] == "PodMetrics" and first["metadata"]["name"] == name
    assert first["metadata"]["labels"]["app"] == APP
    usage = {c["name"]: c["usage"] for c in first["containers"]}
    assert 0.1 * 0.2 - 1e-9 <= quantity(usage["web"]["cpu"]) <= 0.9 * 0.2 + 1e-9, usage
    assert 0.45 * 128 * 1024 ** 2 - 4096 <= quantity(usage["web"]["memory"]) <= 0.65 * 128 * 1024 ** 2, usage
    assert re.fullmatch(r"\d+(n|u|m)?", usage["web"]["cpu"]) and re.fullmatch(r"\d+(Ki|Mi)", usage["web"]["memory"])
    # Alive: the next scrape (15 s later) reports other numbers; the same scrape the same ones.
    again = raw(cluster, "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/" + name)
    if again["timestamp"] == first["timestamp"]:
        assert again["containers"] == first["containers"]
    deadline = time.monotonic() + 40
    while again["timestamp"] == first["timestamp"] and time.monotonic() < deadline:
        time.sleep(1)
        again = raw(cluster, "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/" + name)
    assert again["timestamp"] != first["timestamp"]
    assert again["containers"] != first["containers"]


def test_tables_selectors_and_refusals(cluster):
    out = ok(cluster.kubectl("get", "pods.metrics.k8s.io", "-l", "app=" + APP)).out
    assert rows(out)[0] == ["NAME", "CPU", "MEMORY", "WINDOW"] and len(rows(out)) == 3, out
    name = web_pods(cluster)[0]
    picked = raw(cluster, "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?fieldSelector=metadata.name%3D" + name)
    assert [i["metadata"]["name"] for i in picked["items"]] == [name]
    # metrics-server's words: kube's default field label conversion, and a storage that cannot watch.
    r = cluster.kubectl("get", "--raw", "/apis/metrics.k8s.io/v1beta1/pods?fieldSelector=spec.nodeName%3Dx")
    assert r.rc != 0 and '"spec.nodeName" is not a known field selector: only "metadata.name", "metadata.namespace"' in r.err, r.err
    r = cluster.kubectl("get", "--raw", "/apis/metrics.k8s.io/v1beta1/pods?watch=true")
    assert r.rc != 0 and 'watch is not supported on resources of kind "pods.metrics.k8s.io"' in r.err, r.err
    r = cluster.kubectl("delete", "pods.metrics.k8s.io", name)
    assert r.rc != 0, r.out


def test_view_role_can_top_pods(cluster):
    ok(cluster.kubectl("create", "rolebinding", "jane-view", "--clusterrole=view", "--user=jane", "-n", "default"))
    assert ok(cluster.kubectl("auth", "can-i", "list", "pods.metrics.k8s.io", "--as=jane", "-n", "default")).out.strip() == "yes"
    r = ok(cluster.kubectl("top", "pods", "--as=jane", "-n", "default"))
    assert len(rows(r.out)) >= 3, r.out
    r = cluster.kubectl("top", "pods", "--as=jane", "-n", "kube-system")
    assert r.rc != 0 and 'User "jane" cannot list resource "pods" in API group "metrics.k8s.io"' in r.err, r.err
    r = cluster.kubectl("top", "nodes", "--as=jane")
    assert r.rc != 0 and 'cannot list resource "nodes" in API group "metrics.k8s.io" at the cluster scope' in r.err, r.err


def test_pods_without_metrics(cluster):
    # A pod that cannot be scheduled stays Pending: metrics-server's informer never sees it.
    ok(cluster.kubectl("run", "stuck", "--image=nginx", "--labels=app=stuck",
                       "--overrides", '{"spec": {"nodeSelector": {"no-such-label": "x"}}}'))
    r = cluster.kubectl("top", "pod", "stuck")
    assert r.rc != 0 and 'Error from server (NotFound): pods "stuck" not found' in r.err, r.err
    # An empty list of a young pod: kubectl's own verdict (it checks the pods' age).
    r = cluster.kubectl("top", "pods", "-l", "app=stuck")
    assert r.rc != 0 and "error: metrics not available yet" in r.err, r.err
    ok(cluster.kubectl("delete", "pod", "stuck", "--wait=false"))
