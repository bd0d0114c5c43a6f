import Foundation
import Hummingbird
import KubeCore
import Logging

/// The verbs on API objects: get, list, create, update, patch, delete, deletecollection, and
/// the status and scale subresources, one file per verb family (`+Read`, `+Write`, `+Patch`,
/// `+Delete`). Watches go to ``WatchHandler``.
struct ResourceHandler: Sendable {
    let store: RegistryObjectStore
    let registry: ResourceRegistry
    let services: ServiceIPAllocator
    let logger: Logger

    /// Serves one resource request whose type has been resolved; `info` and `query` are the
    /// ones the authentication middleware parsed.
    func handle(_ request: Request, info: RequestInfo, type: ResourceType, query: RequestQuery, body: [UInt8]) async throws -> Response {
        let shape = ResponseShape(accept: request.headers[.accept], includeObject: query["includeObject"])
        if let sub = info.subresource, !["status", "scale", "finalize"].contains(sub) {
            throw KubeStatus.pathNotFound(info.path)
        }
        if let sub = info.subresource, !type.subresources.contains(sub) {
            throw KubeStatus.pathNotFound(info.path)
        }
        // A Namespace's finalize subresource serves PUT only.
        if info.subresource == "finalize", info.verb != "update" {
            throw KubeStatus.methodNotAllowed(info.verb, type)
        }
        for dryRun in query.values("dryRun") where dryRun != "All" {
            throw KubeStatus.badRequest("dryRun: Unsupported value: \"\(dryRun)\": supported values: \"All\"")
        }
        if let limit = query["limit"], !limit.isEmpty, Int(limit) == nil {
            throw KubeStatus.badRequest("limit: Invalid value: \"\(limit)\": must be an integer")
        }
        let namespace = type.namespaced ? info.namespace : nil
        if type.namespaced, namespace == nil, !["list", "watch"].contains(info.verb) {
            throw KubeStatus.pathNotFound(info.path)
        }
        // PUT or PATCH on a collection URL: kube-apiserver's 405 (the cases below need a name).
        if ["update", "patch"].contains(info.verb), info.name == nil {
            throw KubeStatus.methodNotAllowed(info.verb, type)
        }
        let contentType = request.headers[.contentType]
        switch info.verb {
        case "get":
            return try await get(type, namespace: namespace, name: info.name!, subresource: info.subresource, query: query, shape: shape)
        case "list":
            return try await list(type, namespace: namespace, query: query, shape: shape)
        case "create":
            guard info.name == nil else { throw KubeStatus.methodNotAllowed("create", type) }
            return try await create(type, namespace: namespace, query: query, body: body, contentType: contentType)
        case "update":
            return try await update(type, namespace: namespace, name: info.name!, subresource: info.subresource,
                                    query: query, body: body, contentType: contentType)
        case "patch":
            return try await patch(type, namespace: namespace, name: info.name!, subresource: info.subresource,
                                   query: query, body: body, contentType: contentType)
        case "delete":
            return try await delete(type, namespace: namespace, name: info.name!, query: query, body: body)
        case "deletecollection":
            return try await deleteCollection(type, namespace: namespace, query: query, body: body)
        default:
            throw KubeStatus.methodNotAllowed(info.verb, type)
        }
    }

    /// The stored object; 404 when there is none.
    func fetch(_ type: ResourceType, _ namespace: String?, _ name: String) async throws -> JSONValue {
        guard let object = try await store.get(type, namespace: namespace, name: name) else {
            throw KubeStatus.notFound(type, name: name)
        }
        return object
    }

    /// Built-in types take strategic merge patches; custom resources only JSON and merge patches.
    static func isBuiltin(_ type: ResourceType) -> Bool {
        BuiltinResources.all.contains { $0.group == type.group && $0.plural == type.plural }
    }

    /// 400 when a body names another apiVersion or kind than the URL.
    func checkTypeMeta(_ object: JSONValue, _ type: ResourceType) throws {
        if let apiVersion = object["apiVersion"]?.string, !apiVersion.isEmpty, apiVersion != type.apiVersion {
            throw KubeStatus.badRequest("the API version in the data (\(apiVersion)) does not match the expected API version (\(type.apiVersion))")
        }
        if let kind = object["kind"]?.string, !kind.isEmpty, kind != type.kind {
            throw KubeStatus.badRequest("the kind in the data (\(kind)) does not match the expected kind (\(type.kind))")
        }
    }

    /// The NamespaceLifecycle admission plugin on create: 404 when the namespace does not
    /// exist, 403 in the plugin's words while it is being deleted. `name` is the new object's.
    func requireNamespace(_ namespace: String, creating type: ResourceType, name: String) async throws {
        guard let ns = try await store.get(BuiltinResources.namespaces, namespace: nil, name: namespace) else {
            throw KubeStatus.notFound(BuiltinResources.namespaces, name: namespace)
        }
        if ns["status"]?["phase"]?.string == "Terminating" {
            throw KubeStatus.admissionForbidden(type, name: name, "unable to create new content in namespace \(namespace) because it is being terminated")
        }
    }

    /// CRD writes change what is served; tell the registry at once.
    func noteCatalogueChange(_ type: ResourceType, _ object: JSONValue?, key: String? = nil) {
        guard type.group == "apiextensions.k8s.io", type.kind == "CustomResourceDefinition" else { return }
        if let object {
            let name = object["metadata"]?["name"]?.string ?? ""
            registry.noteCRD(key: store.key(type, namespace: nil, name: name), object: object)
        } else if let key {
            registry.noteCRD(key: key, object: nil)
        }
    }
}
