/// An IP network in CIDR notation, e.g. the service CIDR `10.96.0.0/12`. Like Go's
/// `net.ParseCIDR`, host bits in the text are dropped (`10.96.0.1/12` is `10.96.0.0/12`).
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The network address (host bits cleared).
    public let address: IPAddress
    /// The prefix length in bits.
    public let prefixLength: Int

    /// Parses `ADDRESS/PREFIX`; nil when either part does not parse or the prefix is too long.
    public init?(_ text: String) {
        guard let network = try? IPNetwork(validating: text) else { return nil }
        self = network
    }

    /// Parses `ADDRESS/PREFIX`, saying what is wrong when it does not parse.
    /// - Throws: `PKIError.invalidParameter` named "CIDR".
    public init(validating text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        // Digits only, as Go's ParseCIDR wants: Int() alone would take "+12".
        guard parts.count == 2, let parsed = IPAddress(String(parts[0])),
              !parts[1].isEmpty, parts[1].allSatisfy({ ("0"..."9").contains($0) }), let prefix = Int(parts[1])
        else {
            throw PKIError.invalidParameter(name: "CIDR", value: text, reason: "expected ADDRESS/PREFIX, e.g. 10.96.0.0/12")
        }
        let bits = parsed.bytes.count * 8
        guard prefix <= bits else {
            throw PKIError.invalidParameter(name: "CIDR", value: text, reason: "prefix length must be 0…\(bits)")
        }
        self.init(masking: parsed, prefixLength: prefix)
    }

    /// The network of `prefixLength` bits that holds `ip`.
    public init(masking ip: IPAddress, prefixLength: Int) {
        var masked = ip.bytes
        for index in masked.indices {
            let keep = max(0, min(8, prefixLength - index * 8))
            masked[index] &= keep == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - keep))
        }
        address = IPAddress(bytes: masked)!
        self.prefixLength = prefixLength
    }

    /// IPv4 or IPv6.
    public var family: IPAddress.Family { address.family }

    /// Bits left for hosts.
    public var hostBits: Int { address.bytes.count * 8 - prefixLength }

    /// The address `offset` places after the network address, or nil past the end of the block
    /// (Kubernetes' `GetIndexedIP`: offset 1 is the `kubernetes` Service, 10 the cluster DNS).
    public func address(at offset: Int) -> IPAddress? {
        guard offset >= 0, hostBits >= 63 || offset < (1 << hostBits) else { return nil }
        var result = address.bytes
        var carry = UInt64(offset)
        for position in result.indices.reversed() where carry > 0 {
            let sum = UInt64(result[position]) + (carry & 0xFF)
            result[position] = UInt8(truncatingIfNeeded: sum)
            carry = (carry >> 8) + (sum >> 8)
        }
        return carry == 0 ? IPAddress(bytes: result) : nil
    }

    /// The first sub-block with `length` prefix bits (the first node's pod CIDR), or this block
    /// itself when it is already that small.
    public func firstSubnet(prefixLength length: Int) -> IPNetwork {
        length <= prefixLength ? self : IPNetwork(masking: address, prefixLength: length)
    }

    /// `ADDRESS/PREFIX`.
    public var description: String { "\(address)/\(prefixLength)" }
}
