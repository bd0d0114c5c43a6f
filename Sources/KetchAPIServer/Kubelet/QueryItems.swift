/// A URL query as Go's `url.ParseQuery` reads it: ordered `name=value` pairs, repeated names
/// kept (exec's `command=` is one per argument), `+` as a space and `%XX` escapes decoded.
/// kubectl builds these queries with Go's encoder, which writes spaces as `+`.
public struct QueryItems: Sendable, Equatable {
    /// The pairs in order.
    public var items: [(name: String, value: String)]

    /// Parses the raw query (without the `?`).
    public init(_ rawQuery: String) {
        items = rawQuery.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            return (Self.decode(parts[0]), value)
        }
    }

    /// Every value of `name`, in order.
    public func all(_ name: String) -> [String] { items.filter { $0.name == name }.map(\.value) }

    /// The first value of `name`.
    public subscript(_ name: String) -> String? { items.first { $0.name == name }?.value }

    /// A boolean parameter as Go's `strconv.ParseBool` reads it (`1`, `t`, `true`, …); absent → false.
    public func bool(_ name: String) -> Bool {
        guard let value = self[name] else { return false }
        return ["1", "t", "T", "true", "TRUE", "True"].contains(value)
    }

    public static func == (lhs: QueryItems, rhs: QueryItems) -> Bool {
        lhs.items.map(\.name) == rhs.items.map(\.name) && lhs.items.map(\.value) == rhs.items.map(\.value)
    }

    /// Percent-decodes one component, `+` meaning space; malformed escapes stay as written.
    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                if utf8.count >= 2, let high = hex(utf8[utf8.startIndex]), let low = hex(utf8[utf8.startIndex + 1]) {
                    bytes.append(high << 4 | low)
                    utf8 = utf8.dropFirst(2)
                } else {
                    bytes.append(byte)
                }
            default:
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
