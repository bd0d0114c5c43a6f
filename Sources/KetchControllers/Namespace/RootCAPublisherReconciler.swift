import KubeClient
import KubeCore

/// kube-controller-manager's `root-ca-certificate-publisher-controller`: every active namespace
/// has the ConfigMap `kube-root-ca.crt` with the cluster CA (`--root-ca-file`), which pods
/// mount through their projected service-account volume.
public struct RootCAPublisherReconciler: Reconciler {
    /// The catalogue entry.
    public static let descriptor = ControllerDescriptor.reconciler("root-ca-certificate-publisher-controller", aliases: ["root-ca-cert-publisher"]) {
        RootCAPublisherReconciler()
    }

    /// The ConfigMap's name.
    public static let configMapName = "kube-root-ca.crt"
    /// The description upstream annotates it with.
    static let description = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."

    /// Namespaces, woken by their `kube-root-ca.crt` changing or going.
    public init() {}

    public var primary: ResourceType { BuiltinResources.namespaces }
    public var secondary: [SecondaryWatch] {
        [SecondaryWatch(BuiltinResources.configMaps) { map in
            guard map["metadata"]?["name"]?.string == Self.configMapName,
                  let namespace = map["metadata"]?["namespace"]?.string else { return [] }
            return [ObjectKey(namespace: nil, name: namespace)]
        }]
    }

    /// The data and annotation the ConfigMap must carry.
    static func wanted(ca: String) -> (data: JSONValue, annotations: [String: JSONValue]) {
        (.object(["ca.crt": .string(ca)]), ["kubernetes.io/description": .string(description)])
    }

    public func reconcile(_ key: ObjectKey, context: ControllerContext) async throws -> ReconcileResult {
        guard let ca = context.options.rootCA,
              let namespace = context.informer(BuiltinResources.namespaces).get(key),
              NamespaceState.isActive(namespace) else { return .done }
        let maps = BuiltinResources.configMaps
        let (data, annotations) = Self.wanted(ca: ca)
        if var existing = context.informer(maps).get(ObjectKey(namespace: key.name, name: Self.configMapName)) {
            var meta = existing["metadata"]?.object ?? [:]
            var current = meta["annotations"]?.object ?? [:]
            guard existing["data"] != data || current.merging(annotations, uniquingKeysWith: { $1 }) != current else { return .done }
            current.merge(annotations) { $1 }
            meta["annotations"] = .object(current)
            existing["metadata"] = .object(meta)
            existing["data"] = data
            _ = try await context.api.update(maps, namespace: key.name, existing)
            return .done
        }
        let map: JSONValue = .object([
            "apiVersion": .string("v1"), "kind": .string("ConfigMap"),
            "metadata": .object(["name": .string(Self.configMapName), "namespace": .string(key.name),
                                 "annotations": .object(annotations)]),
            "data": data,
        ])
        do {
            _ = try await context.api.create(maps, namespace: key.name, map)
        } catch let status as KubeStatus where status.code == 409 || (status.code == 403 && status.message.contains("being terminated")) {
            // Made meanwhile (the next event brings it), or the namespace is going.
        }
        return .done
    }
}
