import Foundation

/// The string formats a CRD schema may name (apiextensions-apiserver `validation/formats.go`,
/// 1.33: the set introduced in 1.0) and the checks kube-openapi's `strfmt.Default` registry
/// makes for them.
enum SchemaFormats {
    /// Formats kube-apiserver 1.33 honours on string fields, by go-openapi's normalised name
    /// (dashes removed: `date-time` is `datetime`).
    static let supported: Set<String> = [
        "bsonobjectid", "uri", "email", "hostname", "ipv4", "ipv6", "cidr", "mac", "uuid", "uuid3",
        "uuid4", "uuid5", "isbn", "isbn10", "isbn13", "creditcard", "ssn", "hexcolor", "rgbcolor",
        "byte", "password", "date", "duration", "datetime", "quantity",
    ]

    /// go-openapi's `DefaultNameNormalizer`.
    static func normalized(_ format: String) -> String { format.replacingOccurrences(of: "-", with: "") }

    /// `StripUnsupportedFormatsPostProcess`: the format validation sees for a node of `type`,
    /// or "" when kube-apiserver drops it.
    static func supportedFormat(_ format: String, forType type: String) -> String {
        guard !format.isEmpty else { return "" }
        switch type {
        case "", "string": return supported.contains(normalized(format)) ? format : ""
        case "integer": return format == "int32" || format == "int64" ? format : ""
        case "number": return format == "float" || format == "double" ? format : ""
        default: return ""
        }
    }

    /// Whether `strfmt.Default` knows the format (it registers every supported one but
    /// `quantity`, which therefore is never checked).
    static func isRegistered(_ format: String) -> Bool {
        let name = normalized(format)
        return name != "quantity" && supported.contains(name)
    }

    /// Whether `value` is valid for the registered `format`.
    static func validates(_ format: String, _ value: String) -> Bool {
        switch normalized(format) {
        case "password": return true
        case "bsonobjectid": return value.utf8.count == 24 && value.allSatisfy(\.isHexDigit)
        case "uri": return isRequestURI(value)
        case "email": return isEmail(value)
        case "hostname": return isHostname(value)
        case "ipv4": return IPText.parseIP(value) != nil && value.contains(".")
        case "ipv6": return IPText.parseIP(value) != nil && value.contains(":")
        case "cidr": return IPText.isCIDR(value)
        case "mac": return isMAC(value)
        case "uuid": return matches(value, uuidPattern(version: nil))
        case "uuid3": return matches(value, uuidPattern(version: "3"))
        case "uuid4": return matches(value, uuidPattern(version: "4"))
        case "uuid5": return matches(value, uuidPattern(version: "5"))
        case "isbn": return isISBN10(value) || isISBN13(value)
        case "isbn10": return isISBN10(value)
        case "isbn13": return isISBN13(value)
        case "creditcard": return isCreditCard(value)
        case "ssn": return value.utf8.count >= 9 && matches(value, #"^\d{3}[- ]?\d{2}[- ]?\d{4}$"#)
        case "hexcolor": return matches(value, "^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
        case "rgbcolor":
            let byte = #"\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*"#
            return matches(value, "^rgb\\(\(byte),\(byte),\(byte)\\)$")
        case "byte":
            return matches(value, #"^(?:[A-Za-z0-9+\/]{4})*(?:[A-Za-z0-9+\/]{2}==|[A-Za-z0-9+\/]{3}=|[A-Za-z0-9+\/]{4})$"#)
        case "date": return isDate(value)
        case "datetime": return isDateTime(value)
        case "duration": return isDuration(value)
        default: return true
        }
    }

    private static func matches(_ value: String, _ pattern: String) -> Bool {
        value.range(of: pattern, options: .regularExpression) != nil
    }

    private static func uuidPattern(version: String?) -> String {
        guard let version else { return "(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$" }
        let variant = version == "3" ? "[0-9a-f]" : "[89ab]"
        return "(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?\(version)[0-9a-f]{3}-?\(variant)[0-9a-f]{3}-?[0-9a-f]{12}$"
    }

    /// Go's `url.ParseRequestURI`: an absolute URI or an absolute path, without control
    /// characters or spaces in the authority.
    private static func isRequestURI(_ value: String) -> Bool {
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) { return false }
        if value.hasPrefix("/") { return true }
        return matches(value, "^[A-Za-z][A-Za-z0-9+.-]*:[^ ]*")
    }

    /// `mail.ParseAddress` reduced to its common forms: `local@domain` or `Name <local@domain>`.
    private static func isEmail(_ value: String) -> Bool {
        let address = #"[^@\s<>()\[\],;:"]+@[^@\s<>()\[\],;:"]+"#
        return matches(value, "^\(address)$") || matches(value, "^[^<>]*<\(address)>$")
    }

    /// `strfmt.IsHostname`.
    private static func isHostname(_ value: String) -> Bool {
        let pattern = #"^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$"#
        guard matches(value, pattern), value.utf8.count <= 255 else { return false }
        return value.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { $0.utf8.count <= 63 }
    }

    /// `net.ParseMAC`: six, eight or twenty octets as `aa:bb:…`, `aa-bb-…` or `aabb.ccdd.…`.
    private static func isMAC(_ value: String) -> Bool {
        let octets = ["6", "8", "20"]
        for count in octets {
            let n = Int(count)! - 1
            if matches(value, "^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){\(n)}$") { return true }
            if matches(value, "^[0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2}){\(n)}$") { return true }
            let groups = (n + 1) / 2 - 1
            if matches(value, "^[0-9A-Fa-f]{4}(\\.[0-9A-Fa-f]{4}){\(groups)}$") { return true }
        }
        return false
    }

    private static func isbnDigits(_ value: String) -> [Character] {
        Array(value.filter { $0 != " " && $0 != "-" })
    }

    /// govalidator `IsISBN10`: nine digits and a check digit or `X`.
    private static func isISBN10(_ value: String) -> Bool {
        let chars = isbnDigits(value)
        guard chars.count == 10, chars.prefix(9).allSatisfy(\.isPlainDigit),
              chars[9].isPlainDigit || chars[9] == "X" else { return false }
        var sum = 0
        for (i, c) in chars.prefix(9).enumerated() { sum += (i + 1) * Int(String(c))! }
        sum += chars[9] == "X" ? 100 : 10 * Int(String(chars[9]))!
        return sum % 11 == 0
    }

    /// govalidator `IsISBN13`.
    private static func isISBN13(_ value: String) -> Bool {
        let chars = isbnDigits(value)
        guard chars.count == 13, chars.allSatisfy(\.isPlainDigit) else { return false }
        let digits = chars.map { Int(String($0))! }
        var sum = 0
        for i in 0..<12 { sum += digits[i] * (i % 2 == 0 ? 1 : 3) }
        return (10 - sum % 10) % 10 == digits[12]
    }

    /// govalidator `IsCreditCard`: a known issuer's number passing the Luhn check.
    private static func isCreditCard(_ value: String) -> Bool {
        let digits = value.filter { $0 != " " && $0 != "-" }
        let issuers = #"^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|(222[1-9]|22[3-9][0-9]|2[3-6][0-9]{2}|27[01][0-9]|2720)[0-9]{12}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\d{3})\d{11}|6[27][0-9]{14})$"#
        guard matches(digits, issuers) else { return false }
        var sum = 0
        for (i, c) in digits.reversed().enumerated() {
            var d = Int(String(c))!
            if i % 2 == 1 { d *= 2; if d > 9 { d -= 9 } }
            sum += d
        }
        return sum % 10 == 0
    }

    /// `time.Parse("2006-01-02", s)`: a real calendar date.
    private static func isDate(_ value: String) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              parts.allSatisfy({ $0.allSatisfy(\.isPlainDigit) }), (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }

    /// `strfmt.IsDateTime`.
    private static func isDateTime(_ value: String) -> Bool {
        guard value.count >= 4 else { return false }
        let parts = value.lowercased().split(separator: "t", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, isDate(parts[0]) else { return false }
        let pattern = #"^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$"#
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: parts[1], range: NSRange(parts[1].startIndex..., in: parts[1])) else { return false }
        func group(_ i: Int) -> String {
            Range(match.range(at: i), in: parts[1]).map { String(parts[1][$0]) } ?? ""
        }
        return group(1) <= "23" && group(2) <= "59" && group(3) <= "59"
    }

    /// `strfmt.ParseDuration`: Go's `time.ParseDuration`, or Scala-style `<n> <unit>` terms.
    private static func isDuration(_ value: String) -> Bool {
        if isGoDuration(value) { return true }
        guard let regex = try? NSRegularExpression(pattern: #"((\d+)\s*([A-Za-zµ]+))"#) else { return false }
        let units: [[String]] = [["ns", "nano"], ["us", "µs", "micro"], ["ms", "milli"], ["s", "sec"],
                                 ["m", "min"], ["h", "hr", "hour"], ["d", "day"], ["w", "wk", "week"]]
        for match in regex.matches(in: value, range: NSRange(value.startIndex..., in: value)) {
            guard let range = Range(match.range(at: 3), in: value) else { continue }
            let unit = value[range].lowercased().trimmingCharacters(in: .whitespaces)
            for variants in units {
                for (i, variant) in variants.enumerated()
                where (i == variants.count - 1 && unit.hasPrefix(variant)) || variant.lowercased() == unit {
                    return true
                }
            }
        }
        return false
    }

    /// Go's `time.ParseDuration` grammar: `[-+]` then `<number><unit>` terms, or `0`.
    private static func isGoDuration(_ value: String) -> Bool {
        var text = Substring(value)
        if text.first == "-" || text.first == "+" { text = text.dropFirst() }
        if text == "0" { return true }
        return !text.isEmpty && String(text).range(
            of: #"^([0-9]*(\.[0-9]*)?(ns|us|µs|μs|ms|s|m|h))+$"#, options: .regularExpression) != nil
            && text.contains(where: \.isPlainDigit)
    }
}

/// IP address parsing as Go's `net.ParseIP` and `netutils.ParseCIDRSloppy` accept it
/// (IPv4 parts may carry leading zeros, as the sloppy parser allows).
enum IPText {
    /// The address's bytes, nil when it is not an IP address.
    static func parseIP(_ text: String) -> [UInt8]? {
        if text.contains(":") { return parseIPv6(text) }
        return parseIPv4(text)
    }

    static func parseIPv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isPlainDigit), let n = Int(part), n <= 255 else { return nil }
            bytes.append(UInt8(n))
        }
        return bytes
    }

    static func parseIPv6(_ text: String) -> [UInt8]? {
        var groups: [UInt16] = []
        var tail: [UInt16] = []
        var sawGap = false
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func parse(_ part: String, into out: inout [UInt16], allowV4: Bool) -> Bool {
            guard !part.isEmpty else { return true }
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            for (i, field) in fields.enumerated() {
                if allowV4, i == fields.count - 1, field.contains(".") {
                    guard let v4 = parseIPv4(String(field)) else { return false }
                    out.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                    out.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
                    continue
                }
                guard (1...4).contains(field.count), let n = UInt16(field, radix: 16) else { return false }
                out.append(n)
            }
            return true
        }
        if halves.count == 2 {
            sawGap = true
            guard parse(halves[0], into: &groups, allowV4: false), parse(halves[1], into: &tail, allowV4: true) else { return nil }
        } else {
            guard parse(halves[0], into: &groups, allowV4: true) else { return nil }
        }
        let total = groups.count + tail.count
        if sawGap { guard total < 8 else { return nil } } else { guard total == 8 else { return nil } }
        let all = groups + Array(repeating: 0, count: 8 - total) + tail
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }
    }

    /// `ParseCIDRSloppy`: `<ip>/<prefix>` with a prefix that fits the address family.
    static func isCIDR(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let ip = parseIP(String(parts[0])),
              !parts[1].isEmpty, parts[1].allSatisfy(\.isPlainDigit), let bits = Int(parts[1]) else { return false }
        return bits <= ip.count * 8
    }
}

extension Character {
    /// `0`–`9` only (Go's parsers accept no other digits).
    fileprivate var isPlainDigit: Bool { ("0"..."9").contains(self) }
}
