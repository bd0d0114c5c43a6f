"""Workloads come alive (issue 13): `ketch up --nodes 3` runs the controller manager, the
scheduler and simulated kubelets, and kubectl's everyday workflows complete against it, with
kubectl 1.33 and 1.27 and the Python client."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import pytest

import e2e_harness as h
from kube_cluster import kubectl_path
from up_cluster import UpCluster

WORKERS = 3


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, sut_ready):
    if kubectl_path() is None:
        pytest.skip("kubectl not found")
    c = UpCluster(tmp_path_factory.mktemp("workloads") / "state", WORKERS, "--node-cpu", "8", "--node-memory", "16Gi")
    try:
        c.wait_ready()
        yield c
    finally:
        c.stop()


def ok(r: h.Result) -> h.Result:
    assert r.rc == 0, "rc=%d\nstdout: %s\nstderr: %s" % (r.rc, r.out, r.err)
    return r


def get(cluster, *args, version=None):
    return json.loads(ok(cluster.kubectl("get", *args, "-o", "json", version=version)).out)


def wait_for(check, what, timeout=60.0, interval=0.25):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError("timed out after %ss waiting for %s (last: %r)" % (timeout, what, last))


def pods(cluster, selector, namespace="default"):
    return get(cluster, "pods", "-n", namespace, "-l", selector)["items"]


def running(pod):
    return pod["status"].get("phase") == "Running" and any(
        c["type"] == "Ready" and c["status"] == "True" for c in pod["status"].get("conditions", []))


def test_nodes_registered(cluster):
    nodes = get(cluster, "nodes")["items"]
    names = sorted(n["metadata"]["name"] for n in nodes)
    assert names == sorted([cluster.node] + ["%s-worker%s" % (cluster.node, "" if i == 1 else i) for i in range(1, WORKERS + 1)])
    for n in nodes:
        ready = [c for c in n["status"]["conditions"] if c["type"] == "Ready"][0]
        assert ready["status"] == "True", n
        if n["metadata"]["name"] != cluster.node:
            # Workers have the capacity `ketch up --node-cpu/--node-memory` gave them.
            assert n["status"]["capacity"]["cpu"] == "8", n["status"]["capacity"]
            assert n["status"]["capacity"]["memory"] == "16Gi", n["status"]["capacity"]
    # Every node gets a podCIDR from the pod network, as node-ipam hands them out.
    wait_for(lambda: all(n["spec"].get("podCIDR") for n in get(cluster, "nodes")["items"]), "podCIDRs")
    # The mirror pods tell the truth: the controller manager and scheduler really run.
    lease = get(cluster, "lease", "-n", "kube-system", "kube-controller-manager")
    assert lease["spec"]["holderIdentity"]
    lease = get(cluster, "lease", "-n", "kube-system", "kube-scheduler")
    assert lease["spec"]["holderIdentity"]


@pytest.mark.parametrize("version", ["1.33", "1.27"])
def test_deployment_rollout_scale_image_undo_delete(cluster, version):
    if kubectl_path(version) is None:
        pytest.skip("kubectl.%s not found" % version)
    name = "web" + version.replace(".", "")
    k = lambda *a, **kw: cluster.kubectl(*a, version=version, **kw)  # noqa: E731
    ok(k("create", "deployment", name, "--image=nginx", "--replicas=3"))
    ok(k("rollout", "status", "deploy/" + name, "--timeout=60s"))
    ps = pods(cluster, "app=" + name)
    assert len(ps) == 3 and all(running(p) for p in ps), ps
    assert all(p["status"].get("podIP") and p["spec"].get("nodeName") for p in ps)
    assert len({p["status"]["podIP"] for p in ps}) == 3
    # A worker node's pods get their IPs from its podCIDR.

    ok(k("scale", "deploy/" + name, "--replicas=5"))
    ok(k("rollout", "status", "deploy/" + name, "--timeout=60s"))
    assert len([p for p in pods(cluster, "app=" + name) if running(p)]) == 5

    ok(k("set", "image", "deploy/" + name, "nginx=nginx:1.27"))
    ok(k("rollout", "status", "deploy/" + name, "--timeout=90s"))
    rs = get(cluster, "rs", "-l", "app=" + name)["items"]
    assert len(rs) == 2, [r["metadata"]["name"] for r in rs]
    revisions = sorted(r["metadata"]["annotations"]["deployment.kubernetes.io/revision"] for r in rs)
    assert revisions == ["1", "2"]
    history = ok(k("rollout", "history", "deploy/" + name)).out
    assert "1 " in history and "2 " in history, history
    images = {p["spec"]["containers"][0]["image"] for p in pods(cluster, "app=" + name) if running(p)}
    assert images == {"nginx:1.27"}

    ok(k("rollout", "undo", "deploy/" + name))
    ok(k("rollout", "status", "deploy/" + name, "--timeout=90s"))
    d = get(cluster, "deploy", name)
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx"
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"
    conditions = {c["type"]: c for c in d["status"]["conditions"]}
    assert conditions["Available"]["status"] == "True"
    assert conditions["Progressing"]["reason"] == "NewReplicaSetAvailable"
    assert d["status"]["observedGeneration"] == d["metadata"]["generation"]

    ok(k("delete", "deploy", name))
    wait_for(lambda: not pods(cluster, "app=" + name) and not get(cluster, "rs", "-l", "app=" + name)["items"],
             "pods and ReplicaSets of a deleted Deployment to go")


def test_run_then_wait_ready_and_describe(cluster):
    ok(cluster.kubectl("run", "p1", "--image=busybox", "--", "sleep", "3600"))
    ok(cluster.kubectl("wait", "--for=condition=Ready", "pod/p1", "--timeout=60s"))
    pod = get(cluster, "pod", "p1")
    status = pod["status"]
    assert status["phase"] == "Running" and status["podIP"] and status["hostIP"] and status["startTime"]
    types = {c["type"]: c["status"] for c in status["conditions"]}
    for t in ["PodScheduled", "Initialized", "ContainersReady", "Ready"]:
        assert types.get(t) == "True", types
    cs = status["containerStatuses"][0]
    assert cs["ready"] and cs["started"] and cs["restartCount"] == 0
    assert cs["containerID"].startswith("containerd://") and cs["imageID"] and "running" in cs["state"]
    out = ok(cluster.kubectl("get", "pods", "p1")).out
    assert "Running" in out.splitlines()[1], out
    describe = ok(cluster.kubectl("describe", "pod", "p1")).out
    for reason in ["Scheduled", "Pulling", "Pulled", "Created", "Started"]:
        assert reason in describe, describe
    ok(cluster.kubectl("delete", "pod", "p1", "--wait=true", "--timeout=60s"))
    assert cluster.kubectl("get", "pod", "p1").rc != 0


def test_job_completes(cluster):
    ok(cluster.kubectl("create", "job", "j1", "--image=busybox", "--", "true"))
    ok(cluster.kubectl("wait", "--for=condition=complete", "job/j1", "--timeout=60s"))
    job = get(cluster, "job", "j1")
    assert job["status"]["succeeded"] == 1 and job["status"].get("completionTime"), job["status"]
    ps = get(cluster, "pods", "-l", "job-name=j1")["items"]
    assert ps and all(p["status"]["phase"] == "Succeeded" for p in ps)


def test_job_failure_injection_hits_backoff_limit(cluster):
    job = {
        "apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "jfail"},
        "spec": {"backoffLimit": 1, "template": {
            "metadata": {"annotations": {"ketch.dev/simulated-exit-code": "1"}},
            "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}},
    }
    ok(cluster.kubectl("apply", "-f", "-", stdin=json.dumps(job)))
    ok(cluster.kubectl("wait", "--for=condition=failed", "job/jfail", "--timeout=90s"))
    j = get(cluster, "job", "jfail")
    failed = [c for c in j["status"]["conditions"] if c["type"] == "Failed"][0]
    assert failed["reason"] == "BackoffLimitExceeded", failed
    assert j["status"]["failed"] == 2


def test_daemonset_one_pod_per_worker(cluster):
    ds = {
        "apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent"},
        "spec": {"selector": {"matchLabels": {"app": "agent"}},
                 "template": {"metadata": {"labels": {"app": "agent"}},
                              "spec": {"containers": [{"name": "a", "image": "busybox"}]}}},
    }
    ok(cluster.kubectl("apply", "-f", "-", stdin=json.dumps(ds)))
    wait_for(lambda: get(cluster, "ds", "agent")["status"].get("numberReady") == WORKERS, "DaemonSet ready on workers")
    ps = pods(cluster, "app=agent")
    assert sorted(p["spec"]["nodeName"] for p in ps) == sorted(
        "%s-worker%s" % (cluster.node, "" if i == 1 else i) for i in range(1, WORKERS + 1))
    ok(cluster.kubectl("delete", "ds", "agent"))


def test_statefulset_ordinals_in_order_with_claims(cluster):
    sts = {
        "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
        "spec": {"serviceName": "db", "replicas": 3, "selector": {"matchLabels": {"app": "db"}},
                 "template": {"metadata": {"labels": {"app": "db"}},
                              "spec": {"containers": [{"name": "db", "image": "postgres"}]}},
                 "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {
                     "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]},
    }
    ok(cluster.kubectl("apply", "-f", "-", stdin=json.dumps(sts)))
    ok(cluster.kubectl("rollout", "status", "sts/db", "--timeout=90s"))
    ps = sorted(pods(cluster, "app=db"), key=lambda p: p["metadata"]["name"])
    assert [p["metadata"]["name"] for p in ps] == ["db-0", "db-1", "db-2"]
    # OrderedReady: each ordinal is created only after the previous one is Ready.
    created = [p["metadata"]["creationTimestamp"] for p in ps]
    assert created == sorted(created), created
    claims = get(cluster, "pvc", "-l", "app=db")["items"]
    assert sorted(c["metadata"]["name"] for c in claims) == ["data-db-0", "data-db-1", "data-db-2"]
    assert all(c["status"]["phase"] == "Bound" for c in claims), claims


def test_service_endpoints_and_slices(cluster):
    ok(cluster.kubectl("create", "deployment", "echo", "--image=nginx", "--replicas=2", "--port=80"))
    ok(cluster.kubectl("expose", "deployment", "echo", "--port=8080", "--target-port=80"))
    ok(cluster.kubectl("rollout", "status", "deploy/echo", "--timeout=60s"))
    ips = sorted(p["status"]["podIP"] for p in pods(cluster, "app=echo"))

    def endpoint_ips():
        ep = get(cluster, "endpoints", "echo")
        return sorted(a["ip"] for s in ep.get("subsets", []) for a in s.get("addresses", []))
    wait_for(lambda: endpoint_ips() == ips, "Endpoints to list the ready pod IPs")
    ep = get(cluster, "endpoints", "echo")
    assert ep["subsets"][0]["ports"][0]["port"] == 80

    def slice_ips():
        slices = get(cluster, "endpointslices", "-l", "kubernetes.io/service-name=echo")["items"]
        return sorted(a for s in slices for e in s.get("endpoints") or [] for a in e["addresses"])
    wait_for(lambda: slice_ips() == ips, "EndpointSlices to list the ready pod IPs")
    ok(cluster.kubectl("scale", "deploy/echo", "--replicas=3"))
    ok(cluster.kubectl("rollout", "status", "deploy/echo", "--timeout=60s"))
    wait_for(lambda: len(endpoint_ips()) == 3 and len(slice_ips()) == 3, "endpoints to follow a scale-up")
    ok(cluster.kubectl("delete", "svc,deploy", "echo"))


def test_namespace_deletion_empties_it(cluster):
    ok(cluster.kubectl("create", "namespace", "doomed"))
    wait_for(lambda: cluster.kubectl("get", "sa", "default", "-n", "doomed").rc == 0, "default ServiceAccount")
    wait_for(lambda: cluster.kubectl("get", "cm", "kube-root-ca.crt", "-n", "doomed").rc == 0, "kube-root-ca.crt")
    ok(cluster.kubectl("create", "deployment", "d", "--image=nginx", "--replicas=2", "-n", "doomed"))
    ok(cluster.kubectl("rollout", "status", "deploy/d", "-n", "doomed", "--timeout=60s"))
    ok(cluster.kubectl("delete", "namespace", "doomed", "--timeout=90s"))
    assert cluster.kubectl("get", "namespace", "doomed").rc != 0
    assert not pods(cluster, "app=d", namespace="doomed")


def test_foreground_and_orphan_deletion(cluster):
    for name in ["fg", "orph"]:
        ok(cluster.kubectl("create", "deployment", name, "--image=nginx", "--replicas=2"))
        ok(cluster.kubectl("rollout", "status", "deploy/" + name, "--timeout=60s"))
    ok(cluster.kubectl("delete", "deployment", "fg", "--cascade=foreground", "--timeout=90s"))
    assert cluster.kubectl("get", "deploy", "fg").rc != 0
    assert not get(cluster, "rs", "-l", "app=fg")["items"] and not pods(cluster, "app=fg")

    ok(cluster.kubectl("delete", "deployment", "orph", "--cascade=orphan", "--timeout=90s"))
    wait_for(lambda: cluster.kubectl("get", "deploy", "orph").rc != 0, "orphaning delete to finish")
    rs = get(cluster, "rs", "-l", "app=orph")["items"]
    assert len(rs) == 1 and not rs[0]["metadata"].get("ownerReferences"), rs
    assert len(pods(cluster, "app=orph")) == 2
    ok(cluster.kubectl("delete", "rs", "-l", "app=orph"))


def test_unschedulable_pod_reports_failed_scheduling(cluster):
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "nowhere"},
           "spec": {"nodeSelector": {"disk": "ssd"}, "containers": [{"name": "c", "image": "busybox"}]}}
    ok(cluster.kubectl("apply", "-f", "-", stdin=json.dumps(pod)))

    def failed():
        events = get(cluster, "events", "--field-selector", "involvedObject.name=nowhere")["items"]
        return [e for e in events if e["reason"] == "FailedScheduling"]
    events = wait_for(failed, "FailedScheduling event")
    total = WORKERS + 1
    assert events[0]["message"].startswith("0/%d nodes are available:" % total), events[0]["message"]
    assert "node(s) didn't match Pod's node affinity/selector" in events[0]["message"]
    p = get(cluster, "pod", "nowhere")
    assert p["status"]["phase"] == "Pending" and not p["spec"].get("nodeName")
    cond = [c for c in p["status"]["conditions"] if c["type"] == "PodScheduled"][0]
    assert cond["status"] == "False" and cond["reason"] == "Unschedulable"
    # Labelling a node makes it fit; the scheduler notices without a restart.
    ok(cluster.kubectl("label", "node", "%s-worker" % cluster.node, "disk=ssd"))
    ok(cluster.kubectl("wait", "--for=condition=Ready", "pod/nowhere", "--timeout=60s"))
    assert get(cluster, "pod", "nowhere")["spec"]["nodeName"] == "%s-worker" % cluster.node
    ok(cluster.kubectl("delete", "pod", "nowhere", "--timeout=60s"))


def test_python_client_sees_a_deployment_come_alive(cluster):
    kubernetes = pytest.importorskip("kubernetes")
    api_client = kubernetes.config.new_client_from_config(config_file=str(cluster.admin_conf))
    apps = kubernetes.client.AppsV1Api(api_client)
    body = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "py"},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "py"}},
                     "template": {"metadata": {"labels": {"app": "py"}},
                                  "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}
    apps.create_namespaced_deployment("default", body)

    def available():
        d = apps.read_namespaced_deployment_status("py", "default")
        return d.status.available_replicas == 2 and d.status.updated_replicas == 2
    wait_for(available, "Deployment py available (Python client)")
    apps.delete_namespaced_deployment("py", "default", propagation_policy="Foreground")
    wait_for(lambda: not pods(cluster, "app=py"), "pods of py to go")


def test_second_controller_manager_waits_for_the_lease(cluster, tmp_path):
    manifest = cluster.state / "kubernetes/manifests/kube-controller-manager.yaml"
    import yaml
    command = yaml.safe_load(manifest.read_text())["spec"]["containers"][0]["command"]
    port = h.free_ports(1)[0]
    flags = [f for f in command[1:] if not f.startswith("--secure-port")] + ["--secure-port=%d" % port]
    log = open(tmp_path / "cm2.log", "w")
    second = subprocess.Popen([os.environ["KETCH_BIN"], "controller-manager", *flags], stdout=log, stderr=log,
                              start_new_session=True)
    try:
        holder = get(cluster, "lease", "-n", "kube-system", "kube-controller-manager")["spec"]["holderIdentity"]
        wait_for(lambda: "attempting to acquire leader lease" in (tmp_path / "cm2.log").read_text(), "second candidate")
        time.sleep(5)
        assert second.poll() is None, (tmp_path / "cm2.log").read_text()
        assert get(cluster, "lease", "-n", "kube-system", "kube-controller-manager")["spec"]["holderIdentity"] == holder
        assert "successfully acquired lease" not in (tmp_path / "cm2.log").read_text()
    finally:
        os.killpg(second.pid, signal.SIGKILL)
        second.wait()


def test_kill9_controller_manager_mid_rollout_finishes_without_duplicates(cluster):
    ok(cluster.kubectl("create", "deployment", "crash", "--image=nginx", "--replicas=6"))
    ok(cluster.kubectl("rollout", "status", "deploy/crash", "--timeout=60s"))
    ok(cluster.kubectl("set", "image", "deploy/crash", "nginx=nginx:1.27"))
    pid = cluster.component_pid("controller-manager")
    assert pid, cluster.output
    os.kill(pid, signal.SIGKILL)
    # ketch up restarts it; the new one waits for the old lease to expire, then finishes.
    ok(cluster.kubectl("rollout", "status", "deploy/crash", "--timeout=120s", timeout=150))
    rs = get(cluster, "rs", "-l", "app=crash")["items"]
    assert len(rs) == 2, [r["metadata"]["name"] for r in rs]
    live = [p for p in pods(cluster, "app=crash") if not p["metadata"].get("deletionTimestamp")]
    wait_for(lambda: len([p for p in pods(cluster, "app=crash") if not p["metadata"].get("deletionTimestamp")]) == 6,
             "exactly 6 pods after the rollout")
    assert {p["spec"]["containers"][0]["image"] for p in live} <= {"nginx:1.27", "nginx"}
    ok(cluster.kubectl("delete", "deploy", "crash"))


def test_cronjob_creates_jobs(cluster):
    ok(cluster.kubectl("create", "cronjob", "tick", "--image=busybox", "--schedule=*/1 * * * *", "--", "true"))

    def jobs():
        items = get(cluster, "jobs")["items"]
        return [j for j in items if any(o.get("kind") == "CronJob" and o.get("name") == "tick"
                                        for o in j["metadata"].get("ownerReferences", []))]
    made = wait_for(jobs, "a Job from the CronJob", timeout=75, interval=1)
    assert made[0]["metadata"]["name"].startswith("tick-")
    ok(cluster.kubectl("wait", "--for=condition=complete", "job/" + made[0]["metadata"]["name"], "--timeout=60s"))
    cj = get(cluster, "cronjob", "tick")
    assert cj["status"].get("lastScheduleTime")
    ok(cluster.kubectl("delete", "cronjob", "tick"))


def test_controllers_survive_etcd_and_apiserver_restarts(cluster):
    """Controllers are clients: when etcd and then the apiserver die and `ketch up` restarts them,
    the same controller-manager and scheduler processes reconnect their watches (relisting if
    their version was lost) and keep working."""
    cm, sched = cluster.component_pid("controller-manager"), cluster.component_pid("scheduler")
    assert cm and sched, cluster.output
    for component in ("etcd", "apiserver"):
        pid = cluster.component_pid(component)
        assert pid, cluster.output
        os.kill(pid, signal.SIGKILL)
        wait_for(lambda: cluster.component_pid(component) not in (None, pid), "%s restarted" % component, timeout=60)
        wait_for(lambda: cluster.kubectl("get", "--raw", "/readyz").rc == 0, "apiserver ready", timeout=60)
    ok(cluster.kubectl("create", "deployment", "survivor", "--image=nginx", "--replicas=3"))
    ok(cluster.kubectl("rollout", "status", "deploy/survivor", "--timeout=60s", timeout=90))
    assert wait_for(lambda: len([p for p in pods(cluster, "app=survivor") if running(p)]) == 3, "3 pods running")
    # Neither client component was restarted: they recovered on their own.
    assert cluster.component_pid("controller-manager") == cm
    assert cluster.component_pid("scheduler") == sched
    ok(cluster.kubectl("delete", "deploy", "survivor"))
    wait_for(lambda: not pods(cluster, "app=survivor"), "pods of survivor to go")
