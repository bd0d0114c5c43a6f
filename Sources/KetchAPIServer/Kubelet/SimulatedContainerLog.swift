import Foundation
import KubeCore

/// `kubectl logs` of a container on a simulated node: no process runs there, so its log is one
/// line saying so (with kubelet's errors while the container is not running yet).
enum SimulatedContainerLog {
    /// The log of `options.container` in `pod`, or nil for a static pod's container, whose log
    /// is a real file (`isStatic`).
    static func text(pod: JSONValue, options: LogOptions, isStatic: Bool) throws -> String? {
        guard !isStatic, !MirrorPod.isMirrorPod(pod) else { return nil }
        let name = pod["metadata"]?["name"]?.string ?? ""
        let namespace = pod["metadata"]?["namespace"]?.string ?? "default"
        let container = try PodContainers.resolve(pod: pod, requested: options.container)
        let statuses = (pod["status"]?["containerStatuses"]?.array ?? []) + (pod["status"]?["initContainerStatuses"]?.array ?? [])
        let status = statuses.first { $0["name"]?.string == container }
        if let waiting = status?["state"]?["waiting"], status?["lastState"]?["terminated"] == nil || options.previous == false,
           status?["state"]?["running"] == nil, status?["state"]?["terminated"] == nil {
            let reason = waiting["reason"]?.string ?? "ContainerCreating"
            throw KubeStatus.badRequest("container \"\(container)\" in pod \"\(name)\" is waiting to start: \(reason)")
        }
        if status == nil {
            throw KubeStatus.badRequest("container \"\(container)\" in pod \"\(name)\" is waiting to start: ContainerCreating")
        }
        if options.previous, status?["lastState"]?["terminated"] == nil {
            throw KubeStatus.badRequest("previous terminated container \"\(container)\" in pod \"\(name)\" not found")
        }
        let image = status?["image"]?.string ?? ""
        let node = pod["spec"]?["nodeName"]?.string ?? ""
        var line = "ketch: container \"\(container)\" (image \(image)) of pod \(namespace)/\(name) is simulated on node \(node): "
            + "no process runs in it, so it writes no log\n"
        if options.timestamps {
            let started = status?["state"]?["running"]?["startedAt"]?.string
                ?? status?["state"]?["terminated"]?["startedAt"]?.string ?? KubeTime.rfc3339(Date())
            let date = KubeTime.parse(started) ?? Date()
            line = KubeTime.rfc3339Nano(date) + " " + line
        }
        return line
    }
}
