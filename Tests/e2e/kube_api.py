"""A small raw HTTPS client for the apiserver the e2e Cluster runs: status, headers and body of
one request, with the admin client certificate (for what curl and kubectl hide: Warning headers,
exact Status bodies)."""

from __future__ import annotations

import http.client
import json
import ssl
from typing import Optional


class KubeAPI:
    def __init__(self, cluster):
        self.cluster = cluster
        ctx = ssl.create_default_context(cafile=str(cluster.pki / "ca.crt"))
        ctx.load_cert_chain(str(cluster.pki / "apiserver-kubelet-client.crt"), str(cluster.pki / "apiserver-kubelet-client.key"))
        self.ctx = ctx
        self._plurals: dict[tuple[str, str], tuple[str, bool]] = {}

    def request(self, method: str, path: str, body=None, content_type: str = "application/json") -> tuple[int, dict, object]:
        conn = http.client.HTTPSConnection("127.0.0.1", self.cluster.api_port, context=self.ctx, timeout=30)
        headers = {"Accept": "application/json"}
        data: Optional[bytes] = None
        if body is not None:
            data = body.encode() if isinstance(body, str) else (body if isinstance(body, bytes) else json.dumps(body).encode())
            headers["Content-Type"] = content_type
        conn.request(method, path, body=data, headers=headers)
        r = conn.getresponse()
        raw = r.read()
        warnings = [v for k, v in r.getheaders() if k.lower() == "warning"]
        conn.close()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode(errors="replace")
        return r.status, {"warnings": warnings}, parsed

    def resource(self, api_version: str, kind: str) -> tuple[str, bool]:
        """(plural, namespaced) of a kind, from discovery."""
        key = (api_version, kind)
        if key not in self._plurals:
            base = "/api/v1" if api_version == "v1" else "/apis/" + api_version
            code, _, doc = self.request("GET", base)
            assert code == 200, (base, doc)
            for r in doc["resources"]:
                if r["kind"] == kind and "/" not in r["name"]:
                    self._plurals[key] = (r["name"], r["namespaced"])
                    break
            else:
                raise AssertionError("no resource for %s %s" % (api_version, kind))
        return self._plurals[key]

    def collection(self, obj: dict, namespace: str = "default") -> str:
        api_version, kind = obj["apiVersion"], obj["kind"]
        plural, namespaced = self.resource(api_version, kind)
        base = "/api/v1" if api_version == "v1" else "/apis/" + api_version
        ns = obj.get("metadata", {}).get("namespace") or namespace
        return base + ("/namespaces/%s" % ns if namespaced else "") + "/" + plural


def warning_texts(headers: dict) -> list[str]:
    """The texts of `299 - "..."` Warning headers, unquoted as Go's strconv.Unquote would."""
    out = []
    for value in headers["warnings"]:
        code, agent, quoted = value.split(" ", 2)
        out.append(json.loads(quoted))
    return out
