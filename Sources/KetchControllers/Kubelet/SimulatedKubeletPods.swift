import Foundation
import KubeClient
import KubeCore

/// The simulated kubelet's pod worker: for each pod bound to a node it owns, the next
/// ``SimulatedPodLifecycle`` step, written as the kubelet's status manager writes it (the
/// status subresource, then the events; a pod being deleted is deleted with grace period 0 and
/// its uid as precondition once its containers have stopped).
///
/// Everything it needs to go on is in the stored pod, so a restarted kubelet picks every pod
/// up where it was. A write that meets a newer version (409) is not retried with stale data:
/// the watch brings the newer pod, and the step is computed again from it.
struct SimulatedKubeletPods: Reconciler {
    let scope: SimulatedKubeletScope
    let networks: SimulatedKubeletNetworks
    let nodeState: SimulatedKubeletNodeState
    let defaultRunDuration: Duration
    let workers: Int
    private let pods: Informer
    private let nodes: Informer

    var primary: ResourceType { BuiltinResources.pods }

    /// A node that appears (or becomes simulated) wakes the pods already bound to it.
    var secondary: [SecondaryWatch] {
        [SecondaryWatch(BuiltinResources.nodes) { [scope, pods] node in
            guard scope.owns(node), let name = node["metadata"]?["name"]?.string else { return [] }
            return pods.list().filter { SimulatedKubeletScope.boundNode(of: $0) == name }.map(ObjectKey.init)
        }]
    }

    init(context: ControllerContext, scope: SimulatedKubeletScope, networks: SimulatedKubeletNetworks,
         nodeState: SimulatedKubeletNodeState, defaultRunDuration: Duration, workers: Int) {
        self.scope = scope
        self.networks = networks
        self.nodeState = nodeState
        self.defaultRunDuration = defaultRunDuration
        self.workers = workers
        self.pods = context.informer(BuiltinResources.pods)
        self.nodes = context.informer(BuiltinResources.nodes)
    }

    func reconcile(_ key: ObjectKey, context: ControllerContext) async throws -> ReconcileResult {
        guard let pod = pods.get(key) else {
            networks.release(key: key)
            return .done
        }
        guard let nodeName = SimulatedKubeletScope.boundNode(of: pod),
              let node = nodes.get(ObjectKey(namespace: nil, name: nodeName)), scope.owns(node) else { return .done }
        let uid = pod["metadata"]?["uid"]?.string ?? ""
        let phase = pod["status"]?["phase"]?.string
        let stopping = phase == "Succeeded" || phase == "Failed" || pod["metadata"]?["deletionTimestamp"] != nil

        var podIP: String?
        if pod["spec"]?["hostNetwork"]?.bool != true {
            if stopping {
                podIP = networks.heldAddress(uid) ?? pod["status"]?["podIP"]?.string
            } else if let address = networks.address(for: pod, podCIDR: SimulatedKubeletScope.podCIDR(of: node)) {
                podIP = address
            } else {
                reportNoAddress(pod, node: node)
                return .requeue(after: .seconds(10))
            }
        }

        let step = SimulatedPodLifecycle.step(pod, node: SimulatedNode(name: nodeName, hostIP: SimulatedKubeletScope.hostIP(of: node)),
                                              podIP: podIP, now: context.now(), imagesOnNode: nodeState.images(on: nodeName),
                                              defaultRunDuration: defaultRunDuration)
        if let status = step.status {
            var updated = pod
            updated["status"] = status
            do {
                _ = try await context.api.updateStatus(BuiltinResources.pods, namespace: key.namespace, updated)
            } catch let refused as KubeStatus where refused.code == 409 {
                // A newer version is on its way through the watch; look again then (or soon).
                return .requeue(after: .seconds(1))
            } catch let refused as KubeStatus where refused.code == 404 {
                networks.release(uid: uid)
                return .done
            }
        }
        nodeState.pulled(step.pulledImages, on: nodeName)
        let recorder = nodeState.recorder(for: nodeName)
        for event in step.events {
            recorder.record(pod, type: event.type, reason: event.reason, message: event.message, fieldPath: event.fieldPath)
        }
        if step.finished { networks.release(uid: uid) }
        if step.deletePod {
            try await delete(pod, key: key, uid: uid, context: context)
            return .done
        }
        guard let after = step.requeueAfter else { return .done }
        // A zero wait after a write is served by the watch event of that write; a zero wait
        // without one would only compute the same step again.
        return after > .zero ? .requeue(after: after) : .done
    }

    /// Deletes the stopped pod for good, as the status manager does once its containers are
    /// gone; a pod already gone, or replaced under the same name, is left alone.
    private func delete(_ pod: JSONValue, key: ObjectKey, uid: String, context: ControllerContext) async throws {
        do {
            try await context.api.delete(BuiltinResources.pods, namespace: key.namespace, name: key.name,
                                         options: KubeDeleteOptions(gracePeriodSeconds: 0, preconditionUID: uid))
        } catch let refused as KubeStatus where refused.code == 404 || refused.code == 409 {
            return
        }
    }

    /// The CNI plugin's failure when the node's range is used up, as the kubelet reports it;
    /// the sandbox is tried again later, when a pod may have finished.
    private func reportNoAddress(_ pod: JSONValue, node: JSONValue) {
        let name = node["metadata"]?["name"]?.string ?? ""
        let sandbox = ContainerImage.sha256Hex("sandbox/\(pod["metadata"]?["uid"]?.string ?? "")")
        let range = SimulatedKubeletNetworks.rangeSet(podCIDR: SimulatedKubeletScope.podCIDR(of: node))
        nodeState.recorder(for: name).record(
            pod, type: "Warning", reason: "FailedCreatePodSandBox",
            message: "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "
                + "\"\(sandbox)\": plugin type=\"host-local\" failed (add): failed to allocate for range 0: "
                + "no IP addresses available in range set: \(range)")
    }
}
