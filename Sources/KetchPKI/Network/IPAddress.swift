import Foundation

/// An IPv4 or IPv6 address, parsed and printed by the C library so its forms match Go's `net`:
/// the one address type for certificates' SANs, `ketch init`'s configuration, the apiserver's
/// service range and etcd's `--auto-tls` certificate.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address family, named as Kubernetes names it in `ipFamilies` and `addressType`.
    public enum Family: String, Sendable {
        case ipv4 = "IPv4"
        case ipv6 = "IPv6"
    }

    /// Network-order bytes: 4 for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// Parses dotted IPv4 or any textual IPv6 form; nil for anything else (names, CIDRs, brackets).
    ///
    /// An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) becomes IPv4, as Go's `To4()` makes it
    /// in kubeadm's certificates and Kubernetes' family checks.
    public init?(_ text: String) {
        var v4 = [UInt8](repeating: 0, count: 4)
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = v4
            return
        }
        var v6 = [UInt8](repeating: 0, count: 16)
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xFF, 0xFF]
        bytes = v6.starts(with: mappedPrefix) ? Array(v6[12...]) : v6
    }

    /// Wraps raw bytes (4 or 16); nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// The IPv4 address whose network-order bytes are `value`'s big-endian bytes (`0x0A600001` is `10.96.0.1`).
    public init(ipv4 value: UInt32) {
        bytes = [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    /// The address as one number, for arithmetic over a range; nil for IPv6.
    public var ipv4Value: UInt32? {
        isIPv4 ? bytes.reduce(0) { $0 << 8 | UInt32($1) } : nil
    }

    /// The loopback address of `family` (`127.0.0.1` or `::1`), as kubeadm picks for local endpoints.
    public static func loopback(_ family: Family) -> IPAddress {
        family == .ipv4 ? IPAddress(bytes: [127, 0, 0, 1])! : IPAddress(bytes: Array(repeating: 0, count: 15) + [1])!
    }

    /// IPv4 or IPv6.
    public var family: Family { bytes.count == 4 ? .ipv4 : .ipv6 }

    /// Whether this is an IPv4 address.
    public var isIPv4: Bool { family == .ipv4 }

    /// Whether this is `0.0.0.0` or `::`.
    public var isUnspecified: Bool { bytes.allSatisfy { $0 == 0 } }

    /// Canonical text (`10.96.0.1`, `::1`), as Go and OpenSSL print it.
    public var description: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = isIPv4 ? AF_INET : AF_INET6
        return text.withUnsafeMutableBufferPointer { out in
            guard inet_ntop(family, bytes, out.baseAddress, socklen_t(out.count)) != nil else { return "?" }
            return String(cString: out.baseAddress!)
        }
    }

    /// The host part of a URL: IPv6 in brackets, as Go's `net.JoinHostPort` writes it.
    public var urlHost: String { isIPv4 ? description : "[\(description)]" }
}
