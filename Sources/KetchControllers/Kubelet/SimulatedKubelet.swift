import Foundation
import KubeCore

/// The kubelet of every simulated node, as one client of the apiserver: it runs the pods bound
/// to the control-plane node it is started for (not that node's mirror pods, nor its Node and
/// Lease, which the apiserver's static-pod emulation keeps) and to every worker Node annotated
/// `ketch.dev/simulated: "true"`, whose Lease and heartbeat it keeps as well.
///
/// Pods move through ``SimulatedPodLifecycle`` on `podWorkers` workers at once, each pod at
/// most on one; addresses come from each node's podCIDR (see ``SimulatedKubeletNetworks``).
/// Events report as `context.options.component` (`kubelet`) from the pod's node.
public struct SimulatedKubelet: Runnable {
    /// The apiserver, informers and settings; `options.component` names the event source.
    public let context: ControllerContext
    /// The nodes whose pods are simulated.
    public let scope: SimulatedKubeletScope
    /// Pods reconciled at once.
    public var podWorkers = 8
    /// How often worker Leases are renewed (the kubelet's 10 s).
    public var leaseInterval: Duration = .seconds(10)
    /// How often worker Nodes post a heartbeat in their conditions.
    public var heartbeatInterval: Duration = .seconds(60)
    /// How long containers of run-to-completion pods run without the annotation.
    public var defaultRunDuration = SimulatedRun.defaultRunDuration

    /// A kubelet for `controlPlaneNode` (nil: workers only) and the simulated workers.
    public init(context: ControllerContext, controlPlaneNode: String?) {
        self.context = context
        self.scope = SimulatedKubeletScope(controlPlaneNode: controlPlaneNode)
    }

    /// Runs until the task is cancelled.
    public func run() async {
        let pods = context.informer(BuiltinResources.pods)
        let networks = SimulatedKubeletNetworks(knownPods: { pods.list() })
        let nodeState = SimulatedKubeletNodeState(context: context)
        let podLoop = ControllerLoop(
            name: "kubelet-pods",
            reconciler: SimulatedKubeletPods(context: context, scope: scope, networks: networks, nodeState: nodeState,
                                             defaultRunDuration: defaultRunDuration, workers: podWorkers),
            context: context)
        let nodeLoop = ControllerLoop(
            name: "kubelet-node-status",
            reconciler: WorkerNodeHeartbeat(context: context, nodeState: nodeState, leaseInterval: leaseInterval,
                                            heartbeatInterval: heartbeatInterval),
            context: context)
        context.logger.info("simulated kubelet started", metadata: ["controlPlaneNode": .string(scope.controlPlaneNode ?? "")])
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await podLoop.run() }
            group.addTask { await nodeLoop.run() }
            context.informers.start()
        }
        context.informers.stop()
    }
}
