import Testing
@testable import KetchControllers
import KubeCore

@Suite("Scheduler filters")
struct SchedulerFilterTests {
    typealias F = SchedulerFixtures

    private func run(_ filter: SchedulerFilters.Filter, _ pod: JSONValue, _ node: JSONValue, pods: [JSONValue] = []) -> FilterRejection? {
        filter(PodSchedulingInfo(pod), F.infos([node], pods: pods)[0])
    }

    @Test func nodeUnschedulableRejectsCordonedNodesUnlessTolerated() {
        let cordoned = F.node("n1", unschedulable: true)
        let rejection = run(SchedulerFilters.nodeUnschedulable, F.pod("p"), cordoned)
        #expect(rejection == .unresolvable("NodeUnschedulable", "node(s) were unschedulable"))
        let tolerant = F.pod("p", tolerations: [F.toleration(key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule")])
        #expect(run(SchedulerFilters.nodeUnschedulable, tolerant, cordoned) == nil)
        #expect(run(SchedulerFilters.nodeUnschedulable, F.pod("p"), F.node("n1")) == nil)
    }

    @Test func nodeNameMatchesOnlyTheNamedNode() {
        let named = F.pod("p", node: "n2")
        #expect(run(SchedulerFilters.nodeName, named, F.node("n1")) == .unresolvable("NodeName", "node(s) didn't match the requested node name"))
        #expect(run(SchedulerFilters.nodeName, named, F.node("n2")) == nil)
        #expect(run(SchedulerFilters.nodeName, F.pod("p"), F.node("n1")) == nil)
    }

    @Test func taintTolerationNamesTheFirstUntoleratedBlockingTaint() {
        let node = F.node("n1", taints: [Taint(key: "soft", effect: "PreferNoSchedule"), F.controlPlaneTaint,
                                         Taint(key: "dedicated", value: "gpu", effect: "NoExecute")])
        #expect(run(SchedulerFilters.taintToleration, F.pod("p"), node)?.reasons == ["node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"])
        let tolerantOfControlPlane = F.pod("p", tolerations: [F.toleration(key: "node-role.kubernetes.io/control-plane", operator: "Exists")])
        #expect(run(SchedulerFilters.taintToleration, tolerantOfControlPlane, node)?.reasons == ["node(s) had untolerated taint {dedicated: gpu}"])
        let equalToleration = F.pod("p", tolerations: [
            F.toleration(key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule"),
            F.toleration(key: "dedicated", value: "gpu", effect: "NoExecute"),
        ])
        #expect(run(SchedulerFilters.taintToleration, equalToleration, node) == nil)
        let wrongValue = F.pod("p", tolerations: [F.toleration(key: "node-role.kubernetes.io/control-plane", operator: "Exists"),
                                                  F.toleration(key: "dedicated", value: "cpu")])
        #expect(run(SchedulerFilters.taintToleration, wrongValue, node) != nil)
        // An empty key with Exists tolerates everything.
        let everything = F.pod("p", tolerations: [F.toleration(operator: "Exists")])
        #expect(run(SchedulerFilters.taintToleration, everything, node) == nil)
        #expect(run(SchedulerFilters.taintToleration, F.pod("p"), node)?.resolvable == false)
    }

    @Test func notReadyNodesAreFilteredThroughTheirTaints() {
        let notReady = F.node("n1", taints: [Taint(key: "node.kubernetes.io/not-ready", effect: "NoSchedule"),
                                             Taint(key: "node.kubernetes.io/not-ready", effect: "NoExecute")])
        // DefaultTolerationSeconds gives every pod a NoExecute toleration; the NoSchedule taint still rejects.
        let pod = F.pod("p", tolerations: [F.toleration(key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute")])
        #expect(run(SchedulerFilters.taintToleration, pod, notReady)?.reasons == ["node(s) had untolerated taint {node.kubernetes.io/not-ready: }"])
    }

    @Test func nodeAffinityChecksTheSelectorAndRequiredTerms() {
        let node = F.node("n1", labels: ["disk": "ssd", "zone": "a", "cores": "8"])
        let reason = "node(s) didn't match Pod's node affinity/selector"
        #expect(run(SchedulerFilters.nodeAffinity, F.pod("p", nodeSelector: ["disk": "ssd"]), node) == nil)
        #expect(run(SchedulerFilters.nodeAffinity, F.pod("p", nodeSelector: ["disk": "hdd"]), node) == .unresolvable("NodeAffinity", reason))

        func required(_ terms: [JSONValue]) -> JSONValue {
            .object(["nodeAffinity": .object(["requiredDuringSchedulingIgnoredDuringExecution": .object(["nodeSelectorTerms": .array(terms)])])])
        }
        func expr(_ key: String, _ op: String, _ values: [String] = [], field: Bool = false) -> JSONValue {
            .object([field ? "matchFields" : "matchExpressions": .array([.object([
                "key": .string(key), "operator": .string(op), "values": .array(values.map(JSONValue.string))])])])
        }
        let cases: [(JSONValue, Bool)] = [
            (expr("zone", "In", ["a", "b"]), true), (expr("zone", "In", ["c"]), false),
            (expr("zone", "NotIn", ["c"]), true), (expr("zone", "NotIn", ["a"]), false), (expr("missing", "NotIn", ["x"]), true),
            (expr("disk", "Exists"), true), (expr("gpu", "Exists"), false),
            (expr("gpu", "DoesNotExist"), true), (expr("disk", "DoesNotExist"), false),
            (expr("cores", "Gt", ["4"]), true), (expr("cores", "Gt", ["8"]), false),
            (expr("cores", "Lt", ["16"]), true), (expr("cores", "Lt", ["8"]), false), (expr("zone", "Gt", ["1"]), false),
            (expr("metadata.name", "In", ["n1"], field: true), true), (expr("metadata.name", "In", ["n2"], field: true), false),
            (expr("metadata.name", "NotIn", ["n2"], field: true), true),
            (.object([:]), false),  // an empty term matches nothing
        ]
        for (term, fits) in cases {
            let rejection = run(SchedulerFilters.nodeAffinity, F.pod("p", affinity: required([term])), node)
            #expect((rejection == nil) == fits, "term \(term)")
        }
        // Terms are ORed; requirements within a term are ANDed.
        #expect(run(SchedulerFilters.nodeAffinity, F.pod("p", affinity: required([expr("zone", "In", ["c"]), expr("disk", "Exists")])), node) == nil)
        let both: JSONValue = .object(["matchExpressions": .array([
            .object(["key": .string("zone"), "operator": .string("In"), "values": .array([.string("a")])]),
            .object(["key": .string("gpu"), "operator": .string("Exists")]),
        ])])
        #expect(run(SchedulerFilters.nodeAffinity, F.pod("p", affinity: required([both])), node) != nil)
    }

    @Test func nodePortsRejectsAPortAlreadyBound() {
        let node = F.node("n1")
        let holder = F.pod("holder", node: "n1", hostPort: 8080)
        let rejection = run(SchedulerFilters.nodePorts, F.pod("p", hostPort: 8080), node, pods: [holder])
        #expect(rejection == .unschedulable("NodePorts", ["node(s) didn't have free ports for the requested pod ports"]))
        #expect(run(SchedulerFilters.nodePorts, F.pod("p", hostPort: 8081), node, pods: [holder]) == nil)
        // A specific address does not clash with another specific address, but does with 0.0.0.0.
        let used: Set<HostPort> = [HostPort(ip: "10.0.0.1", port: 53)]
        #expect(!HostPort(ip: "10.0.0.2", port: 53).conflicts(with: used))
        #expect(HostPort(port: 53).conflicts(with: used))
        #expect(!HostPort(protocol: "UDP", port: 53).conflicts(with: used))
        #expect(HostPort(ip: "10.0.0.2", port: 53).conflicts(with: [HostPort(port: 53)]))
    }

    @Test func nodeResourcesFitReportsEveryShortfall() {
        let node = F.node("n1", cpu: "1", memory: "1Gi", pods: 2)
        let resident = F.pod("resident", cpu: "600m", memory: "512Mi", node: "n1")
        #expect(run(SchedulerFilters.nodeResourcesFit, F.pod("p", cpu: "400m", memory: "512Mi"), node, pods: [resident]) == nil)
        let rejection = run(SchedulerFilters.nodeResourcesFit, F.pod("p", cpu: "401m", memory: "513Mi"), node, pods: [resident])
        #expect(rejection == .unschedulable("NodeResourcesFit", ["Insufficient cpu", "Insufficient memory"]))
        let full = F.pod("other", node: "n1")
        #expect(run(SchedulerFilters.nodeResourcesFit, F.pod("p"), node, pods: [resident, full])?.reasons == ["Too many pods"])
        // Pods without requests always fit on room alone.
        #expect(run(SchedulerFilters.nodeResourcesFit, F.pod("p"), node, pods: [resident]) == nil)
    }

    @Test func podRequestsCountInitContainersSidecarsAndOverhead() {
        func container(_ cpu: String, sidecar: Bool = false) -> JSONValue {
            var c: [String: JSONValue] = ["name": .string("c\(cpu)"), "resources": .object(["requests": .object(["cpu": .string(cpu)])])]
            if sidecar { c["restartPolicy"] = .string("Always") }
            return .object(c)
        }
        let pod: JSONValue = .object(["spec": .object([
            "containers": .array([container("100m"), container("200m")]),
            "initContainers": .array([container("250m", sidecar: true), container("500m"), container("50m")]),
            "overhead": .object(["cpu": .string("10m")]),
        ])])
        // max(300m app + 250m sidecar, 500m init + 250m sidecar before it) + 10m overhead.
        #expect(PodRequests.requests(of: pod).milliCPU == 760)
        let limitsOnly: JSONValue = .object(["spec": .object(["containers": .array([
            .object(["name": .string("a"), "resources": .object(["limits": .object(["memory": .string("64Mi")])])]),
        ])])])
        #expect(PodRequests.requests(of: limitsOnly).memory == 64 * 1024 * 1024)
        #expect(PodRequests.nonZeroRequests(of: limitsOnly).milliCPU == PodRequests.defaultMilliCPU)
    }

    @Test func quantitiesParseAsApimachineryReadsThem() {
        let cases: [(String, Int64, Int64)] = [
            ("100m", 1, 100), ("1", 1, 1000), ("1.5", 2, 1500), ("0.5", 1, 500), ("128Mi", 134_217_728, 134_217_728_000),
            ("1Gi", 1_073_741_824, 1_073_741_824_000), ("1G", 1_000_000_000, 1_000_000_000_000), ("2k", 2000, 2_000_000),
            ("1e3", 1000, 1_000_000), ("1E3", 1000, 1_000_000), ("5e-3", 1, 5), ("250u", 1, 1), ("+3", 3, 3000),
            ("-2", -2, -2000), ("1Ki", 1024, 1_024_000), (".5", 1, 500), ("1E", 1_000_000_000_000_000_000, Int64.max),
        ]
        for (text, value, milli) in cases {
            #expect(Quantity(text)?.int64Value == value, "\(text) value")
            #expect(Quantity(text)?.milliValue == milli, "\(text) milli")
        }
        for bad in ["", "1x", "Mi", "1.2.3", "1 Gi", "e3", "1e"] {
            #expect(Quantity(bad) == nil, "\(bad)")
        }
        #expect(Quantity(json: .integer(2))?.milliValue == 2000)
    }
}
