/// CPU and memory in use by a container, a pod or a node: the `usage` of the metrics API.
public struct ResourceUsage: Sendable, Hashable {
    /// CPU in nanocores (a thousand-millionth of a core), the unit metrics-server reports.
    public var nanocores: Int64
    /// Memory (the working set) in bytes.
    public var bytes: Int64

    /// Creates a usage.
    public init(nanocores: Int64, bytes: Int64) {
        self.nanocores = nanocores
        self.bytes = bytes
    }

    /// Nothing in use.
    public static let zero = ResourceUsage(nanocores: 0, bytes: 0)

    /// The sum of two usages, as a pod's is the sum of its containers'.
    public static func + (a: ResourceUsage, b: ResourceUsage) -> ResourceUsage {
        ResourceUsage(nanocores: a.nanocores + b.nanocores, bytes: a.bytes + b.bytes)
    }

    /// `{"cpu": "1364195n", "memory": "33180Ki"}`, as metrics-server serializes a ResourceList.
    public var json: JSONValue {
        .object([
            "cpu": .string(MetricsQuantity.cpu(nanocores: nanocores)),
            "memory": .string(MetricsQuantity.memory(bytes: bytes)),
        ])
    }

    /// The usage a `usage` object holds; nil members read as zero.
    public init(json: JSONValue?) {
        let cpu = MetricsQuantity.amount(json?["cpu"]) ?? 0
        let memory = MetricsQuantity.amount(json?["memory"]) ?? 0
        self.init(nanocores: Int64((cpu * 1e9).rounded()), bytes: Int64(memory.rounded()))
    }
}
