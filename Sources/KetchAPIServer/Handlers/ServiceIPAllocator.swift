import Foundation
import KubeCore

/// Hands out Service cluster IPs from `--service-cluster-ip-range`, skipping the first
/// address (the `kubernetes` Service's) and any in use.
struct ServiceIPAllocator: Sendable {
    /// The range's first address as a 32-bit number, and its size.
    let base: UInt32
    let size: UInt32

    /// Parses an IPv4 CIDR such as `10.96.0.0/12`.
    init(cidr: String) {
        let parts = cidr.split(separator: "/")
        let octets = parts.first.map { $0.split(separator: ".").compactMap { UInt32($0) } } ?? []
        let bits = parts.count > 1 ? UInt32(parts[1]) ?? 12 : 12
        if octets.count == 4 {
            base = octets.reduce(0) { $0 << 8 | $1 } & (bits == 0 ? 0 : ~UInt32(0) << (32 - bits))
            size = bits >= 32 ? 1 : UInt32(1) << (32 - bits)
        } else {
            base = 0x0A60_0000
            size = 1 << 20
        }
    }

    /// The first service IP (the `kubernetes` Service's).
    var first: String { Self.text(base + 1) }

    /// A free address, chosen at random as kube-apiserver's allocator does.
    func allocate(store: RegistryObjectStore) async throws -> String {
        let services = try await store.list(BuiltinResources.services, namespace: nil).items
        let used = Set(services.compactMap { $0["spec"]?["clusterIP"]?.string })
        for _ in 0..<64 {
            let offset = UInt32.random(in: 2..<max(size - 1, 3))
            let ip = Self.text(base + offset)
            if !used.contains(ip) { return ip }
        }
        throw KubeStatus.internalError("failed to allocate a serviceIP: range is full")
    }

    static func text(_ value: UInt32) -> String {
        "\(value >> 24 & 0xFF).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }
}
