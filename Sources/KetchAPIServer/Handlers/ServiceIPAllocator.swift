import Foundation
import KetchPKI
import KubeCore

/// Hands out Service cluster IPs from `--service-cluster-ip-range` as kube-apiserver's bitmap
/// allocator does: offset `i` of the bitmap is the address `network + 1 + i` (offset 0 is the
/// `kubernetes` Service's), the broadcast address is never used, and the bitmap lives in the
/// RangeAllocation at `<root>/ranges/serviceips` (see `ServiceIPAllocator+Range.swift`).
struct ServiceIPAllocator: Sendable {
    /// The range's first address as a 32-bit number, and its size.
    let base: UInt32
    let size: UInt32

    /// Parses an IPv4 CIDR such as `10.96.0.0/12`; anything else gets kube's default range.
    init(cidr: String) {
        if let network = IPNetwork(cidr), let address = network.address.ipv4Value {
            base = address
            // A /0 shifts out to 0, which `cidr` still prints as /0.
            size = UInt32(1) << UInt32(network.hostBits)
        } else {
            base = 0x0A60_0000
            size = 1 << 20
        }
    }

    /// The first service IP (the `kubernetes` Service's).
    var first: String { Self.text(base + 1) }

    /// The bitmap offsets of the range: every address but the network and broadcast ones.
    var offsets: Range<Int> { 0..<max(Int(size) - 2, 0) }

    /// The range as `ADDRESS/PREFIX`, as the RangeAllocation's `range` records it.
    var cidr: String { "\(Self.text(base))/\(32 - size.trailingZeroBitCount)" }

    /// The address at a bitmap offset.
    func address(at offset: Int) -> String {
        Self.text(base &+ 1 &+ UInt32(offset))
    }

    /// The bitmap offset of a dotted IPv4 address, nil when it is not one or lies outside the range.
    func offset(of ip: String) -> Int? {
        guard let value = IPAddress(ip)?.ipv4Value, value > base else { return nil }
        let offset = Int(value - base) - 1
        return offsets.contains(offset) ? offset : nil
    }

    /// Dotted text of an IPv4 address held as a number.
    static func text(_ value: UInt32) -> String {
        IPAddress(ipv4: value).description
    }
}
