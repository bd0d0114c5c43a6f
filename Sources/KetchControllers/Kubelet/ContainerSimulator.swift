import Foundation
import KubeCore

/// Moves the simulated containers of one pod along, one status at a time, collecting the
/// events the kubelet would record and the time of the next change it has to come back for.
struct ContainerSimulator {
    let podUID: String
    /// `name_namespace(uid)`, as the kubelet names the pod in messages.
    let podDescription: String
    let run: SimulatedRun
    let now: Date
    /// Images present on the node; grows as this step pulls.
    var imagesOnNode: Set<String>
    private(set) var events: [KubeletEvent] = []
    private(set) var pulled: [String] = []
    /// Seconds until some container changes by itself (an exit, the end of a back-off).
    private(set) var wakeAfter: TimeInterval?

    init(podUID: String, podDescription: String, run: SimulatedRun, now: Date, imagesOnNode: Set<String>) {
        self.podUID = podUID
        self.podDescription = podDescription
        self.run = run
        self.now = now
        self.imagesOnNode = imagesOnNode
    }

    /// `spec.containers{name}` or `spec.initContainers{name}`.
    static func fieldPath(_ container: JSONValue, init isInit: Bool) -> String {
        "spec.\(isInit ? "initContainers" : "containers"){\(container["name"]?.string ?? "")}"
    }

    /// Creates and starts instance `restartCount` of `container`, pulling its image first
    /// as its pull policy asks.
    mutating func start(_ container: JSONValue, fieldPath: String, restartCount: Int, lastState: JSONValue) -> JSONValue {
        let name = container["name"]?.string ?? ""
        let image = container["image"]?.string ?? ""
        let reference = ContainerImage.normalized(image)
        let policy = container["imagePullPolicy"]?.string ?? ContainerImage.defaultPullPolicy(image)
        if policy == "Always" || (policy == "IfNotPresent" && !imagesOnNode.contains(reference)) {
            events.append(.pulling(image, fieldPath))
            events.append(.pulled(image, fieldPath))
            imagesOnNode.insert(reference)
            pulled.append(reference)
        } else {
            events.append(.alreadyPresent(image, fieldPath))
        }
        events.append(.created(name, fieldPath))
        events.append(.started(name, fieldPath))
        return ContainerStatusJSON.running(container, podUID: podUID, restartCount: restartCount, startedAt: now, lastState: lastState)
    }

    /// Runs a regular init container to completion at once.
    mutating func completeInit(_ container: JSONValue) -> JSONValue {
        let running = start(container, fieldPath: Self.fieldPath(container, init: true), restartCount: 0, lastState: .object([:]))
        return ContainerStatusJSON.terminated(running, exitCode: 0, finishedAt: now)
    }

    /// The next status of an app container or sidecar whose current status is `status` (nil
    /// before it has one). App containers of a pod that runs for a while exit when their time
    /// is up and restart with back-off if the policy says so; sidecars run until stopped.
    mutating func advance(_ container: JSONValue, status: JSONValue?, isInit: Bool) -> JSONValue {
        let fieldPath = Self.fieldPath(container, init: isInit)
        guard let status else { return launch(container, fieldPath: fieldPath, restartCount: 0, lastState: .object([:]), isInit: isInit) }
        let state = status["state"]
        let restartCount = status["restartCount"]?.int ?? 0
        if state?["terminated"] != nil { return status }
        if state?["running"] != nil {
            guard !isInit, let duration = run.runDuration else { return status }
            let startedAt = state?["running"]?["startedAt"]?.string.flatMap(KubeTime.parse) ?? now
            let due = startedAt.addingTimeInterval(Self.seconds(duration))
            guard due <= now else {
                wake(after: due.timeIntervalSince(now))
                return status
            }
            return exit(container, status, fieldPath: fieldPath, code: run.exitCode)
        }
        // Waiting: never started, or backing off after an exit.
        guard let last = status["lastState"]?["terminated"] else {
            return launch(container, fieldPath: fieldPath, restartCount: 0, lastState: .object([:]), isInit: isInit)
        }
        let finished = last["finishedAt"]?.string.flatMap(KubeTime.parse) ?? now
        let due = finished.addingTimeInterval(TimeInterval(CrashLoopBackOff.delay(restartCount: restartCount)))
        guard due <= now else {
            wake(after: due.timeIntervalSince(now))
            return status
        }
        return launch(container, fieldPath: fieldPath, restartCount: restartCount + 1, lastState: status["lastState"] ?? .object([:]),
                      isInit: isInit)
    }

    /// Starts an app container or sidecar; an app container that exits after a while brings
    /// the caller back then.
    private mutating func launch(_ container: JSONValue, fieldPath: String, restartCount: Int, lastState: JSONValue,
                                 isInit: Bool) -> JSONValue {
        if !isInit, let duration = run.runDuration { wake(after: Self.seconds(duration)) }
        return start(container, fieldPath: fieldPath, restartCount: restartCount, lastState: lastState)
    }

    /// A running container's exit with `code`: final, restarted at once (the first exit), or
    /// waiting out the back-off in CrashLoopBackOff.
    private mutating func exit(_ container: JSONValue, _ running: JSONValue, fieldPath: String, code: Int) -> JSONValue {
        let stopped = ContainerStatusJSON.terminated(running, exitCode: code, finishedAt: now)
        guard run.restarts(afterExitCode: code) else { return stopped }
        let restartCount = running["restartCount"]?.int ?? 0
        let delay = CrashLoopBackOff.delay(restartCount: restartCount)
        guard delay > 0 else {
            return launch(container, fieldPath: fieldPath, restartCount: restartCount + 1, lastState: stopped["state"] ?? .object([:]),
                          isInit: false)
        }
        let name = container["name"]?.string ?? ""
        events.append(.backOff(name, pod: podDescription, fieldPath))
        wake(after: TimeInterval(delay))
        return ContainerStatusJSON.crashLoopBackOff(
            stopped, message: CrashLoopBackOff.message(seconds: delay, container: name, pod: podDescription))
    }

    /// Stops a container because its pod is going away: a running one records `Killing` and
    /// exits 0, as a container that handles SIGTERM does; others stay as they are.
    mutating func stop(_ container: JSONValue, status: JSONValue, isInit: Bool) -> JSONValue {
        guard status["state"]?["running"] != nil else { return status }
        events.append(.killing(container["name"]?.string ?? "", Self.fieldPath(container, init: isInit)))
        return ContainerStatusJSON.terminated(status, exitCode: 0, finishedAt: now)
    }

    private mutating func wake(after seconds: TimeInterval) {
        let seconds = max(0, seconds)
        wakeAfter = min(wakeAfter ?? seconds, seconds)
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
