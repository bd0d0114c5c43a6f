import Foundation

/// One simulated metrics-server scrape: the NodeMetrics and PodMetrics objects of
/// `metrics.k8s.io/v1beta1` as metrics-server 0.8 serves them, computed from stored Nodes and
/// Pods with ``SimulatedUsage``.
///
/// metrics-server scrapes every kubelet each `--metric-resolution` (15 s in its manifests) and
/// answers from its latest two scrapes, so values change once per interval: here `timestamp` is
/// the start of the current 15-second interval and usage is computed at that instant. What has
/// metrics follows metrics-server: Ready nodes (it cannot scrape the others) and Running pods on
/// them (its pod informer lists only `status.phase=Running`).
public struct MetricsScrape: Sendable {
    /// metrics-server's `--metric-resolution` in its released manifests.
    public static let resolutionSeconds: Int64 = 15

    /// The scrape instant, Unix seconds: a multiple of ``resolutionSeconds``.
    public let time: Int64
    /// When the request is answered: every object's `creationTimestamp` (metrics-server sets
    /// `time.Now()`).
    public let now: Date

    /// The scrape that is current at `now`.
    public init(now: Date = Date()) {
        self.now = now
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        self.time = seconds - ((seconds % Self.resolutionSeconds) + Self.resolutionSeconds) % Self.resolutionSeconds
    }

    /// `timestamp`: the scrape instant in RFC 3339.
    public var timestamp: String { KubeTime.rfc3339(Date(timeIntervalSince1970: TimeInterval(time))) }

    /// `window`: the time between the node's last two samples, as Go prints a Duration. Kubelet
    /// samples drift, so it is the resolution give or take half a second, fixed per node and scrape.
    public func window(node: String) -> String {
        let drift = Int64(SimulatedUsage.fnv1a("\(node)/\(time)") % 1000) - 500
        return Self.goDuration(milliseconds: Self.resolutionSeconds * 1000 + drift)
    }

    /// The names of the nodes that have metrics: those whose Ready condition is True.
    public static func readyNodes(_ nodes: [JSONValue]) -> Set<String> {
        Set(nodes.filter(isReady).compactMap { $0["metadata"]?["name"]?.string })
    }

    /// Whether a node's `Ready` condition is `True`.
    public static func isReady(_ node: JSONValue) -> Bool {
        (node["status"]?["conditions"]?.array ?? []).contains {
            $0["type"]?.string == "Ready" && $0["status"]?.string == "True"
        }
    }

    /// Whether metrics-server's pod informer (`status.phase=Running`) holds the pod.
    public static func isRunning(_ pod: JSONValue) -> Bool {
        pod["status"]?["phase"]?.string == "Running"
    }

    /// Whether a pod has metrics: Running on a node that has metrics.
    public static func hasMetrics(_ pod: JSONValue, readyNodes: Set<String>) -> Bool {
        guard isRunning(pod), let node = pod["spec"]?["nodeName"]?.string else { return false }
        return readyNodes.contains(node)
    }

    /// The containers the kubelet reports on, each with its usage: the pod's containers and its
    /// sidecars (init containers with `restartPolicy: Always`), those whose status says running
    /// (all of them when the pod has no container statuses yet).
    public func containers(of pod: JSONValue) -> [(name: String, usage: ResourceUsage)] {
        let uid = pod["metadata"]?["uid"]?.string ?? Self.identity(pod)
        let statuses = (pod["status"]?["containerStatuses"]?.array ?? []) + (pod["status"]?["initContainerStatuses"]?.array ?? [])
        func running(_ name: String) -> Bool {
            guard !statuses.isEmpty else { return true }
            return statuses.contains { $0["name"]?.string == name && $0["state"]?["running"] != nil }
        }
        let sidecars = (pod["spec"]?["initContainers"]?.array ?? []).filter { $0["restartPolicy"]?.string == "Always" }
        let containers = sidecars + (pod["spec"]?["containers"]?.array ?? [])
        return containers.compactMap { container in
            guard let name = container["name"]?.string, running(name) else { return nil }
            return (name, SimulatedUsage.container(container, podUID: uid, at: time))
        }
    }

    /// A pod's usage: the sum of its containers'.
    public func usage(of pod: JSONValue) -> ResourceUsage {
        containers(of: pod).reduce(.zero) { $0 + $1.usage }
    }

    /// A PodMetrics for a pod that has metrics (see ``hasMetrics(_:readyNodes:)``).
    public func podMetrics(_ pod: JSONValue) -> JSONValue {
        let metadata = pod["metadata"]
        var meta: [String: JSONValue] = [
            "name": metadata?["name"] ?? .string(""),
            "namespace": metadata?["namespace"] ?? .string(""),
            "creationTimestamp": .string(KubeTime.rfc3339(now)),
        ]
        if let labels = metadata?["labels"], labels.object?.isEmpty == false { meta["labels"] = labels }
        return .object([
            "kind": .string("PodMetrics"),
            "apiVersion": .string(Self.apiVersion),
            "metadata": .object(meta),
            "timestamp": .string(timestamp),
            "window": .string(window(node: pod["spec"]?["nodeName"]?.string ?? "")),
            "containers": .array(containers(of: pod).map { c in
                .object(["name": .string(c.name), "usage": c.usage.json])
            }),
        ])
    }

    /// A NodeMetrics for a Ready node; `pods` may hold any pods; those Running on the node count.
    public func nodeMetrics(_ node: JSONValue, pods: [JSONValue]) -> JSONValue {
        let name = node["metadata"]?["name"]?.string ?? ""
        let podUsage = pods
            .filter { Self.isRunning($0) && $0["spec"]?["nodeName"]?.string == name }
            .reduce(ResourceUsage.zero) { $0 + usage(of: $1) }
        var meta: [String: JSONValue] = ["name": .string(name), "creationTimestamp": .string(KubeTime.rfc3339(now))]
        if let labels = node["metadata"]?["labels"], labels.object?.isEmpty == false { meta["labels"] = labels }
        return .object([
            "kind": .string("NodeMetrics"),
            "apiVersion": .string(Self.apiVersion),
            "metadata": .object(meta),
            "timestamp": .string(timestamp),
            "window": .string(window(node: name)),
            "usage": SimulatedUsage.node(node, pods: podUsage, at: time).json,
        ])
    }

    /// A `NodeMetricsList` or `PodMetricsList`: metrics-server's lists carry no resourceVersion,
    /// and their items no `kind` or `apiVersion`.
    public static func list(kind: String, items: [JSONValue]) -> JSONValue {
        .object([
            "kind": .string(kind),
            "apiVersion": .string(apiVersion),
            "metadata": .object([:]),
            "items": .array(items.map { item in
                guard case .object(var members) = item else { return item }
                members["kind"] = nil
                members["apiVersion"] = nil
                return .object(members)
            }),
        ])
    }

    /// `metrics.k8s.io/v1beta1`.
    public static let apiVersion = "metrics.k8s.io/v1beta1"

    /// A Go `time.Duration` of whole milliseconds as `String()` prints it: `15.2s`, `15s`, `900ms`.
    static func goDuration(milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        let minutes = milliseconds / 60_000
        let rest = milliseconds % 60_000
        var seconds = "\(rest / 1000)"
        if rest % 1000 != 0 {
            var fraction = String(rest % 1000)
            fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            seconds += "." + fraction
        }
        guard minutes > 0 else { return seconds + "s" }
        return minutes >= 60 ? "\(minutes / 60)h\(minutes % 60)m\(seconds)s" : "\(minutes)m\(seconds)s"
    }

    /// `namespace/name`, the seed for objects without a uid.
    private static func identity(_ pod: JSONValue) -> String {
        "\(pod["metadata"]?["namespace"]?.string ?? "")/\(pod["metadata"]?["name"]?.string ?? "")"
    }
}
