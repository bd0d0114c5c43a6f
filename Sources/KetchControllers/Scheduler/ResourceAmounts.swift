import KubeCore

/// Amounts of the resources the scheduler accounts for, as kube-scheduler's
/// `framework.Resource`: cpu in millicores, memory and ephemeral storage in bytes, a pod
/// count, and extended resources (`nvidia.com/gpu`, `hugepages-2Mi`) by name.
public struct ResourceAmounts: Sendable, Hashable {
    /// cpu, in thousandths of a core.
    public var milliCPU: Int64 = 0
    /// memory, in bytes.
    public var memory: Int64 = 0
    /// ephemeral-storage, in bytes.
    public var ephemeralStorage: Int64 = 0
    /// pods (only meaningful for a node's allocatable).
    public var pods: Int64 = 0
    /// Every other resource, in units.
    public var scalars: [String: Int64] = [:]

    /// Nothing.
    public init() {}

    /// The amounts of a `ResourceList` object (`{"cpu": "100m", "memory": "64Mi"}`); entries
    /// that do not parse count as zero, as the apiserver would have refused them anyway.
    public init(list: JSONValue?) {
        for (name, text) in list?.object ?? [:] {
            guard let quantity = Quantity(json: text) else { continue }
            switch name {
            case "cpu": milliCPU += quantity.milliValue
            case "memory": memory += quantity.int64Value
            case "ephemeral-storage": ephemeralStorage += quantity.int64Value
            case "pods": pods += quantity.int64Value
            default:
                if Self.isScalar(name) { scalars[name, default: 0] += quantity.int64Value }
            }
        }
    }

    /// Whether `name` is accounted by name: a domain-prefixed resource (`example.com/dongle`,
    /// or a native one under `kubernetes.io/`), `hugepages-*` or `attachable-volumes-*`
    /// (kube-scheduler's `IsScalarResourceName`).
    static func isScalar(_ name: String) -> Bool {
        if name.hasPrefix("hugepages-") || name.hasPrefix("attachable-volumes-") { return true }
        if name.contains("kubernetes.io/") { return true }
        return name.contains("/") && !name.hasPrefix("requests.")
    }

    /// Whether every amount is zero.
    public var isZero: Bool {
        milliCPU == 0 && memory == 0 && ephemeralStorage == 0 && pods == 0 && scalars.values.allSatisfy { $0 == 0 }
    }

    /// Adds `other` to these amounts.
    public mutating func add(_ other: ResourceAmounts) {
        milliCPU += other.milliCPU
        memory += other.memory
        ephemeralStorage += other.ephemeralStorage
        pods += other.pods
        for (name, amount) in other.scalars { scalars[name, default: 0] += amount }
    }

    /// Subtracts `other` from these amounts.
    public mutating func subtract(_ other: ResourceAmounts) {
        milliCPU -= other.milliCPU
        memory -= other.memory
        ephemeralStorage -= other.ephemeralStorage
        pods -= other.pods
        for (name, amount) in other.scalars { scalars[name, default: 0] -= amount }
    }

    /// Raises each amount to `other`'s where that is larger (init containers run one at a time).
    public mutating func raise(to other: ResourceAmounts) {
        milliCPU = max(milliCPU, other.milliCPU)
        memory = max(memory, other.memory)
        ephemeralStorage = max(ephemeralStorage, other.ephemeralStorage)
        pods = max(pods, other.pods)
        for (name, amount) in other.scalars { scalars[name] = max(scalars[name] ?? 0, amount) }
    }

    /// The sum of two amounts.
    public static func + (lhs: ResourceAmounts, rhs: ResourceAmounts) -> ResourceAmounts {
        var sum = lhs
        sum.add(rhs)
        return sum
    }

    /// The difference of two amounts, resource by resource.
    public static func - (lhs: ResourceAmounts, rhs: ResourceAmounts) -> ResourceAmounts {
        var difference = lhs
        difference.subtract(rhs)
        return difference
    }
}
