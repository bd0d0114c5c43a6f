import Foundation
import KubeClient
import KubeCore

/// kube-controller-manager's `replicaset-controller` and `replicationcontroller-controller`
/// (upstream's `ReplicaSetController`, which serves both): keeps as many active pods as
/// `spec.replicas`, adopting matching orphans and releasing pods that stopped matching, and
/// reports counts and failures in `status`.
public struct ReplicaSetReconciler: Reconciler {
    /// The catalogue entry of the ReplicaSet controller.
    public static let replicaSetDescriptor = descriptor(.replicaSet, name: "replicaset-controller", alias: "replicaset")
    /// The catalogue entry of the ReplicationController controller.
    public static let replicationControllerDescriptor = descriptor(.replicationController,
                                                                   name: "replicationcontroller-controller",
                                                                   alias: "replicationcontroller")

    /// ReplicaSets or ReplicationControllers.
    public let flavor: ReplicaSetFlavor
    /// The most pods created or deleted in one sync (`BurstReplicas`).
    public let burstReplicas: Int
    /// Outstanding creations and deletions per controller key.
    let expectations: ControllerExpectations
    private let informers: InformerFactory

    /// A reconciler of `flavor` reading `informers`. Its pod handler is registered at once, so
    /// it sees every pod event, the first list included, before any sync runs.
    public init(flavor: ReplicaSetFlavor, informers: InformerFactory,
                burstReplicas: Int = ReplicaSetScaling.defaultBurstReplicas,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.flavor = flavor
        self.burstReplicas = burstReplicas
        self.expectations = ControllerExpectations(clock: clock)
        self.informers = informers
        let observer = ReplicaSetPodObserver(flavor: flavor, owners: informers.informer(flavor.type), expectations: expectations)
        informers.informer(BuiltinResources.pods).addHandler { observer.observe($0) }
    }

    public var primary: ResourceType { flavor.type }

    public var secondary: [SecondaryWatch] {
        let owners = informers.informer(flavor.type)
        let flavor = flavor
        return [SecondaryWatch(BuiltinResources.pods) { pod in
            Self.ownerKeys(of: pod, flavor: flavor, owners: owners)
        }]
    }

    public func reconcile(_ key: ObjectKey, context: ControllerContext) async throws -> ReconcileResult {
        let expectationKey = key.description
        guard let object = context.informer(flavor.type).get(key) else {
            expectations.delete(expectationKey)
            return .done
        }
        let needsSync = expectations.satisfied(expectationKey)
        let namespace = ObjectMetadata.namespace(object)
        let selector = flavor.selector(of: object)
        let podInformer = context.informer(BuiltinResources.pods)
        let active = podInformer.list(namespace: namespace).filter(PodReadiness.isActive)
        let claimer = ControllerRefClaimer(api: context.api, controller: object, controllerType: flavor.type,
                                           ownedType: BuiltinResources.pods)
        let pods = try await claimer.claim(active) { selector.matches(ObjectMetadata.labels($0)) }

        var manageError: (any Error)?
        if needsSync, !ObjectMetadata.isDeleting(object) {
            // Related pods only order deletions; listing them for every sync would be waste.
            let related = pods.count > flavor.replicas(of: object) ? relatedPods(of: object, context: context) : []
            let action = ReplicaSetScaling.plan(object, pods: pods, relatedPods: related, flavor: flavor,
                                                burstReplicas: burstReplicas, now: context.now())
            manageError = await carryOut(action, for: object, key: expectationKey, context: context)
        }

        let status = ReplicaSetStatus.calculate(object, pods: pods, flavor: flavor,
                                                manageError: manageError.map(APIErrors.message), now: context.now())
        if ReplicaSetStatus.needsUpdate(object, newStatus: status) {
            try await writeStatus(status, to: object, context: context)
        }
        if let manageError { throw manageError }
        if let recheck = ReplicaSetStatus.availabilityRecheck(object, pods: pods, now: context.now()) {
            return .requeue(after: recheck)
        }
        // Creations or deletions still unseen: look again even if their events were missed.
        if !expectations.satisfied(expectationKey) { return .requeue(after: .seconds(5)) }
        return .done
    }

    /// Creates or deletes pods as `action` says, recording events and expectations as upstream's
    /// `manageReplicas`. Returns the error that stopped it, if any.
    private func carryOut(_ action: ReplicaSetScaleAction, for object: JSONValue, key: String,
                          context: ControllerContext) async -> (any Error)? {
        switch action {
        case .none:
            return nil
        case .create(let count):
            expectations.expectCreations(key, count)
            let template = object[path: ["spec", "template"]] ?? .object([:])
            let pod = PodFromTemplate.pod(template: template, owner: object, ownerType: flavor.type)
            let control = PodControl(owner: object, context: context)
            let (created, error) = await SlowStartBatch.run(count) {
                // Upstream's CreatePods refuses a template without labels: its pods would be orphans.
                if (pod[path: ["metadata", "labels"]]?.object ?? [:]).isEmpty { throw WorkloadError("unable to create pods, no labels") }
                _ = try await control.create(pod)
            }
            for _ in 0..<(count - created) { expectations.creationObserved(key) }
            return error
        case .delete(let pods):
            expectations.expectDeletions(key, podKeys: pods.map(ObjectMetadata.key))
            let expectations = expectations
            let control = PodControl(owner: object, context: context)
            return await withTaskGroup(of: (any Error)?.self) { group in
                for pod in pods {
                    group.addTask {
                        do {
                            try await control.delete(pod)
                            return nil
                        } catch {
                            expectations.deletionObserved(key, podKey: ObjectMetadata.key(pod))
                            if APIErrors.isNotFound(error) { return nil }
                            return WorkloadError("unable to delete pods: \(APIErrors.message(error))")
                        }
                    }
                }
                var first: (any Error)?
                for await error in group where first == nil { first = error }
                return first
            }
        }
    }

    /// PUT of the status, with one fresh read and retry on failure (`statusUpdateRetries`).
    private func writeStatus(_ status: JSONValue, to object: JSONValue, context: ControllerContext) async throws {
        let namespace = ObjectMetadata.namespace(object)
        do {
            _ = try await context.api.updateStatus(flavor.type, namespace: namespace, ReplicaSetStatus.applying(status, to: object))
        } catch {
            let fresh = try await context.api.get(flavor.type, namespace: namespace, name: ObjectMetadata.name(object))
            _ = try await context.api.updateStatus(flavor.type, namespace: namespace, ReplicaSetStatus.applying(status, to: fresh))
        }
    }

    /// The pods of every ReplicaSet that shares this one's controller (a Deployment's old and
    /// new ReplicaSets), each counted once.
    private func relatedPods(of object: JSONValue, context: ControllerContext) -> [JSONValue] {
        guard let owner = OwnerReferences.controllerRef(of: object) else { return [] }
        let namespace = ObjectMetadata.namespace(object)
        let siblings = context.informer(flavor.type).list(namespace: namespace).filter {
            OwnerReferences.controllerRef(of: $0)?.uid == owner.uid
        }
        let pods = context.informer(BuiltinResources.pods).list(namespace: namespace)
        var seen: Set<String> = []
        var related: [JSONValue] = []
        for sibling in siblings {
            let selector = flavor.selector(of: sibling)
            for pod in pods where selector.matches(ObjectMetadata.labels(pod)) && seen.insert(ObjectMetadata.uid(pod)).inserted {
                related.append(pod)
            }
        }
        return related
    }

    /// The keys a pod event wakes: its controller when that is one of ours, otherwise (an
    /// orphan) every controller whose selector matches it, so one of them adopts it.
    static func ownerKeys(of pod: JSONValue, flavor: ReplicaSetFlavor, owners: Informer) -> [ObjectKey] {
        let namespace = ObjectMetadata.namespace(pod)
        if let ref = OwnerReferences.controllerRef(of: pod) {
            return ref.kind == flavor.type.kind ? [ObjectKey(namespace: namespace, name: ref.name)] : []
        }
        let labels = ObjectMetadata.labels(pod)
        return owners.list(namespace: namespace).filter { flavor.selector(of: $0).matches(labels) }.map { ObjectKey($0) }
    }

    private static func descriptor(_ flavor: ReplicaSetFlavor, name: String, alias: String) -> ControllerDescriptor {
        ControllerDescriptor(name, aliases: [alias]) { context in
            let own = context.reporting(as: flavor.component)
            let reconciler = ReplicaSetReconciler(flavor: flavor, informers: context.informers, clock: { own.now() })
            return [ControllerLoop(name: name, reconciler: reconciler, context: own)]
        }
    }
}
