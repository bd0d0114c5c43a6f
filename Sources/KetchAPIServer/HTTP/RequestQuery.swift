import Foundation
import Hummingbird

/// A request's query parameters, percent-decoded, keeping repeated keys (exec's `command=`).
struct RequestQuery: Sendable {
    /// Every value of every key, in order.
    let all: [(String, String)]

    /// Reads the query of `request`.
    init(_ request: Request) {
        self.init(raw: request.uri.query ?? "")
    }

    /// Parses a raw query string as Go's `url.ParseQuery` does: `+` is a space.
    init(raw: String) {
        all = raw.split(separator: "&").map { part in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(pieces[0]), pieces.count > 1 ? decode(pieces[1]) : "")
        }
    }

    /// Creates a query from pairs (tests).
    init(pairs: [(String, String)]) {
        all = pairs
    }

    /// The first value of `key`.
    subscript(_ key: String) -> String? {
        all.first { $0.0 == key }?.1
    }

    /// Every value of `key`.
    func values(_ key: String) -> [String] {
        all.filter { $0.0 == key }.map(\.1)
    }

    /// The first value of each key.
    var first: [String: String] {
        var out: [String: String] = [:]
        for (k, v) in all where out[k] == nil { out[k] = v }
        return out
    }

    /// A boolean parameter (`true`/`1`).
    func flag(_ key: String) -> Bool {
        guard let v = self[key]?.lowercased() else { return false }
        return v == "true" || v == "1"
    }
}
