import Foundation
import KubeCore

/// One object of the /registry seed: its etcd key and the JSON kube-apiserver would store there.
public struct RegistryObject: Sendable, Equatable {
    /// The etcd key (`/registry/…`).
    public let key: String
    /// The object, with uid and creationTimestamp.
    public let object: JSONValue

    /// Derives the key from the object's apiVersion, kind, namespace and name.
    /// - Throws: `BootstrapError.templateInvalid` for objects without those or of an unknown kind.
    public init(object: JSONValue, source: String) throws {
        func invalid(_ why: String) -> BootstrapError { .templateInvalid(path: source, reason: why) }
        guard let apiVersion = object["apiVersion"]?.string, let kind = object["kind"]?.string else {
            throw invalid("an object without apiVersion or kind")
        }
        guard let name = object["metadata"]?["name"]?.string, !name.isEmpty else {
            throw invalid("a \(kind) without metadata.name")
        }
        let group = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
        guard let resource = RegistryResource.forKind(kind, group: group) else {
            throw invalid("\(apiVersion) \(kind) \(name): no /registry resource is known for this kind")
        }
        let namespace = object["metadata"]?["namespace"]?.string
        guard resource.namespaced == (namespace != nil) else {
            throw invalid("\(kind) \(name): namespace \(namespace.map { "\"\($0)\"" } ?? "missing") does not fit a \(resource.namespaced ? "namespaced" : "cluster-scoped") kind")
        }
        self.key = resource.key(name: name, namespace: namespace)
        self.object = object
    }

    /// The stored bytes: compact JSON, sorted keys.
    public func value() throws -> Data { try object.encoded() }
}
