import KubeClient
import KubeCore

/// kube-controller-manager's `ttl-after-finished-controller`: deletes a finished Job (and, by
/// background propagation, its pods) once `ttlSecondsAfterFinished` has passed.
public struct TTLAfterFinishedReconciler: Reconciler {
    /// The catalogue entry.
    public static let descriptor = ControllerDescriptor.reconciler("ttl-after-finished-controller",
                                                                   aliases: ["ttl-after-finished"]) {
        TTLAfterFinishedReconciler()
    }

    /// A reconciler.
    public init() {}

    public var primary: ResourceType { BuiltinResources.jobs }

    public func reconcile(_ key: ObjectKey, context: ControllerContext) async throws -> ReconcileResult {
        guard let cached = context.informer(BuiltinResources.jobs).get(key) else { return .done }
        if let notYet = Self.notDue(cached, context: context) { return notYet }
        // The cache may hold a TTL since changed: decide again on a fresh read, and delete only
        // that version of the Job.
        guard let fresh = try await context.fetch(BuiltinResources.jobs, key) else { return .done }
        if let notYet = Self.notDue(fresh, context: context) { return notYet }
        let options = KubeDeleteOptions(propagationPolicy: "Background",
                                        preconditionResourceVersion: fresh["metadata"]?["resourceVersion"]?.string)
        do {
            try await context.api.delete(BuiltinResources.jobs, namespace: key.namespace, name: key.name, options: options)
        } catch let status as KubeStatus where status.code == 404 {
            return .done
        }
        return .done
    }

    /// The result when `job` is not due for deletion yet; nil when it is.
    static func notDue(_ job: JSONValue, context: ControllerContext) -> ReconcileResult? {
        switch TTLAfterFinished.decide(job, now: context.now()) {
        case .ignore: .done
        case .wait(let left): .requeue(after: left)
        case .delete: nil
        }
    }
}
