import Foundation
import KubeClient
import KubeCore
import Logging

/// kube-scheduler's default profile as a loop over the apiserver: it watches pods and nodes,
/// takes each pending pod of its scheduler name, picks a node with ``SchedulingAlgorithm``,
/// counts the pod there at once (assumed), and binds it through `pods/<name>/binding` in the
/// background. A pod nothing fits gets the FailedScheduling event and a PodScheduled=False
/// condition with kube-scheduler's message, and waits in the ``SchedulingQueue`` for a change
/// that could help.
public final class Scheduler: Sendable {
    /// The scheduler name pods select with `spec.schedulerName` (empty means this one too).
    public let schedulerName: String
    let context: ControllerContext
    let cache = SchedulerCache()
    let queue = SchedulingQueue()
    private let bindings: ConcurrencyLimit

    /// A scheduler answering to `schedulerName`, binding up to `concurrentBindings` pods at once.
    public init(context: ControllerContext, schedulerName: String = "default-scheduler", concurrentBindings: Int = 16) {
        self.context = context
        self.schedulerName = schedulerName
        self.bindings = ConcurrencyLimit(concurrentBindings)
    }

    /// Watches, waits for the caches, then schedules until the task is cancelled.
    public func run() async {
        let pods = context.informer(BuiltinResources.pods)
        let nodes = context.informer(BuiltinResources.nodes)
        nodes.addHandler { [self] event in nodeChanged(event) }
        pods.addHandler { [self] event in podChanged(event) }
        await nodes.waitForSync()
        await pods.waitForSync()
        context.logger.info("scheduler started", metadata: ["scheduler": .string(schedulerName)])
        await withDiscardingTaskGroup { group in
            while let key = await queue.pop(now: { [context] in context.now() }) {
                // An assumed pod is being bound; the informer has just not caught up yet.
                guard let pod = pods.get(key), isPending(pod), !cache.isAssumed(key) else {
                    queue.done(key, .scheduled, now: context.now())
                    continue
                }
                await scheduleOne(pod, group: &group)
            }
        }
    }

    /// Whether `pod` waits for this scheduler: no node yet, this scheduler's name, not being
    /// deleted, not finished.
    public func isPending(_ pod: JSONValue) -> Bool {
        let spec = pod["spec"]
        let name = spec?["schedulerName"]?.string ?? ""
        let phase = pod["status"]?["phase"]?.string
        return (spec?["nodeName"]?.string ?? "").isEmpty && (name.isEmpty || name == schedulerName)
            && pod["metadata"]?["deletionTimestamp"] == nil && phase != "Succeeded" && phase != "Failed"
    }

    /// One scheduling cycle; the binding or the failure report runs in `group`.
    private func scheduleOne(_ pod: JSONValue, group: inout DiscardingTaskGroup) async {
        let info = PodSchedulingInfo(pod)
        // Gated pods wait for their gates to be removed (an update brings them back).
        if !(pod["spec"]?["schedulingGates"]?.array ?? []).isEmpty {
            queue.done(info.key, .unschedulable, now: context.now())
            return
        }
        switch SchedulingAlgorithm.schedule(info, nodes: cache.snapshot(now: context.now())) {
        case .fits(let node):
            cache.assume(info, on: node)
            queue.done(info.key, .scheduled, now: context.now())
            await bindings.acquire()
            group.addTask { [self] in
                await bind(pod, to: node)
                await bindings.release()
            }
        case .unschedulable(let message):
            queue.done(info.key, .unschedulable, now: context.now())
            context.events.record(pod, type: "Warning", reason: "FailedScheduling", message: message)
            guard let patch = Self.unschedulableConditionPatch(pod, message: message, now: context.now()) else { return }
            await bindings.acquire()
            group.addTask { [self] in
                await reportUnschedulable(pod, patch: patch)
                await bindings.release()
            }
        }
    }

    // MARK: Informer events

    private func podChanged(_ event: InformerEvent) {
        let now = context.now()
        switch event {
        case .added(let pod):
            if isPending(pod) {
                if !cache.isAssumed(ObjectKey(pod)) { queue.add(ObjectKey(pod), priority: pod["spec"]?["priority"]?.int ?? 0) }
            } else {
                cache.setPod(pod)
            }
        case .updated(let old, let pod):
            let key = ObjectKey(pod)
            if isPending(pod) {
                guard !cache.isAssumed(key) else { return }
                queue.add(key, priority: pod["spec"]?["priority"]?.int ?? 0)
                if Self.schedulingInputsChanged(old, pod) {
                    queue.podUpdated(key, priority: pod["spec"]?["priority"]?.int ?? 0, now: now)
                }
            } else {
                queue.remove(key)
                if cache.setPod(pod) { queue.moveAllUnschedulable(now: now) }
            }
        case .deleted(let pod):
            let key = ObjectKey(pod)
            queue.remove(key)
            if cache.removePod(key) { queue.moveAllUnschedulable(now: now) }
        }
    }

    private func nodeChanged(_ event: InformerEvent) {
        switch event {
        case .added(let node):
            cache.setNode(node)
        case .updated(let old, let node):
            cache.setNode(node)
            guard Self.nodeSchedulingFacts(old) != Self.nodeSchedulingFacts(node) else { return }
        case .deleted(let node):
            cache.removeNode(named: node["metadata"]?["name"]?.string ?? "")
            return
        }
        queue.moveAllUnschedulable(now: context.now())
    }

    /// Whether an update of a pending pod could change where it fits: anything but its
    /// status and bookkeeping metadata (our own condition patch must not wake it again).
    static func schedulingInputsChanged(_ old: JSONValue, _ new: JSONValue) -> Bool {
        func inputs(_ pod: JSONValue) -> JSONValue {
            var copy = pod
            copy["status"] = nil
            var metadata = copy["metadata"]
            for field in ["resourceVersion", "managedFields", "generation"] { metadata?[field] = nil }
            copy["metadata"] = metadata
            return copy
        }
        return inputs(old) != inputs(new)
    }

    /// The parts of a Node that filters read: a heartbeat changes none of them.
    static func nodeSchedulingFacts(_ node: JSONValue) -> [JSONValue?] {
        let conditions = (node["status"]?["conditions"]?.array ?? []).map { [$0["type"], $0["status"]] }
        return [node["metadata"]?["labels"], node["spec"], node["status"]?["allocatable"],
                .array(conditions.map { .array($0.map { $0 ?? .null }) })]
    }
}
