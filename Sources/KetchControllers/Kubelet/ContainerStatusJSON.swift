import Foundation
import KubeCore

/// `containerStatuses[]` entries in the shapes kubelet 1.33 writes for each container state.
enum ContainerStatusJSON {
    /// Before the container exists: the image as the spec names it, no image id yet, waiting
    /// with `ContainerCreating` (or `PodInitializing` while init containers run).
    static func waiting(_ container: JSONValue, reason: String) -> JSONValue {
        .object([
            "name": container["name"] ?? .string(""),
            "image": container["image"] ?? .string(""),
            "imageID": .string(""),
            "lastState": .object([:]),
            "ready": .bool(false),
            "restartCount": .integer(0),
            "started": .bool(false),
            "state": .object(["waiting": .object(["reason": .string(reason)])]),
        ])
    }

    /// A running instance number `restartCount`, started at `startedAt`; ready and started as
    /// a container without probes is once running.
    static func running(_ container: JSONValue, podUID: String, restartCount: Int, startedAt: Date,
                        lastState: JSONValue) -> JSONValue {
        var status = base(container, podUID: podUID, restartCount: restartCount, lastState: lastState)
        status["ready"] = .bool(true)
        status["started"] = .bool(true)
        status["state"] = .object(["running": .object(["startedAt": .string(KubeTime.rfc3339(startedAt))])])
        return status
    }

    /// The `terminated` state of an instance that ran from `startedAt` and exited with `exitCode`.
    static func terminatedState(containerID: JSONValue?, exitCode: Int, startedAt: JSONValue?, finishedAt: Date) -> JSONValue {
        var state: [String: JSONValue] = [
            "exitCode": .integer(exitCode),
            "reason": .string(exitCode == 0 ? "Completed" : "Error"),
            "startedAt": startedAt ?? .string(KubeTime.rfc3339(finishedAt)),
            "finishedAt": .string(KubeTime.rfc3339(finishedAt)),
        ]
        if let containerID { state["containerID"] = containerID }
        return .object(["terminated": .object(state)])
    }

    /// `running` turned into `terminated` with `exitCode` at `finishedAt`.
    static func terminated(_ running: JSONValue, exitCode: Int, finishedAt: Date) -> JSONValue {
        var status = running
        status["ready"] = .bool(false)
        status["started"] = .bool(false)
        status["state"] = terminatedState(containerID: running["containerID"], exitCode: exitCode,
                                          startedAt: running["state"]?["running"]?["startedAt"], finishedAt: finishedAt)
        return status
    }

    /// A stopped instance waiting out its restart back-off: the exit moves to `lastState`.
    static func crashLoopBackOff(_ terminated: JSONValue, message: String) -> JSONValue {
        var status = terminated
        status["lastState"] = terminated["state"]
        status["state"] = .object(["waiting": .object(["reason": .string("CrashLoopBackOff"), "message": .string(message)])])
        return status
    }

    /// What every created instance reports: runtime ids, the resolved image and its mounts.
    private static func base(_ container: JSONValue, podUID: String, restartCount: Int, lastState: JSONValue) -> JSONValue {
        let name = container["name"]?.string ?? ""
        let image = container["image"]?.string ?? ""
        var status: [String: JSONValue] = [
            "name": .string(name),
            "image": .string(ContainerImage.normalized(image)),
            "imageID": .string(ContainerImage.imageID(image)),
            "containerID": .string(ContainerImage.containerID(podUID: podUID, container: name, restartCount: restartCount)),
            "lastState": lastState,
            "restartCount": .integer(restartCount),
        ]
        let mounts = (container["volumeMounts"]?.array ?? []).map { mount -> JSONValue in
            var entry: [String: JSONValue] = ["name": mount["name"] ?? .string(""), "mountPath": mount["mountPath"] ?? .string("")]
            if mount["readOnly"]?.bool == true {
                entry["readOnly"] = .bool(true)
                // `IfPossible` resolves to Enabled: containerd 2 supports recursive read-only mounts.
                let asked = mount["recursiveReadOnly"]?.string ?? "Disabled"
                entry["recursiveReadOnly"] = .string(asked == "Disabled" ? "Disabled" : "Enabled")
            }
            return .object(entry)
        }
        if !mounts.isEmpty { status["volumeMounts"] = .array(mounts) }
        return .object(status)
    }
}
