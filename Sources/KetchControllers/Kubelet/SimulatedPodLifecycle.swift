import Foundation
import KubeCore

/// The node a simulated kubelet runs pods for.
public struct SimulatedNode: Sendable, Hashable {
    /// The Node's name.
    public var name: String
    /// Its InternalIP: the pods' `hostIP`, and `podIP` of host-network pods.
    public var hostIP: String

    /// A node.
    public init(name: String, hostIP: String) {
        self.name = name
        self.hostIP = hostIP
    }
}

/// What the simulated kubelet does next for one pod.
public struct KubeletStep: Sendable {
    /// The new `status` to write through the status subresource; nil when it is unchanged.
    public var status: JSONValue?
    /// Events to record about the pod, in order.
    public var events: [KubeletEvent] = []
    /// Look at the pod again after this long (a container's run time or back-off ends); nil
    /// when nothing changes until the pod itself does.
    public var requeueAfter: Duration?
    /// The pod is being deleted and its containers have stopped: delete it now with grace
    /// period 0 and the uid as precondition, as the kubelet's status manager does.
    public var deletePod = false
    /// The pod's containers will not run again: its address can be released.
    public var finished = false
    /// Images this step pulled onto the node (normalized references).
    public var pulledImages: [String] = []
}

/// The simulated kubelet's pod lifecycle as a pure function of the pod, its node and the time:
///
/// 1. a pod new to the node gets its sandbox: `startTime`, `hostIP`, `podIP`, the conditions,
///    and containers waiting in `ContainerCreating` (Pending);
/// 2. then its init containers run to completion and its containers start: Running, Ready
///    once every container is and every `readinessGate` condition is True;
/// 3. a pod that runs to completion (see ``SimulatedRun``) then exits: Succeeded, or Failed,
///    or with restarts and CrashLoopBackOff as its restart policy says;
/// 4. a pod being deleted has its containers stopped (`Killing`) and is then deleted.
///
/// Every call computes the whole status the kubelet would write now; callers write it when it
/// differs and call again after `requeueAfter` or when the pod changes.
public enum SimulatedPodLifecycle {
    /// The next step for `pod` on `node`. `podIP` is the address the caller's
    /// ``PodIPAllocator`` holds for the pod (ignored for host-network pods); `imagesOnNode` the
    /// normalized images already pulled there.
    public static func step(_ pod: JSONValue, node: SimulatedNode, podIP: String?, now: Date,
                            imagesOnNode: Set<String> = [],
                            defaultRunDuration: Duration = SimulatedRun.defaultRunDuration) -> KubeletStep {
        let metadata = pod["metadata"]
        let spec = pod["spec"]
        let oldStatus = pod["status"] ?? .object([:])
        let phase = oldStatus["phase"]?.string
        var step = KubeletStep()
        let terminalPhase = phase == "Succeeded" || phase == "Failed"
        let deleting = metadata?["deletionTimestamp"] != nil
        if terminalPhase || deleting {
            step.finished = true
            step.deletePod = deleting
            if terminalPhase { return step }
        }

        let uid = metadata?["uid"]?.string ?? ""
        var containers = ContainerSimulator(
            podUID: uid,
            podDescription: CrashLoopBackOff.podDescription(name: metadata?["name"]?.string ?? "",
                                                            namespace: metadata?["namespace"]?.string ?? "default", uid: uid),
            run: SimulatedRun(pod: pod, defaultRunDuration: defaultRunDuration), now: now, imagesOnNode: imagesOnNode)
        let initSpecs = spec?["initContainers"]?.array ?? []
        let appSpecs = spec?["containers"]?.array ?? []
        let oldInit = oldStatus["initContainerStatuses"]?.array ?? []
        let oldApp = oldStatus["containerStatuses"]?.array ?? []
        var initStatuses: [JSONValue]
        var appStatuses: [JSONValue]

        if deleting {
            initStatuses = zipStatuses(initSpecs, oldInit).map { container, status in
                status.map { containers.stop(container, status: $0, isInit: true) } ?? ContainerStatusJSON.waiting(container, reason: waitingReason(spec))
            }
            appStatuses = zipStatuses(appSpecs, oldApp).map { container, status in
                status.map { containers.stop(container, status: $0, isInit: false) } ?? ContainerStatusJSON.waiting(container, reason: waitingReason(spec))
            }
            // Containers that never started stay as they were; there is nothing to stop.
            guard !oldApp.isEmpty else { return step }
        } else if oldApp.isEmpty {
            // Stage 1: the sandbox is up, nothing has started.
            initStatuses = initSpecs.map { ContainerStatusJSON.waiting($0, reason: waitingReason(spec)) }
            appStatuses = appSpecs.map { ContainerStatusJSON.waiting($0, reason: waitingReason(spec)) }
            step.requeueAfter = .zero
        } else {
            // Stage 2 and on: init containers complete in order (sidecars start and keep
            // running), then the app containers start, run, exit or restart.
            initStatuses = zipStatuses(initSpecs, oldInit).map { container, status in
                if KubeletPodStatus.isSidecar(container) {
                    let started = status?["state"]?["waiting"]?["reason"]?.string == "PodInitializing" ? nil : status
                    return containers.advance(container, status: started, isInit: true)
                }
                if let status, status["state"]?["terminated"] != nil { return status }
                return containers.completeInit(container)
            }
            appStatuses = zipStatuses(appSpecs, oldApp).map { container, status in
                let created = ["ContainerCreating", "PodInitializing"].contains(status?["state"]?["waiting"]?["reason"]?.string ?? "") ? nil : status
                return containers.advance(container, status: created, isInit: false)
            }
            // Once the app containers are done for good, the sidecars are stopped too.
            let appFinished = !appStatuses.isEmpty && appStatuses.allSatisfy { $0["state"]?["terminated"] != nil }
            if appFinished {
                initStatuses = zip(initSpecs, initStatuses).map { container, status in
                    KubeletPodStatus.isSidecar(container) ? containers.stop(container, status: status, isInit: true) : status
                }
            }
        }

        let newPhase = KubeletPodStatus.phase(spec: spec, initStatuses: initStatuses, statuses: appStatuses, terminal: deleting)
        let finished = newPhase == "Succeeded" || newPhase == "Failed"
        let others = (oldStatus["conditions"]?.array ?? []).filter {
            !KubeletPodStatus.kubeletConditionTypes.contains($0["type"]?.string ?? "")
        }
        let generated = KubeletPodStatus.conditions(spec: spec, phase: newPhase, initStatuses: initStatuses, statuses: appStatuses,
                                                    sandboxReady: !finished && !deleting, otherConditions: others)
        var status = oldStatus
        status["phase"] = .string(newPhase)
        status["conditions"] = .array(KubeletPodStatus.conditionsJSON(generated, old: oldStatus["conditions"]?.array ?? [],
                                                                        others: others, now: now))
        status["hostIP"] = .string(node.hostIP)
        status["hostIPs"] = .array([.object(["ip": .string(node.hostIP)])])
        let address = spec?["hostNetwork"]?.bool == true ? node.hostIP : podIP
        if let address {
            status["podIP"] = .string(address)
            status["podIPs"] = .array([.object(["ip": .string(address)])])
        }
        status["startTime"] = oldStatus["startTime"] ?? .string(KubeTime.rfc3339(now))
        if !initSpecs.isEmpty { status["initContainerStatuses"] = .array(initStatuses) }
        status["containerStatuses"] = .array(appStatuses)
        if status["qosClass"] == nil { status["qosClass"] = .string(qosClass(spec)) }

        step.status = status == oldStatus ? nil : status
        step.events = containers.events
        step.pulledImages = containers.pulled
        step.finished = step.finished || finished
        if let wake = containers.wakeAfter, !finished, !deleting {
            step.requeueAfter = .milliseconds(Int64((wake * 1000).rounded(.up)))
        }
        return step
    }

    /// The waiting reason of containers not yet created.
    static func waitingReason(_ spec: JSONValue?) -> String {
        (spec?["initContainers"]?.array ?? []).isEmpty ? "ContainerCreating" : "PodInitializing"
    }

    /// Each container of `specs` with its status in `statuses`, if it has one.
    static func zipStatuses(_ specs: [JSONValue], _ statuses: [JSONValue]) -> [(JSONValue, JSONValue?)] {
        specs.map { ($0, KubeletPodStatus.status($0["name"]?.string ?? "", in: statuses)) }
    }

    /// The QoS class (core/v1 `GetPodQOS`): BestEffort without any cpu or memory request or
    /// limit; Guaranteed when every container limits both with requests equal to limits;
    /// Burstable otherwise.
    static func qosClass(_ spec: JSONValue?) -> String {
        var anySet = false
        var guaranteed = true
        for container in (spec?["containers"]?.array ?? []) + (spec?["initContainers"]?.array ?? []) {
            let requests = container["resources"]?["requests"]?.object ?? [:]
            let limits = container["resources"]?["limits"]?.object ?? [:]
            for resource in ["cpu", "memory"] {
                let request = requests[resource].flatMap(Quantity.init(json:)), limit = limits[resource].flatMap(Quantity.init(json:))
                if request != nil || limit != nil { anySet = true }
                if limit == nil || (request != nil && request?.milliValue != limit?.milliValue) { guaranteed = false }
            }
        }
        if !anySet { return "BestEffort" }
        return guaranteed ? "Guaranteed" : "Burstable"
    }
}
