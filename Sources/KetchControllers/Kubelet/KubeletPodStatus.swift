import Foundation
import KubeCore

/// The pod-level parts of a status the kubelet derives from its container statuses: the phase
/// (kubelet_pods.go `getPhase`) and the conditions it owns (pkg/kubelet/status
/// `generate.go`), with the reasons and messages kubelet 1.33 writes.
public enum KubeletPodStatus {
    /// One condition the kubelet writes.
    public struct Condition: Sendable, Hashable {
        /// `Ready`, `Initialized`, …
        public var type: String
        /// Whether its status is `True`.
        public var isTrue: Bool
        /// The reason, when it has one.
        public var reason: String?
        /// The message, when it has one.
        public var message: String?

        init(_ type: String, _ isTrue: Bool, _ reason: String? = nil, _ message: String? = nil) {
            self.type = type
            self.isTrue = isTrue
            self.reason = reason
            self.message = message
        }
    }

    /// The condition types the kubelet owns, in the order it lists them.
    public static let kubeletConditionTypes = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]

    /// Whether an init container is a sidecar (`restartPolicy: Always`).
    static func isSidecar(_ container: JSONValue) -> Bool {
        container["restartPolicy"]?.string == "Always"
    }

    /// The status named `name` in `statuses`.
    static func status(_ name: String, in statuses: [JSONValue]) -> JSONValue? {
        statuses.first { $0["name"]?.string == name }
    }

    /// `getPhase`: Pending while init containers (or a first sidecar start) are outstanding,
    /// Running once a container runs, and for stopped containers Succeeded, Failed or Running
    /// (restarting) according to the exit codes and the restart policy. `terminal` is set for
    /// a pod whose containers will not be started again (it is being deleted).
    public static func phase(spec: JSONValue?, initStatuses: [JSONValue], statuses: [JSONValue], terminal: Bool) -> String {
        let restartPolicy = spec?["restartPolicy"]?.string ?? "Always"
        var pendingInit = 0, pendingSidecars = 0, failedInit = 0
        var unknown = 0, running = 0, stopped = 0, succeeded = 0
        let initContainers = spec?["initContainers"]?.array ?? []
        for container in initContainers where !isSidecar(container) {
            guard let status = status(container["name"]?.string ?? "", in: initStatuses) else {
                pendingInit += 1
                continue
            }
            let state = status["state"]
            if state?["running"] != nil {
                pendingInit += 1
            } else if let done = state?["terminated"] {
                if done["exitCode"]?.int != 0 { failedInit += 1 }
            } else if let last = status["lastState"]?["terminated"] {
                if last["exitCode"]?.int != 0 { failedInit += 1 }
            } else {
                pendingInit += 1
            }
        }
        for container in initContainers where isSidecar(container) {
            guard let status = status(container["name"]?.string ?? "", in: initStatuses) else {
                pendingSidecars += 1
                unknown += 1
                continue
            }
            let state = status["state"]
            if state?["running"] != nil {
                if status["started"]?.bool != true { pendingSidecars += 1 }
                running += 1
            } else if state?["waiting"] != nil, status["lastState"]?["terminated"] == nil {
                pendingSidecars += 1
            }
        }
        for container in spec?["containers"]?.array ?? [] {
            guard let status = status(container["name"]?.string ?? "", in: statuses) else {
                unknown += 1
                continue
            }
            let state = status["state"]
            if state?["running"] != nil {
                running += 1
            } else if let done = state?["terminated"] {
                stopped += 1
                if done["exitCode"]?.int == 0 { succeeded += 1 }
            } else if status["lastState"]?["terminated"] != nil {
                stopped += 1
            }
        }
        if failedInit > 0 && restartPolicy == "Never" { return "Failed" }
        if pendingInit > 0 || (pendingSidecars > 0 && !anyContainerStarted(statuses)) { return "Pending" }
        if running > 0 && unknown == 0 { return "Running" }
        guard running == 0 && stopped > 0 && unknown == 0 else { return "Pending" }
        if terminal { return stopped == succeeded ? "Succeeded" : "Failed" }
        if restartPolicy == "Always" { return "Running" }
        if stopped == succeeded { return "Succeeded" }
        return restartPolicy == "Never" ? "Failed" : "Running"
    }

    /// The kubelet's conditions for a pod in `phase`.
    /// `sandboxReady` says whether the pod sandbox (its network) is up; `otherConditions`
    /// holds the conditions other components own, where readiness gates are looked up.
    public static func conditions(spec: JSONValue?, phase: String, initStatuses: [JSONValue], statuses: [JSONValue],
                                  sandboxReady: Bool, otherConditions: [JSONValue]) -> [Condition] {
        let initialized = initializedCondition(spec: spec, phase: phase, initStatuses: initStatuses, statuses: statuses)
        let containersReady = containersReadyCondition(spec: spec, phase: phase, initStatuses: initStatuses, statuses: statuses)
        var ready = containersReady
        ready.type = "Ready"
        if containersReady.isTrue {
            var unready: [String] = []
            for gate in spec?["readinessGates"]?.array ?? [] {
                let type = gate["conditionType"]?.string ?? ""
                guard let condition = otherConditions.first(where: { $0["type"]?.string == type }) else {
                    unready.append("corresponding condition of pod readiness gate \"\(type)\" does not exist.")
                    continue
                }
                let status = condition["status"]?.string ?? ""
                if status != "True" { unready.append("the status of pod readiness gate \"\(type)\" is not \"True\", but \(status)") }
            }
            if !unready.isEmpty { ready = Condition("Ready", false, "ReadinessGatesNotReady", unready.joined(separator: ", ")) }
        }
        return [Condition("PodReadyToStartContainers", sandboxReady), initialized, ready, containersReady,
                Condition("PodScheduled", true)]
    }

    /// `GeneratePodInitializedCondition`.
    static func initializedCondition(spec: JSONValue?, phase: String, initStatuses: [JSONValue],
                                     statuses: [JSONValue]) -> Condition {
        let initContainers = spec?["initContainers"]?.array ?? []
        var unknown: [String] = [], incomplete: [String] = []
        for container in initContainers {
            let name = container["name"]?.string ?? ""
            guard let status = status(name, in: initStatuses) else {
                unknown.append(name)
                continue
            }
            if isSidecar(container) {
                if status["started"]?.bool != true { incomplete.append(name) }
            } else if status["state"]?["terminated"]?["exitCode"]?.int != 0 {
                incomplete.append(name)
            }
        }
        if phase == "Succeeded" && unknown.isEmpty { return Condition("Initialized", true, "PodCompleted") }
        // A regular container that has run means initialization finished before.
        if anyContainerStarted(statuses) { return Condition("Initialized", true) }
        var messages: [String] = []
        if !unknown.isEmpty { messages.append("containers with unknown status: \(goList(unknown))") }
        if !incomplete.isEmpty { messages.append("containers with incomplete status: \(goList(incomplete))") }
        guard !messages.isEmpty else { return Condition("Initialized", true) }
        return Condition("Initialized", false, "ContainersNotInitialized", messages.joined(separator: ", "))
    }

    /// `GenerateContainersReadyCondition` (sidecars count as containers).
    static func containersReadyCondition(spec: JSONValue?, phase: String, initStatuses: [JSONValue],
                                         statuses: [JSONValue]) -> Condition {
        if phase == "Failed" { return Condition("ContainersReady", false, "PodFailed") }
        var unknown: [String] = [], unready: [String] = []
        let sidecars = (spec?["initContainers"]?.array ?? []).filter(isSidecar)
        for (container, source) in sidecars.map({ ($0, initStatuses) }) + (spec?["containers"]?.array ?? []).map({ ($0, statuses) }) {
            let name = container["name"]?.string ?? ""
            guard let status = status(name, in: source) else {
                unknown.append(name)
                continue
            }
            if status["ready"]?.bool != true { unready.append(name) }
        }
        if phase == "Succeeded" && unknown.isEmpty { return Condition("ContainersReady", false, "PodCompleted") }
        var messages: [String] = []
        if !unknown.isEmpty { messages.append("containers with unknown status: \(goList(unknown))") }
        if !unready.isEmpty { messages.append("containers with unready status: \(goList(unready))") }
        guard !messages.isEmpty else { return Condition("ContainersReady", true) }
        return Condition("ContainersReady", false, "ContainersNotReady", messages.joined(separator: ", "))
    }

    /// `HasAnyRegularContainerStarted`: some app container is running or has terminated.
    static func anyContainerStarted(_ statuses: [JSONValue]) -> Bool {
        statuses.contains { $0["state"]?["running"] != nil || $0["state"]?["terminated"] != nil }
    }

    /// A string slice as Go's `%s` prints it: `[a b]`.
    static func goList(_ items: [String]) -> String {
        "[" + items.joined(separator: " ") + "]"
    }

    /// The conditions as JSON: other components' conditions first, then the kubelet's. A
    /// condition keeps its `lastTransitionTime` while its status stays the same.
    public static func conditionsJSON(_ generated: [Condition], old: [JSONValue], others: [JSONValue], now: Date) -> [JSONValue] {
        let stamp = KubeTime.rfc3339(now)
        return others + generated.map { generated in
            let status = generated.isTrue ? "True" : "False"
            let previous = old.first { $0["type"]?.string == generated.type }
            var condition: [String: JSONValue] = [
                "type": .string(generated.type),
                "status": .string(status),
                "lastProbeTime": .null,
                "lastTransitionTime": previous?["status"]?.string == status ? previous?["lastTransitionTime"] ?? .string(stamp) : .string(stamp),
            ]
            if let reason = generated.reason { condition["reason"] = .string(reason) }
            if let message = generated.message { condition["message"] = .string(message) }
            return .object(condition)
        }
    }
}
