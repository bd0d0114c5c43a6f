import Foundation

/// `/openapi/v3` documents generated from the catalogue: for `kubectl explain` (schemas found by
/// `x-kubernetes-group-version-kind`) and for `kubectl apply` to learn that the server validates
/// fields and honours dryRun.
///
/// Built-in kinds have kube-apiserver 1.33's real schemas (``KubeOpenAPIDefinitions``), with
/// every schema they reach; kinds without one are free-form objects. PATCH operations deliberately do not offer
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
        var roots = resources.map(schemaName).filter { KubeOpenAPIDefinitions.all[$0] != nil }
        if resources.contains(where: { $0.openAPIV3Schema != nil }) { roots.append(objectMetaName) }
        for name in KubeOpenAPIDefinitions.closure(of: roots) {
            schemas[name] = builtInSchemas[name]
        }
        for r in resources {
            if schemas[schemaName(r)] == nil { schemas[schemaName(r)] = schema(r) }
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

    /// Every built-in definition in OpenAPI 3 form, converted once: `/openapi/v3` hashes every
    /// group version's document on each request for its index.
    static let builtInSchemas: [String: JSONValue] = KubeOpenAPIDefinitions.all.mapValues(v3Schema)

    /// A swagger 2.0 schema in OpenAPI 3 form, as kube-apiserver publishes it: references point
    /// into `#/components/schemas/`, and a reference with siblings (a description, a default)
    /// becomes `allOf: [{$ref}]` beside them, since OpenAPI 3.0 ignores a `$ref`'s siblings.
    static func v3Schema(_ schema: JSONValue) -> JSONValue {
        switch schema {
        case .object(var members):
            for (key, value) in members where key != "$ref" { members[key] = v3Schema(value) }
            guard let ref = members["$ref"]?.string else { return .object(members) }
            let reference: JSONValue = .object(["$ref": .string(ref.replacingOccurrences(
                of: KubeOpenAPIDefinitions.definitionsPrefix, with: "#/components/schemas/"))])
            guard members.count > 1 else { return reference }
            members["$ref"] = nil
            members["allOf"] = .array([reference])
            return .object(members)
        case .array(let items):
            return .array(items.map(v3Schema))
        default:
            return schema
        }
    }

    /// kube's name for ObjectMeta's schema, which every kind's `metadata` refers to.
    static let objectMetaName = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"

    /// A custom resource's published schema, as apiextensions-apiserver builds it: the CRD's
    /// `openAPIV3Schema` with `apiVersion`, `kind` and `metadata` (a reference to ObjectMeta)
    /// filled in, tagged with its group/version/kind.
    static func customSchema(_ r: ResourceType, declared: JSONValue) -> JSONValue {
        var schema = declared
        var properties = schema["properties"]?.object ?? [:]
        properties["apiVersion"] = .object(["type": .string("string"), "description": .string(apiVersionDescription)])
        properties["kind"] = .object(["type": .string("string"), "description": .string(kindDescription)])
        properties["metadata"] = .object([
            "allOf": .array([.object(["$ref": .string("#/components/schemas/\(objectMetaName)")])]),
            "description": .string(metadataDescription),
        ])
        schema["properties"] = .object(properties)
        if schema["type"] == nil { schema["type"] = .string("object") }
        schema["x-kubernetes-group-version-kind"] = .array([AggregatedDiscovery.gvk(r.group, r.version, r.kind)])
        return schema
    }

    static let apiVersionDescription = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources"
    static let kindDescription = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds"
    static let metadataDescription = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"

    /// A free-form object schema tagged with its group/version/kind.
    static func schema(_ r: ResourceType) -> JSONValue {
        if let declared = r.openAPIV3Schema { return customSchema(r, declared: declared) }
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
