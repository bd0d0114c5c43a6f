import KetchPKI

/// Hands out pod addresses from one node's podCIDR, as the CNI host-local IPAM plugin does
/// for a kind or kubeadm node: never the network address, the gateway (`.1`) or the IPv4
/// broadcast address; the next free address after the last one given (wrapping around), so a
/// released address is reused only once the others have had their turn.
///
/// Addresses are held per pod uid. After a restart the caller reserves the addresses its
/// pods already report, then allocation carries on around them.
public struct PodIPAllocator: Sendable {
    /// The node's pod network.
    public let network: IPNetwork
    private var byPod: [String: Int] = [:]
    private var taken: Set<Int> = []
    private var last = 1
    /// The first usable offset (after the network address and the gateway) and the end of the
    /// usable range (before the broadcast address for IPv4; capped for huge IPv6 blocks).
    private let first = 2
    private let end: Int

    /// An allocator for `podCIDR` (`10.244.1.0/24`, `fd00:10:244:1::/64`); nil when it does not
    /// parse or leaves no room for a pod.
    public init?(podCIDR: String) {
        guard let network = IPNetwork(podCIDR) else { return nil }
        let size = network.hostBits >= 24 ? 1 << 24 : 1 << network.hostBits
        let end = network.family == .ipv4 && network.hostBits < 24 ? size - 1 : size
        guard end > first else { return nil }
        self.network = network
        self.end = end
    }

    /// The address of `podUID`: the one it holds, or the next free one; nil when the range is
    /// full.
    public mutating func address(for podUID: String) -> String? {
        if let held = byPod[podUID] { return network.address(at: held)?.description }
        let count = end - first
        for step in 1...count {
            let offset = first + (last - first + step) % count
            guard !taken.contains(offset) else { continue }
            taken.insert(offset)
            byPod[podUID] = offset
            last = offset
            return network.address(at: offset)?.description
        }
        return nil
    }

    /// Records that `podUID` already holds `ip` (it reports it in `status.podIP`). Returns
    /// false when the address is outside the range or held by another pod.
    @discardableResult
    public mutating func reserve(_ ip: String, for podUID: String) -> Bool {
        guard let offset = offset(of: ip), offset >= first, offset < end else { return false }
        if let holder = byPod.first(where: { $0.value == offset })?.key { return holder == podUID }
        if let previous = byPod[podUID] { taken.remove(previous) }
        taken.insert(offset)
        byPod[podUID] = offset
        return true
    }

    /// Gives back the address of `podUID` (the pod is gone or finished).
    public mutating func release(_ podUID: String) {
        guard let offset = byPod.removeValue(forKey: podUID) else { return }
        taken.remove(offset)
    }

    /// The address `podUID` holds, if any.
    public func address(of podUID: String) -> String? {
        byPod[podUID].flatMap { network.address(at: $0)?.description }
    }

    /// How many addresses are held.
    public var allocatedCount: Int { byPod.count }

    /// The offset of `ip` from the network address, when `ip` is in the network.
    private func offset(of ip: String) -> Int? {
        guard let address = IPAddress(ip), address.family == network.family,
              IPNetwork(masking: address, prefixLength: network.prefixLength) == network else { return nil }
        // Usable offsets fit in the last three bytes; anything further out is out of range.
        let pairs = Array(zip(address.bytes, network.address.bytes))
        guard pairs.dropLast(3).allSatisfy({ $0.0 == $0.1 }) else { return nil }
        return pairs.suffix(3).reduce(0) { $0 << 8 | Int($1.0 - $1.1) }
    }
}
