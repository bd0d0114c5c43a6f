import Foundation

/// The IP and CIDR syntax checks of apimachinery's `IsValidIP`, `IsValidCIDR` and core's
/// `ValidateNonSpecialIP`, with netutils' sloppy parsing (IPv4 octets may have leading zeros).
enum IPAddressCheck {
    /// `IsValidIP`'s message.
    static let invalidIPMessage = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
    /// `IsValidCIDR`'s message.
    static let invalidCIDRMessage = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"

    /// The four octets of an IPv4 address, nil when `text` is not one.
    static func ipv4(_ text: String) -> [Int]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = Int(part), value <= 255 else { return nil }
            octets.append(value)
        }
        return octets
    }

    /// The sixteen bytes of an IPv6 address, nil when `text` is not one.
    static func ipv6(_ text: String) -> [UInt8]? {
        guard text.contains(":") else { return nil }
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    /// Whether `text` is an IP address netutils' `ParseIPSloppy` accepts.
    static func isIP(_ text: String) -> Bool { ipv4(text) != nil || ipv6(text) != nil }

    /// Whether `text` is an IPv6 address (`netutils.IsIPv6String`).
    static func isIPv6(_ text: String) -> Bool { ipv4(text) == nil && ipv6(text) != nil }

    /// `IsValidIP`.
    static func ipErrors(_ text: String, _ path: FieldPath) -> [FieldError] {
        isIP(text) ? [] : [FieldError(path, .invalid(value: .string(text), detail: invalidIPMessage))]
    }

    /// `IsValidCIDR`: an address, `/`, and a prefix length that fits it.
    static func cidrErrors(_ text: String, _ path: FieldPath) -> [FieldError] {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2, let bits = Int(parts[1]), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }) {
            let address = String(parts[0])
            if ipv4(address) != nil, bits <= 32 { return [] }
            if ipv6(address) != nil, bits <= 128 { return [] }
        }
        return [FieldError(path, .invalid(value: .string(text), detail: invalidCIDRMessage))]
    }

    /// `ValidateNonSpecialIP`: no unspecified, loopback or link-local address.
    static func nonSpecialErrors(_ text: String, _ path: FieldPath) -> [FieldError] {
        var problems: [String] = []
        if let octets = ipv4(text) {
            if octets == [0, 0, 0, 0] { problems.append("may not be unspecified (\(text))") }
            if octets[0] == 127 { problems.append("may not be in the loopback range (127.0.0.0/8, ::1/128)") }
            if octets[0] == 169, octets[1] == 254 { problems.append("may not be in the link-local range (169.254.0.0/16, fe80::/10)") }
            if octets[0] == 224, octets[1] == 0, octets[2] == 0 { problems.append("may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)") }
        } else if let bytes = ipv6(text) {
            if bytes.allSatisfy({ $0 == 0 }) { problems.append("may not be unspecified (\(text))") }
            if bytes.dropLast().allSatisfy({ $0 == 0 }), bytes[15] == 1 { problems.append("may not be in the loopback range (127.0.0.0/8, ::1/128)") }
            if bytes[0] == 0xfe, bytes[1] & 0xc0 == 0x80 { problems.append("may not be in the link-local range (169.254.0.0/16, fe80::/10)") }
            if bytes[0] == 0xff, bytes[1] & 0x0f == 0x02 { problems.append("may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)") }
        }
        return problems.map { FieldError(path, .invalid(value: .string(text), detail: $0)) }
    }
}
