import Foundation
import Synchronization

/// What each simulated node keeps beside its pods: the images already pulled there (so
/// `IfNotPresent` pulls once per node) and an event recorder reporting as `kubelet` on that
/// node, as each real node's kubelet is its own event source (`source.host`).
final class SimulatedKubeletNodeState: Sendable {
    private struct Node {
        var images: Set<String> = []
        var recorder: EventRecorder?
    }

    private let nodes = Mutex<[String: Node]>([:])
    private let context: ControllerContext

    /// Per-node state whose recorders write through `context`'s client, as its component.
    init(context: ControllerContext) {
        self.context = context
    }

    /// The images pulled on `node`.
    func images(on node: String) -> Set<String> {
        nodes.withLock { $0[node]?.images ?? [] }
    }

    /// Records that `images` were pulled on `node`.
    func pulled(_ images: [String], on node: String) {
        guard !images.isEmpty else { return }
        nodes.withLock { $0[node, default: Node()].images.formUnion(images) }
    }

    /// The recorder for events from the kubelet of `node`.
    func recorder(for node: String) -> EventRecorder {
        return nodes.withLock { all in
            if let recorder = all[node]?.recorder { return recorder }
            let clock: @Sendable () -> Date = { [context] in context.now() }
            let made = EventRecorder(api: context.api, component: context.options.component, host: node,
                                     logger: context.logger, clock: clock, rateLimit: .kubelet)
            all[node, default: Node()].recorder = made
            return made
        }
    }

    /// Forgets a node that is gone.
    func forget(_ node: String) {
        nodes.withLock { $0[node] = nil }
    }
}
