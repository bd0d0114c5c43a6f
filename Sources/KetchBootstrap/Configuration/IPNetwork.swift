/// A CIDR block such as `10.96.0.0/12`. Like Go's `net.ParseCIDR`, host bits in the text are
/// dropped (`10.96.0.1/12` is `10.96.0.0/12`).
struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The network address (host bits zero).
    let address: IPAddress
    let prefixLength: Int

    var family: IPAddress.Family { address.family }

    /// Parses `ADDRESS/PREFIX`; nil when either part does not parse or the prefix is too long.
    init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let ip = IPAddress(String(parts[0])),
              let prefix = Int(parts[1]), parts[1].allSatisfy(\.isNumber),
              prefix >= 0, prefix <= ip.bytes.count * 8 else { return nil }
        self.init(masking: ip, prefixLength: prefix)
    }

    /// The network of `prefixLength` bits that holds `ip`.
    init(masking ip: IPAddress, prefixLength: Int) {
        var bytes = ip.bytes
        for i in bytes.indices {
            let keep = max(0, min(8, prefixLength - i * 8))
            bytes[i] &= keep == 8 ? 0xff : ~(0xff >> UInt8(keep))
        }
        address = IPAddress(bytes: bytes)!
        self.prefixLength = prefixLength
    }

    /// Bits left for hosts.
    var hostBits: Int { address.bytes.count * 8 - prefixLength }

    /// The address `offset` places after the network address, or nil past the end of the block
    /// (Kubernetes' `GetIndexedIP`: offset 1 is the `kubernetes` Service, 10 the cluster DNS).
    func address(at offset: Int) -> IPAddress? {
        guard offset >= 0, hostBits >= 63 || offset < (1 << hostBits) else { return nil }
        var bytes = address.bytes
        var carry = UInt64(offset)
        var i = bytes.count - 1
        while carry > 0 && i >= 0 {
            let sum = UInt64(bytes[i]) + (carry & 0xff)
            bytes[i] = UInt8(sum & 0xff)
            carry = (carry >> 8) + (sum >> 8)
            i -= 1
        }
        return carry == 0 ? IPAddress(bytes: bytes) : nil
    }

    /// The first sub-block with `length` prefix bits (the first node's pod CIDR), or this block
    /// itself when it is already that small.
    func firstSubnet(prefixLength length: Int) -> IPNetwork {
        length <= prefixLength ? self : IPNetwork(masking: address, prefixLength: length)
    }

    var description: String { "\(address)/\(prefixLength)" }
}
