"""API fidelity (issue 18) against `ketch apiserver`, with kubectl 1.33 and 1.27: `kubectl explain`
reads kube-apiserver 1.33's real schemas from /openapi/v3 (and /openapi/v2 as JSON)."""

from __future__ import annotations

import json

import pytest

import e2e_harness as h
from kube_cluster import Cluster, kubectl_path, cluster_fixture, ok

pytestmark = pytest.mark.skipif(kubectl_path() is None, reason="kubectl is not installed (it comes with the image)")


cluster = cluster_fixture("fidelity")



@pytest.mark.parametrize("version", ["1.33", "1.27"])
def test_explain_nested_fields_of_built_ins(cluster, version):
    out = ok(cluster.kubectl("explain", "pods.spec.containers", version=version)).out
    assert "KIND:" in out and "Pod" in out
    assert "List of containers belonging to the pod." in out
    assert "imagePullPolicy" in out and "<string>" in out
    out = ok(cluster.kubectl("explain", "deployment.spec.strategy.rollingUpdate.maxSurge", version=version)).out
    assert "IntOrString" in out or "<string>" in out, out
    assert "The maximum number of pods that can be scheduled above the desired number" in out
    out = ok(cluster.kubectl("explain", "cronjobs.spec.jobTemplate.spec.template.spec.restartPolicy", version=version)).out
    assert "Restart policy for all containers within the pod" in out


def test_explain_recursive_and_api_version(cluster):
    out = ok(cluster.kubectl("explain", "service.spec", "--recursive")).out
    for field in ("clusterIP", "ports", "targetPort", "sessionAffinityConfig", "timeoutSeconds"):
        assert field in out, field
    out = ok(cluster.kubectl("explain", "horizontalpodautoscalers.spec", "--api-version=autoscaling/v1")).out
    assert "targetCPUUtilizationPercentage" in out
    out = ok(cluster.kubectl("explain", "horizontalpodautoscalers.spec", "--api-version=autoscaling/v2")).out
    assert "metrics" in out and "targetCPUUtilizationPercentage" not in out


def test_explain_unknown_field_is_an_error(cluster):
    r = cluster.kubectl("explain", "pods.spec.bogus")
    assert r.rc != 0 and 'field "bogus" does not exist' in r.err, r


def test_openapi_v2_json_has_the_definitions(cluster):
    code, body = cluster.curl("/openapi/v2", "GET", None)
    assert code == 200, body
    doc = json.loads(body)
    pod = doc["definitions"]["io.k8s.api.core.v1.Pod"]
    assert pod["x-kubernetes-group-version-kind"] == [{"group": "", "kind": "Pod", "version": "v1"}]
    assert pod["properties"]["spec"]["$ref"] == "#/definitions/io.k8s.api.core.v1.PodSpec"
    containers = doc["definitions"]["io.k8s.api.core.v1.PodSpec"]["properties"]["containers"]
    assert containers["x-kubernetes-patch-merge-key"] == "name" and containers["type"] == "array"
    assert "containers" in doc["definitions"]["io.k8s.api.core.v1.PodSpec"]["required"]
    port = doc["definitions"]["io.k8s.api.core.v1.ContainerPort"]["properties"]["containerPort"]
    assert port == {"description": port["description"], "format": "int32", "type": "integer"}


CRD = """
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.fidelity.example.com
spec:
  group: fidelity.example.com
  scope: Namespaced
  names: {plural: gadgets, singular: gadget, kind: Gadget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        description: A Gadget is a thing with a colour.
        properties:
          spec:
            type: object
            description: What the gadget should be.
            properties:
              color:
                type: string
                description: The colour of the gadget, by name.
              size:
                type: integer
                description: How big it is, in centimetres.
"""


@pytest.mark.parametrize("version", ["1.33", "1.27"])
def test_explain_custom_resource_fields(cluster, version):
    ok(cluster.kubectl("apply", "-f", "-", stdin=CRD))
    import time
    deadline = time.time() + 30
    while True:
        r = cluster.kubectl("explain", "gadgets.spec.color", version=version)
        if r.rc == 0 or time.time() > deadline:
            break
        time.sleep(0.5)
    out = ok(r).out
    assert "The colour of the gadget, by name." in out and "<string>" in out
    out = ok(cluster.kubectl("explain", "gadgets", "--recursive", version=version)).out
    assert "A Gadget is a thing with a colour." in out
    for field in ("apiVersion", "kind", "metadata", "spec", "color", "size"):
        assert field in out, field


def test_http2_is_offered_through_alpn_and_http11_stays(cluster):
    base = ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_version} %{http_code}", "--cacert", str(cluster.pki / "ca.crt"),
            "--cert", str(cluster.pki / "apiserver-kubelet-client.crt"), "--key", str(cluster.pki / "apiserver-kubelet-client.key")]
    url = "https://127.0.0.1:%d/api/v1/namespaces/default" % cluster.api_port
    import subprocess
    assert subprocess.run(base + ["--http2", url], capture_output=True, text=True).stdout == "2 200"
    assert subprocess.run(base + ["--http1.1", url], capture_output=True, text=True).stdout == "1.1 200"


PYTHON_CLIENT_OVER_HTTP2 = """
import sys, urllib3.http2
urllib3.http2.inject_into_urllib3()
from kubernetes import client, config
config.load_kube_config(config_file=sys.argv[1])
api = client.CoreV1Api()
names = [n.metadata.name for n in api.list_namespace().items]
raw = api.list_namespace(_preload_content=False)
print(raw.version, " ".join(sorted(names)))
"""


def test_python_client_over_http2(cluster):
    import subprocess
    import sys
    p = subprocess.run([sys.executable, "-c", PYTHON_CLIENT_OVER_HTTP2, str(cluster.admin_conf)],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    version, names = p.stdout.split(" ", 1)
    assert version == "20" and "kube-system" in names, p.stdout
