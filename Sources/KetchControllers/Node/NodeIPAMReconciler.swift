import KetchPKI
import KubeClient
import KubeCore
import Synchronization

/// kube-controller-manager's `node-ipam-controller` (range allocator): with
/// `--allocate-node-cidrs`, every Node without `spec.podCIDR` gets the lowest free
/// `/--node-cidr-mask-size` subnet of `--cluster-cidr`.
public struct NodeIPAMReconciler: Reconciler {
    /// The catalogue entry.
    public static let descriptor = ControllerDescriptor.reconciler("node-ipam-controller", aliases: ["nodeipam"]) {
        NodeIPAMReconciler()
    }

    /// Subnets handed out by this process, by node: the cache may not show a patch yet when the
    /// next node is reconciled (upstream keeps the same in-memory cidrSet).
    private let assigned = AssignedCIDRs()

    /// Nodes.
    public init() {}

    public var primary: ResourceType { BuiltinResources.nodes }
    /// One at a time: two workers would hand out the same subnet.
    public var workers: Int { 1 }

    public func reconcile(_ key: ObjectKey, context: ControllerContext) async throws -> ReconcileResult {
        guard context.options.allocateNodeCIDRs, let cidr = context.options.clusterCIDR,
              let cluster = IPNetwork(cidr) else { return .done }
        let informer = context.informer(BuiltinResources.nodes)
        guard let node = informer.get(key), (node["spec"]?["podCIDR"]?.string ?? "").isEmpty else { return .done }
        let nodes = informer.list()
        let used = Set(nodes.flatMap(Self.podCIDRs)).union(assigned.current(keeping: Set(nodes.compactMap { $0["metadata"]?["name"]?.string })))
        // A node reconciled again before the cache shows its patch keeps the subnet it got.
        guard let subnet = assigned.cidr(for: key.name).flatMap(IPNetwork.init)
                ?? Self.firstFree(in: cluster, maskSize: context.options.nodeCIDRMaskSize, used: used) else {
            context.events.record(node, type: "Normal", reason: "CIDRNotAvailable",
                                  message: "Node \(key.name) status is now: CIDRNotAvailable")
            return .requeue(after: .seconds(30))
        }
        let patch: JSONValue = .object(["spec": .object([
            "podCIDR": .string(subnet.description), "podCIDRs": .array([.string(subnet.description)]),
        ])])
        _ = try await context.api.patch(BuiltinResources.nodes, namespace: nil, name: key.name, patch, kind: .merge, subresource: nil)
        assigned.record(subnet.description, for: key.name)
        return .done
    }

    /// The CIDRs a node holds.
    static func podCIDRs(_ node: JSONValue) -> [String] {
        let list = (node["spec"]?["podCIDRs"]?.array ?? []).compactMap(\.string)
        if !list.isEmpty { return list }
        return [node["spec"]?["podCIDR"]?.string].compactMap { $0 }.filter { !$0.isEmpty }
    }

    /// The lowest `/maskSize` subnet of `cluster` that is not in `used`.
    static func firstFree(in cluster: IPNetwork, maskSize: Int, used: Set<String>) -> IPNetwork? {
        guard cluster.family == .ipv4, maskSize >= cluster.prefixLength, maskSize <= 32,
              let base = cluster.address.ipv4Value else { return nil }
        let count = 1 << min(maskSize - cluster.prefixLength, 20)
        let step = UInt32(1) << UInt32(32 - maskSize)
        for index in 0..<count {
            let subnet = IPNetwork(masking: IPAddress(ipv4: base &+ UInt32(index) &* step), prefixLength: maskSize)
            if !used.contains(subnet.description) { return subnet }
        }
        return nil
    }
}

/// The subnets one node-ipam controller has handed out, by node name.
final class AssignedCIDRs: Sendable {
    private let table = Mutex<[String: String]>([:])

    /// The subnet `node` got, if any.
    func cidr(for node: String) -> String? { table.withLock { $0[node] } }

    /// Remembers that `node` got `cidr`.
    func record(_ cidr: String, for node: String) { table.withLock { $0[node] = cidr } }

    /// The subnets of nodes that still exist (forgetting the others, whose subnets are free again).
    func current(keeping nodes: Set<String>) -> Set<String> {
        table.withLock { t in
            t = t.filter { nodes.contains($0.key) }
            return Set(t.values)
        }
    }
}
