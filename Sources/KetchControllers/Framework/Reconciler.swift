import KubeCore

/// One controller's logic, as controller-runtime's Reconciler: given the key of a primary
/// object, make the world match it. The loop that calls it (``ControllerLoop``) decides when:
/// on every change of the primary object, on changes of secondary objects mapped to it, and on
/// requeues.
///
/// Reconcile must be idempotent: it reads the current state from the informers and converges
/// on it, so a restart or a duplicate call never does anything twice.
public protocol Reconciler: Sendable {
    /// The resource whose keys are reconciled.
    var primary: ResourceType { get }
    /// Other resources whose changes wake primary keys (a Pod wakes its owner ReplicaSet).
    var secondary: [SecondaryWatch] { get }
    /// How many keys may be reconciled at once (upstream's `--concurrent-*-syncs`).
    var workers: Int { get }
    /// Brings the world in line with the primary object at `key` (which may be gone).
    func reconcile(_ key: ObjectKey, context: ControllerContext) async throws -> ReconcileResult
}

extension Reconciler {
    /// No secondary resources.
    public var secondary: [SecondaryWatch] { [] }
    /// Five workers, kube-controller-manager's default for most controllers.
    public var workers: Int { 5 }
}

/// A resource whose changes wake primary keys.
public struct SecondaryWatch: Sendable {
    /// The resource watched.
    public var type: ResourceType
    /// The primary keys a changed object concerns.
    public var map: @Sendable (JSONValue) -> [ObjectKey]

    /// Watches `type`, mapping each changed object through `map`.
    public init(_ type: ResourceType, map: @escaping @Sendable (JSONValue) -> [ObjectKey]) {
        self.type = type
        self.map = map
    }

    /// Watches `type`, waking the controller owner of each changed object when it is a `kind`.
    public static func owner(_ type: ResourceType, kind: String) -> SecondaryWatch {
        SecondaryWatch(type) { object in
            guard let ref = OwnerReferences.controllerRef(of: object), ref.kind == kind else { return [] }
            return [ObjectKey(namespace: object["metadata"]?["namespace"]?.string, name: ref.name)]
        }
    }
}

/// What a reconcile asks of the loop.
public enum ReconcileResult: Sendable, Equatable {
    /// Converged; wait for the next change.
    case done
    /// Look again after this long (a deadline, a schedule, a grace period).
    case requeue(after: Duration)
}
