import Foundation

/// Minimal `/openapi/v3` documents generated from the catalogue: enough for `kubectl explain`
/// (schemas found by `x-kubernetes-group-version-kind`) and for `kubectl apply` to learn that
/// the server validates fields and honours dryRun.
///
/// Schemas are free-form objects (apiVersion, kind, metadata, spec, status) — the shim does not
/// carry kube's real schemas. PATCH operations deliberately do not offer
/// `application/strategic-merge-patch+json`, so kubectl computes strategic merge patches from
/// its compiled-in Go types instead of these schemas, which lack merge keys.
public enum OpenAPIV3 {
    /// The discovery path of a group version: `api/v1` or `apis/<group>/<version>`.
    public static func path(group: String, version: String) -> String {
        group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
    }

    /// `GET /openapi/v3`: `{"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=…"}, …}}`.
    public static func index(_ catalogue: ResourceCatalogue) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for g in catalogue.groups {
            for v in g.versions {
                let p = path(group: g.name, version: v)
                let hash = document(catalogue, group: g.name, version: v).map(Self.hash) ?? ""
                paths[p] = .object(["serverRelativeURL": .string("/openapi/v3/\(p)?hash=\(hash)")])
            }
        }
        return .object(["paths": .object(paths)])
    }

    /// `GET /openapi/v3/<path>` for one group version; nil when it is not served.
    public static func document(_ catalogue: ResourceCatalogue, group: String, version: String) -> JSONValue? {
        let resources = catalogue.resources(group: group, version: version)
        guard !resources.isEmpty else { return nil }
        var schemas: [String: JSONValue] = [:]
        var paths: [String: JSONValue] = [:]
        for r in resources {
            schemas[schemaName(r)] = schema(r)
            let prefix = "/" + path(group: group, version: version)
            let collection = r.namespaced ? "\(prefix)/namespaces/{namespace}/\(r.plural)" : "\(prefix)/\(r.plural)"
            paths[collection + "/{name}"] = .object(["patch": patchOperation(r)])
        }
        return .object([
            "openapi": .string("3.0.0"),
            "info": .object(["title": .string("Kubernetes"), "version": .string(OpenAPIV2.kubernetesVersion)]),
            "paths": .object(paths),
            "components": .object(["schemas": .object(schemas)]),
        ])
    }

    /// kube's schema name: `io.k8s.api.<group>.<version>.<Kind>` for built-ins (`core` for the
    /// legacy group, the group's first label otherwise), reversed group for custom resources.
    public static func schemaName(_ r: ResourceType) -> String {
        if r.isCustom {
            return r.group.split(separator: ".").reversed().joined(separator: ".") + ".\(r.version).\(r.kind)"
        }
        switch r.group {
        case "": return "io.k8s.api.core.\(r.version).\(r.kind)"
        case "apiextensions.k8s.io": return "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.\(r.version).\(r.kind)"
        case "apiregistration.k8s.io": return "io.k8s.kube-aggregator.pkg.apis.apiregistration.\(r.version).\(r.kind)"
        default: return "io.k8s.api.\(r.group.split(separator: ".")[0]).\(r.version).\(r.kind)"
        }
    }

    /// A free-form object schema tagged with its group/version/kind.
    static func schema(_ r: ResourceType) -> JSONValue {
        func free(_ description: String) -> JSONValue {
            .object(["type": .string("object"), "description": .string(description), "x-kubernetes-preserve-unknown-fields": .bool(true)])
        }
        return .object([
            "type": .string("object"),
            "description": .string("\(r.kind) (\(r.apiVersion)). The schema is not published by this server; fields are not described."),
            "x-kubernetes-preserve-unknown-fields": .bool(true),
            "x-kubernetes-group-version-kind": .array([AggregatedDiscovery.gvk(r.group, r.version, r.kind)]),
            "properties": .object([
                "apiVersion": .object(["type": .string("string"), "description": .string("APIVersion defines the versioned schema of this representation of an object.")]),
                "kind": .object(["type": .string("string"), "description": .string("Kind is a string value representing the REST resource this object represents.")]),
                "metadata": free("Standard object's metadata."),
                "spec": free("Specification of the desired behavior."),
                "status": free("Most recently observed status."),
            ]),
        ])
    }

    /// The PATCH operation kubectl's query-parameter verifier looks for.
    static func patchOperation(_ r: ResourceType) -> JSONValue {
        func query(_ name: String) -> JSONValue {
            .object(["name": .string(name), "in": .string("query"), "schema": .object(["type": .string("string")])])
        }
        let body: JSONValue = .object(["schema": .object(["type": .string("object")])])
        return .object([
            "x-kubernetes-group-version-kind": AggregatedDiscovery.gvk(r.group, r.version, r.kind),
            "x-kubernetes-action": .string("patch"),
            "parameters": .array([query("dryRun"), query("fieldManager"), query("fieldValidation"), query("force")]),
            "requestBody": .object(["content": .object([
                "application/json-patch+json": body, "application/merge-patch+json": body, "application/apply-patch+yaml": body,
            ])]),
            "responses": .object(["200": .object(["description": .string("OK")])]),
        ])
    }

    /// A stable content hash for `?hash=` (64-bit FNV-1a, upper-case hex): clients only
    /// compare it to invalidate their cache.
    static func hash(_ doc: JSONValue) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in (try? doc.encoded()) ?? Data() {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return String(format: "%016llX", h)
    }
}
