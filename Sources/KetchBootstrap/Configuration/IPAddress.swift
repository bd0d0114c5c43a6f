#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address, parsed and printed by the C library so its forms match Go's `net`.
/// Internal: KetchPKI has a public type of the same name for certificates; this one adds what
/// URLs and templates need without clashing for modules that import both.
struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address family, named as Kubernetes names it in `ipFamilies` and `addressType`.
    enum Family: String, Sendable {
        case ipv4 = "IPv4"
        case ipv6 = "IPv6"
    }

    /// Network-order bytes: 4 for IPv4, 16 for IPv6.
    let bytes: [UInt8]

    var family: Family { bytes.count == 4 ? .ipv4 : .ipv6 }

    /// Parses dotted IPv4 or any textual IPv6 form; nil for anything else (names, CIDRs, brackets).
    init?(_ text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        return nil
    }

    /// An address of `bytes.count` 4 or 16.
    init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// The loopback address of `family` (`127.0.0.1` or `::1`), as kubeadm picks for local endpoints.
    static func loopback(_ family: Family) -> IPAddress {
        family == .ipv4 ? IPAddress(bytes: [127, 0, 0, 1])! : IPAddress(bytes: Array(repeating: 0, count: 15) + [1])!
    }

    /// Whether this is `0.0.0.0` or `::`.
    var isUnspecified: Bool { bytes.allSatisfy { $0 == 0 } }

    /// The canonical text (`10.96.0.1`, `fd00::1`).
    var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let af = family == .ipv4 ? AF_INET : AF_INET6
        bytes.withUnsafeBytes { raw in
            _ = inet_ntop(af, raw.baseAddress, &buffer, socklen_t(buffer.count))
        }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The host part of a URL: IPv6 in brackets, as Go's `net.JoinHostPort` writes it.
    var urlHost: String { family == .ipv6 ? "[\(description)]" : description }
}
