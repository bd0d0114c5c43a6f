import KubeCore

/// What a pod asks of a node, as `resourcehelper.PodRequests` computes it: the sum of its
/// containers' requests, raised to what its init containers need one at a time (each plus the
/// sidecars started before it), plus `spec.overhead`.
public enum PodRequests {
    /// The millicores kube-scheduler's scoring assumes for a container that requests no cpu.
    public static let defaultMilliCPU: Int64 = 100
    /// The bytes it assumes for a container that requests no memory (200Mi).
    public static let defaultMemory: Int64 = 200 * 1024 * 1024

    /// The pod's requests, as NodeResourcesFit's filter compares them with a node's room.
    public static func requests(of pod: JSONValue) -> ResourceAmounts {
        aggregate(pod, nonZero: false)
    }

    /// The requests with a missing cpu or memory request counted as the defaults above, as
    /// scoring does so that many request-less pods still spread.
    public static func nonZeroRequests(of pod: JSONValue) -> ResourceAmounts {
        aggregate(pod, nonZero: true)
    }

    private static func aggregate(_ pod: JSONValue, nonZero: Bool) -> ResourceAmounts {
        let spec = pod["spec"]
        var total = ResourceAmounts()
        for container in spec?["containers"]?.array ?? [] {
            total.add(containerRequests(container, nonZero: nonZero))
        }
        var sidecars = ResourceAmounts()
        var initPeak = ResourceAmounts()
        for container in spec?["initContainers"]?.array ?? [] {
            let own = containerRequests(container, nonZero: nonZero)
            if container["restartPolicy"]?.string == "Always" {
                // A sidecar keeps running next to the app containers and the init containers after it.
                total.add(own)
                sidecars.add(own)
                initPeak.raise(to: sidecars)
            } else {
                initPeak.raise(to: own + sidecars)
            }
        }
        total.raise(to: initPeak)
        total.add(ResourceAmounts(list: spec?["overhead"]))
        return total
    }

    /// One container's requests; a resource with a limit but no request asks for its limit,
    /// which is what the apiserver's defaulting would have written.
    static func containerRequests(_ container: JSONValue, nonZero: Bool) -> ResourceAmounts {
        let resources = container["resources"]
        var list = resources?["requests"]?.object ?? [:]
        for (name, limit) in resources?["limits"]?.object ?? [:] where list[name] == nil {
            list[name] = limit
        }
        var amounts = ResourceAmounts(list: .object(list))
        if nonZero {
            if list["cpu"] == nil { amounts.milliCPU = defaultMilliCPU }
            if list["memory"] == nil { amounts.memory = defaultMemory }
        }
        return amounts
    }
}
