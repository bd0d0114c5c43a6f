import Foundation

/// An IPv4 or IPv6 address, as it appears in a certificate's subjectAltName.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// Network-order bytes: 4 for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// Parses dotted IPv4 or textual IPv6.
    ///
    /// An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) becomes IPv4, as Go's `To4()` makes it
    /// in kubeadm's certificates.
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

    /// Whether this is an IPv4 address.
    public var isIPv4: Bool { bytes.count == 4 }

    /// Canonical text (`10.96.0.1`, `::1`), as Go and OpenSSL print it.
    public var description: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = isIPv4 ? AF_INET : AF_INET6
        return text.withUnsafeMutableBufferPointer { out in
            guard inet_ntop(family, bytes, out.baseAddress, socklen_t(out.count)) != nil else { return "?" }
            return String(cString: out.baseAddress!)
        }
    }
}
