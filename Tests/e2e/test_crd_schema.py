"""CRD schemas applied to custom resources (issue 18), with kubectl 1.33 against `ketch apiserver`:
defaults from the schema shown by `get -o yaml`, unknown fields pruned (and refused or warned about
with --validate=strict|warn), schema violations refused with kube-apiserver's 422 message, and
x-kubernetes-validations rules reported as not evaluated."""

from __future__ import annotations

import json
import time

import pytest

import e2e_harness as h
from kube_cluster import Cluster, cluster_fixture, kubectl_path, ok

pytestmark = pytest.mark.skipif(kubectl_path() is None, reason="kubectl is not installed (it comes with the image)")

CRD = """
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: shelves.schema.example.com
spec:
  group: schema.example.com
  scope: Namespaced
  names: {plural: shelves, singular: shelf, kind: Shelf}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-validations:
            - rule: "self.mode != 'slow' || self.replicas <= 5"
            properties:
              replicas: {type: integer, default: 1, maximum: 10}
              mode: {type: string, default: fast, enum: [fast, slow]}
              books:
                type: array
                items:
                  type: object
                  properties:
                    title: {type: string}
                    format: {type: string, default: paper}
              extra:
                type: object
                x-kubernetes-preserve-unknown-fields: true
"""


def install_crd(c: Cluster) -> None:
    ok(c.kubectl("apply", "-f", "-", stdin=CRD))
    ok(c.kubectl("wait", "--for=condition=Established", "crd/shelves.schema.example.com", "--timeout=60s"))
    deadline = time.time() + 30
    while c.kubectl("get", "shelves").rc != 0 and time.time() < deadline:
        time.sleep(0.5)


cluster = cluster_fixture("crdschema", setup=install_crd)



def shelf(name: str, spec: dict) -> str:
    return json.dumps({"apiVersion": "schema.example.com/v1", "kind": "Shelf", "metadata": {"name": name}, "spec": spec})


def test_defaults_show_in_get_yaml(cluster):
    ok(cluster.kubectl("create", "-f", "-", stdin=shelf("d1", {"books": [{"title": "a"}, {"title": "b", "format": "ebook"}]})))
    out = ok(cluster.kubectl("get", "shelf", "d1", "-o", "yaml")).out
    assert "replicas: 1" in out and "mode: fast" in out, out
    got = ok(cluster.kubectl("get", "shelf", "d1", "-o", "json")).json()["spec"]
    assert got["replicas"] == 1 and got["mode"] == "fast"
    assert [b["format"] for b in got["books"]] == ["paper", "ebook"]


def test_unknown_fields_are_pruned_and_preserved_ones_kept(cluster):
    body = shelf("p1", {"replicas": 2, "bogus": True, "books": [{"title": "a", "isbn": "x"}], "extra": {"any": {"thing": 1}}})
    r = ok(cluster.kubectl("create", "--validate=false", "-f", "-", stdin=body))
    got = ok(cluster.kubectl("get", "shelf", "p1", "-o", "json")).json()
    assert "bogus" not in got["spec"] and got["spec"]["books"] == [{"title": "a", "format": "paper"}], got
    assert got["spec"]["extra"] == {"any": {"thing": 1}}
    assert "unknown field" not in r.err


def test_unknown_fields_refused_with_validate_strict_and_warned_with_warn(cluster):
    body = shelf("s1", {"bogus": True, "books": [{"title": "a", "isbn": "x"}]})
    r = cluster.kubectl("create", "--validate=strict", "-f", "-", stdin=body)
    assert r.rc != 0, r
    assert 'unknown field "spec.bogus"' in r.err and 'unknown field "spec.books[0].isbn"' in r.err, r.err
    assert cluster.kubectl("get", "shelf", "s1").rc != 0
    r = ok(cluster.kubectl("create", "--validate=warn", "-f", "-", stdin=body))
    assert 'unknown field "spec.bogus"' in r.err, r.err


def test_schema_violations_are_refused_with_kube_messages(cluster):
    r = cluster.kubectl("create", "-f", "-", stdin=shelf("v1", {"replicas": 20}))
    assert r.rc != 0
    assert ('The Shelf "v1" is invalid: spec.replicas: Invalid value: 20: '
            'spec.replicas in body should be less than or equal to 10') in r.err, r.err
    r = cluster.kubectl("create", "-f", "-", stdin=shelf("v2", {"mode": "medium"}))
    assert r.rc != 0 and 'spec.mode: Unsupported value: "medium": supported values: "fast", "slow"' in r.err, r.err
    r = cluster.kubectl("create", "-f", "-", stdin=shelf("v3", {"replicas": "two"}))
    assert r.rc != 0
    assert 'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"' in r.err, r.err
    ok(cluster.kubectl("create", "-f", "-", stdin=shelf("v4", {"replicas": 3})))
    r = cluster.kubectl("patch", "shelf", "v4", "--type=merge", "-p", '{"spec":{"replicas":11}}')
    assert r.rc != 0 and "spec.replicas in body should be less than or equal to 10" in r.err, r.err


def test_cel_rules_are_reported_as_not_evaluated(cluster):
    r = ok(cluster.kubectl("create", "-f", "-", stdin=shelf("c1", {"replicas": 2})))
    assert 'x-kubernetes-validations rule "self.mode != \'slow\' || self.replicas <= 5" was not evaluated' in r.err, r.err
