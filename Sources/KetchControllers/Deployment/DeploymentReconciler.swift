import Foundation
import KubeClient
import KubeCore

/// kube-controller-manager's `deployment-controller`: claims the ReplicaSets a Deployment
/// selects, plans the sync (``DeploymentSync``) and carries it out.
public struct DeploymentReconciler: Reconciler {
    /// The catalogue entry.
    public static let descriptor = ControllerDescriptor("deployment-controller", aliases: ["deployment"]) { context in
        let own = context.reporting(as: "deployment-controller")
        return [ControllerLoop(name: "deployment-controller", reconciler: DeploymentReconciler(informers: own.informers), context: own)]
    }

    private let informers: InformerFactory

    /// A reconciler reading `informers`.
    public init(informers: InformerFactory) {
        self.informers = informers
    }

    public var primary: ResourceType { BuiltinResources.deployments }

    public var secondary: [SecondaryWatch] {
        let deployments = informers.informer(BuiltinResources.deployments)
        let replicaSets = informers.informer(BuiltinResources.replicaSets)
        return [
            SecondaryWatch(BuiltinResources.replicaSets) { Self.deploymentKeys(of: $0, deployments: deployments) },
            SecondaryWatch(BuiltinResources.pods) { Self.recreateDeploymentKeys(of: $0, replicaSets: replicaSets, deployments: deployments) },
        ]
    }

    public func reconcile(_ key: ObjectKey, context: ControllerContext) async throws -> ReconcileResult {
        guard let deployment = context.informer(BuiltinResources.deployments).get(key) else { return .done }
        let namespace = ObjectMetadata.namespace(deployment)
        let spec = DeploymentSpec(deployment)
        var owned: [JSONValue] = []
        var pods: [JSONValue] = []
        if !DeploymentSync.selectsEverything(spec.selector) {
            let selector: LabelSelector
            do {
                selector = try LabelSelector(json: spec.selector)
            } catch {
                throw WorkloadError("deployment \(namespace)/\(spec.name) has invalid label selector: \(error)")
            }
            let candidates = context.informer(BuiltinResources.replicaSets).list(namespace: namespace)
            let claimer = ControllerRefClaimer(api: context.api, controller: deployment, controllerType: BuiltinResources.deployments,
                                               ownedType: BuiltinResources.replicaSets)
            owned = try await claimer.claim(candidates) { selector.matches(ObjectMetadata.labels($0)) }
            // Only Recreate looks at pods (for old ones still running).
            if spec.strategy == "Recreate" {
                pods = context.informer(BuiltinResources.pods).list(namespace: namespace, matching: selector)
            }
        }
        let plan = DeploymentSync.plan(deployment: deployment, replicaSets: owned, pods: pods, now: context.now())
        var executor = DeploymentPlanExecutor(context: context, deployment: deployment)
        do {
            try await executor.run(plan)
        } catch is DeploymentPlanExecutor.NamespaceTerminating {
            return .done
        }
        if let failure = plan.failure { throw WorkloadError(failure) }
        return plan.requeueAfter.map { .requeue(after: $0) } ?? .done
    }

    /// The Deployments a ReplicaSet event concerns: its controller, or for an orphan every
    /// Deployment whose selector matches it (one of them may adopt it).
    static func deploymentKeys(of rs: JSONValue, deployments: Informer) -> [ObjectKey] {
        let namespace = ObjectMetadata.namespace(rs)
        if let ref = OwnerReferences.controllerRef(of: rs) {
            return ref.kind == "Deployment" ? [ObjectKey(namespace: namespace, name: ref.name)] : []
        }
        let labels = ObjectMetadata.labels(rs)
        guard !labels.isEmpty else { return [] }
        return deployments.list(namespace: namespace).filter { deployment in
            let selector = DeploymentSpec(deployment).selector
            guard !DeploymentSync.selectsEverything(selector), let parsed = try? LabelSelector(json: selector) else { return false }
            return parsed.matches(labels)
        }.map { ObjectKey($0) }
    }

    /// The Recreate Deployment a pod event concerns (through the pod's ReplicaSet): it waits for
    /// old pods to stop before creating new ones. Rolling Deployments follow their ReplicaSets.
    static func recreateDeploymentKeys(of pod: JSONValue, replicaSets: Informer, deployments: Informer) -> [ObjectKey] {
        let namespace = ObjectMetadata.namespace(pod)
        guard let podOwner = OwnerReferences.controllerRef(of: pod), podOwner.kind == "ReplicaSet",
              let rs = replicaSets.get(ObjectKey(namespace: namespace, name: podOwner.name)), ObjectMetadata.uid(rs) == podOwner.uid,
              let rsOwner = OwnerReferences.controllerRef(of: rs), rsOwner.kind == "Deployment" else { return [] }
        let key = ObjectKey(namespace: namespace, name: rsOwner.name)
        guard let deployment = deployments.get(key), DeploymentSpec(deployment).strategy == "Recreate" else { return [] }
        return [key]
    }
}
