import Foundation
import KubeCore
import Synchronization

/// Computes the `endpoints.kubernetes.io/last-change-trigger-time` annotation: the earliest
/// change, among the Service and its pods' readiness, not seen at the previous sync; for a
/// Service seen for the first time, its creation (endpointslice util `TriggerTimeTracker`).
final class TriggerTimeTracker: Sendable {
    /// What the previous sync of one Service saw.
    struct ServiceState: Sendable, Equatable {
        /// The Service's trigger time (its creation).
        var serviceTime: Date?
        /// Each pod's trigger time (its Ready condition's transition), by pod name.
        var podTimes: [String: Date] = [:]
    }

    private let states = Mutex([ObjectKey: ServiceState]())

    /// The trigger time for this sync of `service` over `pods` (nil: none to export); records
    /// what it saw for the next sync.
    func compute(_ service: ServiceSpec, pods: [JSONValue]) -> Date? {
        let key = ObjectKey(namespace: service.namespace, name: service.name)
        let previous = states.withLock { $0[key] }
        let (time, state) = Self.compute(previous: previous, service: service, pods: pods)
        states.withLock { $0[key] = state }
        return time
    }

    /// Forgets a deleted Service.
    func forget(namespace: String, name: String) {
        _ = states.withLock { $0.removeValue(forKey: ObjectKey(namespace: namespace, name: name)) }
    }

    /// The pure computation: the trigger time and the state to remember.
    static func compute(previous: ServiceState?, service: ServiceSpec, pods: [JSONValue]) -> (Date?, ServiceState) {
        var state = ServiceState(serviceTime: service.created)
        var earliest: Date?
        func consider(_ time: Date) { earliest = min(earliest ?? time, time) }
        for pod in pods {
            guard let text = PodReadiness.readyCondition(pod)?["lastTransitionTime"]?.string, let time = KubeTime.parse(text) else {
                continue
            }
            let name = ObjectMetadata.name(pod)
            state.podTimes[name] = time
            if let seen = previous?.podTimes[name], time <= seen { continue }
            consider(time)
        }
        if let created = service.created, previous?.serviceTime.map({ created > $0 }) ?? true { consider(created) }
        guard previous != nil else { return (service.created, state) }
        return (earliest, state)
    }
}
