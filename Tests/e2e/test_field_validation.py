"""Strict field validation (issue 18): `fieldValidation=Strict|Warn|Ignore`, which kubectl's
`--validate=strict|warn|false` sends, on creates, updates, patches and server-side apply, for
built-in kinds and custom resources, in JSON and YAML. The expected texts follow
kube-apiserver 1.33: `sigs.k8s.io/json`'s unknown/duplicate field errors in document order,
go-yaml's duplicate-key lines, `Warning: 299 - "..."` headers, and the 422 on `patch` for patches."""

from __future__ import annotations

import json

import pytest

import e2e_harness as h
from kube_api import KubeAPI, warning_texts
from kube_cluster import Cluster, kubectl_path, cluster_fixture

pytestmark = pytest.mark.skipif(kubectl_path() is None, reason="kubectl is not installed (it comes with the image)")

# Duplicates and unknown members at several depths, written as a user's typo-ridden manifest.
BODY_JSON = """{
  "apiVersion": "apps/v1",
  "kind": "Deployment",
  "metadata": {
    "name": "first",
    "name": "%s",
    "labels": {"app": "shop"},
    "colour": "blue"
  },
  "spec": {
    "replica": 2,
    "extra": "a",
    "extra": "b",
    "paused": false,
    "paused": true,
    "selector": {"matchLabels": {"app": "shop"}},
    "template": {
      "metadata": {"labels": {"app": "shop"}},
      "spec": {
        "containers": [{
          "name": "web",
          "image": "nginx:1.27",
          "imagePullPolicy": "Always",
          "imagePullPolicy": "IfNotPresent",
          "port": 80
        }]
      }
    }
  }
}"""

EXPECTED_JSON = [
    'duplicate field "metadata.name"',
    'unknown field "metadata.colour"',
    'unknown field "spec.replica"',
    'unknown field "spec.extra"',
    'duplicate field "spec.paused"',
    'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
    'unknown field "spec.template.spec.containers[0].port"',
]

BODY_YAML = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: %s
  colour: blue
  labels:
    app: shop
spec:
  replica: 2
  paused: false
  paused: true
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
      - name: web
        image: nginx:1.27
        port: 80
"""

EXPECTED_YAML_UNKNOWN = [
    'unknown field "metadata.colour"',
    'unknown field "spec.replica"',
    'unknown field "spec.template.spec.containers[0].port"',
]


cluster = cluster_fixture("fieldvalidation")


@pytest.fixture(scope="module")
def api(cluster):
    return KubeAPI(cluster)


DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments"


def test_strict_create_refuses_unknown_and_duplicate_fields_in_document_order(api):
    code, headers, body = api.request("POST", DEPLOYMENTS + "?fieldValidation=Strict", BODY_JSON % "strict")
    assert code == 400 and body["reason"] == "BadRequest", body
    assert body["message"] == ('Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: '
                               + ", ".join(EXPECTED_JSON))
    code, _, _ = api.request("GET", DEPLOYMENTS + "/strict")
    assert code == 404


@pytest.mark.parametrize("query", ["?fieldValidation=Warn", ""])
def test_warn_is_the_default_and_sends_one_warning_each(api, query):
    name = "warn" if query else "default"
    code, headers, body = api.request("POST", DEPLOYMENTS + query, BODY_JSON % name)
    assert code == 201, body
    assert warning_texts(headers) == EXPECTED_JSON
    assert "colour" not in body["metadata"] and "replica" not in body["spec"]
    assert body["spec"]["paused"] is True
    assert body["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"


def test_ignore_accepts_silently(api):
    code, headers, body = api.request("POST", DEPLOYMENTS + "?fieldValidation=Ignore", BODY_JSON % "ignore")
    assert code == 201 and headers["warnings"] == [], (code, headers, body)


def test_unsupported_directive_is_invalid(api):
    code, _, body = api.request("POST", DEPLOYMENTS + "?fieldValidation=Loose", BODY_JSON % "loose")
    assert code == 422, body
    assert body["message"] == ('CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loose": '
                               'supported values: "", "Ignore", "Strict", "Warn"')


def test_yaml_bodies_report_unknown_fields_in_key_order(api):
    code, headers, body = api.request("POST", DEPLOYMENTS + "?fieldValidation=Strict", BODY_YAML.replace("  paused: true\n", "")
                                      % "yamlstrict", content_type="application/yaml")
    assert code == 400, body
    assert body["message"].endswith("strict decoding error: " + ", ".join(EXPECTED_YAML_UNKNOWN)), body["message"]


def test_update_is_checked_like_create(api):
    code, _, created = api.request("POST", DEPLOYMENTS, BODY_JSON % "put")
    assert code == 201
    code, _, body = api.request("PUT", DEPLOYMENTS + "/put?fieldValidation=Strict", BODY_JSON % "put")
    assert code == 400 and body["message"].endswith(", ".join(EXPECTED_JSON)), body
    code, headers, body = api.request("PUT", DEPLOYMENTS + "/put?fieldValidation=Warn", BODY_JSON % "put")
    assert code == 200 and warning_texts(headers) == EXPECTED_JSON, (code, body)


def test_patches_report_body_duplicates_then_the_patched_objects_unknown_fields(api):
    api.request("POST", DEPLOYMENTS, BODY_JSON % "patched")
    patch = '{"spec": {"zeta": 1, "paused": true, "paused": false, "alpha": {"x": 1}}}'
    code, _, body = api.request("PATCH", DEPLOYMENTS + "/patched?fieldValidation=Strict", patch,
                                content_type="application/merge-patch+json")
    assert code == 422 and body["reason"] == "Invalid", body
    assert body["message"].startswith(' "" is invalid: patch: Invalid value: "{')
    assert body["message"].endswith('strict decoding error: duplicate field "spec.paused", unknown field "spec.alpha", '
                                    'unknown field "spec.zeta"'), body["message"]
    code, headers, body = api.request("PATCH", DEPLOYMENTS + "/patched", patch, content_type="application/strategic-merge-patch+json")
    assert code == 200 and warning_texts(headers) == ['duplicate field "spec.paused"', 'unknown field "spec.alpha"',
                                                      'unknown field "spec.zeta"'], (code, headers)
    ops = '[{"op": "add", "path": "/spec/zeta", "value": 1, "note": "x"}, {"op": "add", "path": "/a", "path": "/spec/paused", "value": false}]'
    code, _, body = api.request("PATCH", DEPLOYMENTS + "/patched?fieldValidation=Strict", ops, content_type="application/json-patch+json")
    assert code == 422, body
    assert body["message"].endswith('strict decoding error: json patch unknown field "[0].note", json patch duplicate field '
                                    '"[1].path", unknown field "spec.zeta"'), body["message"]


def test_server_side_apply_checks_duplicate_keys_and_undeclared_fields(api):
    applied = ('{\n "apiVersion": "v1",\n "kind": "ConfigMap",\n "metadata": {"name": "applied"},\n'
               ' "data": {"a": "1"},\n "data": {"b": "2"}\n}')
    path = "/api/v1/namespaces/default/configmaps/applied?fieldManager=me"
    code, _, body = api.request("PATCH", path + "&fieldValidation=Strict", applied, content_type="application/apply-patch+yaml")
    assert code == 400, body
    assert body["message"] == ('error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n'
                               '  line 6: key "data" already set in map')
    code, headers, body = api.request("PATCH", path, applied, content_type="application/apply-patch+yaml")
    assert code == 201 and warning_texts(headers) == ['line 6: key "data" already set in map'], (code, body)
    undeclared = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "applied"}, "dataa": {"x": "1"}}'
    code, _, body = api.request("PATCH", path, undeclared, content_type="application/apply-patch+yaml")
    assert code == 500, body
    assert body["message"] == ("failed to create typed patch object (default/applied; /v1, Kind=ConfigMap): "
                               ".dataa: field not declared in schema")


CRD = {
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": {"name": "kettles.strict.example.com"},
    "spec": {
        "group": "strict.example.com", "scope": "Namespaced",
        "names": {"plural": "kettles", "singular": "kettle", "kind": "Kettle"},
        "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {
            "type": "object",
            "properties": {"spec": {"type": "object", "properties": {
                "litres": {"type": "number"},
                "parts": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}},
                "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
            }}},
        }}}],
    },
}


def test_custom_resources_report_duplicates_then_unknown_fields(cluster, api):
    code, _, body = api.request("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", CRD)
    assert code == 201, body
    import time
    deadline = time.time() + 30
    while api.request("GET", "/apis/strict.example.com/v1")[0] != 200 and time.time() < deadline:
        time.sleep(0.2)
    kettle = ('{"apiVersion": "strict.example.com/v1", "kind": "Kettle", "metadata": {"name": "k", "shade": 1},'
              ' "spec": {"litres": 1, "litres": 2, "spout": true, "parts": [{"name": "lid", "hinge": 1}], "free": {"any": 1}}}')
    code, _, body = api.request("POST", "/apis/strict.example.com/v1/namespaces/default/kettles?fieldValidation=Strict", kettle)
    assert code == 400, body
    assert body["message"] == ('Kettle in version "v1" cannot be handled as a Kettle: strict decoding error: '
                               'duplicate field "spec.litres", unknown field "metadata.shade", '
                               'unknown field "spec.parts[0].hinge", unknown field "spec.spout"')


@pytest.mark.parametrize("version", ["1.33", "1.27"])
def test_kubectl_validate_flags(cluster, version):
    manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%s\ndata:\n  a: b\nbogus: 1\n" % version.replace(".", "-")
    r = cluster.kubectl("apply", "-f", "-", version=version, stdin=manifest)
    assert r.rc != 0, r
    assert 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"' in r.err, r.err
    r = cluster.kubectl("apply", "--validate=warn", "-f", "-", version=version, stdin=manifest)
    assert r.rc == 0, r
    assert 'Warning: unknown field "bogus"' in r.err, r.err
    r = cluster.kubectl("apply", "--validate=false", "-f", "-", version=version, stdin=manifest.replace("a: b", "a: c"))
    assert r.rc == 0 and "Warning" not in r.err, r
