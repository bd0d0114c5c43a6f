import KubeClient
import KubeCore

/// kube-controller-manager's `serviceaccount-controller`: every active namespace has a
/// ServiceAccount named `default`.
public struct ServiceAccountReconciler: Reconciler {
    /// The catalogue entry.
    public static let descriptor = ControllerDescriptor.reconciler("serviceaccount-controller", aliases: ["serviceaccount"]) {
        ServiceAccountReconciler()
    }

    /// The accounts every namespace gets.
    static let names = ["default"]

    /// Namespaces, woken by their `default` account changing or going.
    public init() {}

    public var primary: ResourceType { BuiltinResources.namespaces }
    public var secondary: [SecondaryWatch] {
        [SecondaryWatch(BuiltinResources.serviceAccounts) { account in
            guard let name = account["metadata"]?["name"]?.string, Self.names.contains(name),
                  let namespace = account["metadata"]?["namespace"]?.string else { return [] }
            return [ObjectKey(namespace: nil, name: namespace)]
        }]
    }

    public func reconcile(_ key: ObjectKey, context: ControllerContext) async throws -> ReconcileResult {
        guard let namespace = context.informer(BuiltinResources.namespaces).get(key),
              NamespaceState.isActive(namespace) else { return .done }
        let accounts = context.informer(BuiltinResources.serviceAccounts)
        for name in Self.names where accounts.get(ObjectKey(namespace: key.name, name: name)) == nil {
            let account: JSONValue = .object([
                "apiVersion": .string("v1"), "kind": .string("ServiceAccount"),
                "metadata": .object(["name": .string(name), "namespace": .string(key.name)]),
            ])
            do {
                _ = try await context.api.create(BuiltinResources.serviceAccounts, namespace: key.name, account)
            } catch let status as KubeStatus where status.code == 409 || (status.code == 403 && status.message.contains("being terminated")) {
                // Made meanwhile, or the namespace started terminating: nothing to do.
            }
        }
        return .done
    }
}
