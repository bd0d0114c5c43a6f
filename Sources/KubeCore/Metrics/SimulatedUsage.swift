import Foundation

/// The usage simulated containers and nodes report: derived from requests, limits and
/// allocatable capacity, moving slowly with time, and the same for everyone who asks at the same
/// scrape. docs/metrics.md states the formula for users; keep the two in step.
///
/// A container uses a fraction of its request (its limit when it has no request; a small default
/// when it has neither): CPU between 10% and 90%, following two sine waves (5 minutes and
/// 45 seconds), memory between 45% and 65%, following a 15-minute wave. Each wave's phase comes
/// from a hash of the pod's uid and the container's name, so replicas of one Deployment differ.
/// Usage never exceeds the container's limit. A node adds a system overhead (kubelet,
/// container runtime, the OS) to the sum of its pods, never exceeding its capacity.
public enum SimulatedUsage {
    /// CPU of a container that requests and limits none: 5m.
    static let defaultCPUCores = 0.005
    /// Memory of a container that requests and limits none: 16Mi.
    static let defaultMemoryBytes = 16.0 * 1024 * 1024
    /// Working sets are whole pages.
    static let pageBytes: Int64 = 4096

    /// One container's usage at `time` (Unix seconds), `podUID` telling pods apart.
    public static func container(_ container: JSONValue, podUID: String, at time: Int64) -> ResourceUsage {
        let name = container["name"]?.string ?? ""
        let seed = podUID + "/" + name
        let resources = container["resources"]
        let cpuLimit = positive(resources?["limits"]?["cpu"])
        let memoryLimit = positive(resources?["limits"]?["memory"])
        let cpuBase = positive(resources?["requests"]?["cpu"]) ?? cpuLimit ?? defaultCPUCores
        let memoryBase = positive(resources?["requests"]?["memory"]) ?? memoryLimit ?? defaultMemoryBytes

        let cpuFraction = 0.5 + 0.3 * wave(seed + "/cpu", period: 300, at: time)
            + 0.1 * wave(seed + "/cpu-burst", period: 45, at: time)
        let memoryFraction = 0.55 + 0.1 * wave(seed + "/memory", period: 900, at: time)
        var cores = cpuBase * cpuFraction
        var bytes = memoryBase * memoryFraction
        if let cpuLimit { cores = min(cores, cpuLimit) }
        if let memoryLimit { bytes = min(bytes, memoryLimit) }
        return ResourceUsage(nanocores: max(0, Int64((cores * 1e9).rounded())), bytes: pages(bytes))
    }

    /// What a node's system uses beside its pods at `time`: 50m plus 1% of its allocatable CPU,
    /// ±20% over 10 minutes; 256Mi plus 3% of its allocatable memory, ±5% over 30 minutes.
    public static func systemOverhead(node: JSONValue, at time: Int64) -> ResourceUsage {
        let name = node["metadata"]?["name"]?.string ?? ""
        let allocatable = node["status"]?["allocatable"] ?? node["status"]?["capacity"]
        let cores = MetricsQuantity.amount(allocatable?["cpu"]) ?? 0
        let memory = MetricsQuantity.amount(allocatable?["memory"]) ?? 0
        let cpu = (0.05 + 0.01 * cores) * (1 + 0.2 * wave(name + "/cpu", period: 600, at: time))
        let bytes = (256 * 1024 * 1024 + 0.03 * memory) * (1 + 0.05 * wave(name + "/memory", period: 1800, at: time))
        return ResourceUsage(nanocores: Int64((cpu * 1e9).rounded()), bytes: pages(bytes))
    }

    /// A node's usage: its system overhead plus its pods', capped at its capacity.
    public static func node(_ node: JSONValue, pods: ResourceUsage, at time: Int64) -> ResourceUsage {
        var usage = systemOverhead(node: node, at: time) + pods
        let capacity = node["status"]?["capacity"] ?? node["status"]?["allocatable"]
        if let cores = MetricsQuantity.amount(capacity?["cpu"]), cores > 0 {
            usage.nanocores = min(usage.nanocores, Int64((cores * 1e9).rounded()))
        }
        if let memory = MetricsQuantity.amount(capacity?["memory"]), memory > 0 {
            usage.bytes = min(usage.bytes, pages(memory))
        }
        return usage
    }

    /// A quantity above zero, in units; nil when absent, unreadable or zero (a zero request
    /// does not stop a container from using something).
    static func positive(_ json: JSONValue?) -> Double? {
        guard let amount = MetricsQuantity.amount(json), amount > 0 else { return nil }
        return amount
    }

    /// Bytes rounded down to whole pages, at least one page.
    static func pages(_ bytes: Double) -> Int64 {
        max(pageBytes, Int64(bytes) / pageBytes * pageBytes)
    }

    /// `sin(2πt/period + phase)`, the phase fixed by `seed`: in [-1, 1], deterministic.
    static func wave(_ seed: String, period: Double, at time: Int64) -> Double {
        let phase = Double(fnv1a(seed) % 10_000) / 10_000 * 2 * Double.pi
        return sin(2 * Double.pi * Double(time) / period + phase)
    }

    /// FNV-1a (64-bit): a hash that, unlike Swift's `Hasher`, is the same in every process.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
