/// An IP network in CIDR notation, e.g. the service CIDR `10.96.0.0/12`.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The network address (host bits cleared).
    public let address: IPAddress
    /// The prefix length in bits.
    public let prefixLength: Int

    /// Parses `ADDRESS/PREFIX`; host bits are cleared, as Go's `ParseCIDR` does.
    public init(_ text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let parsed = IPAddress(String(parts[0])), let prefix = Int(parts[1]) else {
            throw PKIError.invalidParameter(name: "CIDR", value: text, reason: "expected ADDRESS/PREFIX, e.g. 10.96.0.0/12")
        }
        let bits = parsed.bytes.count * 8
        guard (0...bits).contains(prefix) else {
            throw PKIError.invalidParameter(name: "CIDR", value: text, reason: "prefix length must be 0…\(bits)")
        }
        var masked = parsed.bytes
        for index in masked.indices {
            let keep = max(0, min(8, prefix - index * 8))
            masked[index] &= keep == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - keep))
        }
        address = IPAddress(bytes: masked)!
        prefixLength = prefix
    }

    /// The address `index` positions after the network address (kubeadm's `GetIndexedIP`).
    public func address(at index: UInt64) throws -> IPAddress {
        let hostBits = address.bytes.count * 8 - prefixLength
        if hostBits < 64, index >= (UInt64(1) << hostBits) {
            throw PKIError.invalidParameter(
                name: "CIDR", value: description, reason: "too small to hold an address at index \(index)")
        }
        var result = address.bytes
        var carry = index
        for position in result.indices.reversed() where carry > 0 {
            let sum = UInt64(result[position]) + (carry & 0xFF)
            result[position] = UInt8(truncatingIfNeeded: sum)
            carry = (carry >> 8) + (sum >> 8)
        }
        return IPAddress(bytes: result)!
    }

    /// The first host address: the API server's service IP for a service CIDR.
    public func firstAddress() throws -> IPAddress {
        try address(at: 1)
    }

    /// `ADDRESS/PREFIX`.
    public var description: String { "\(address)/\(prefixLength)" }
}
