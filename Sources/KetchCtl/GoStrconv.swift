import Foundation
import GoText

/// Go's `strconv.ParseInt` / `ParseUint` with their error texts.
enum GoStrconv {
    static func parseInt(_ text: String, base: Int = 10) throws -> Int64 {
        if let v = Int64(text, radix: base), !text.hasPrefix("+") || text.count > 1 { return v }
        throw CtlFailure(CtlExit.error, "strconv.ParseInt: parsing \(GoQuote.quote(text)): \(rangeOrSyntax(text, base: base, signed: true))")
    }

    static func parseUint(_ text: String, base: Int = 10) throws -> UInt64 {
        if !text.hasPrefix("+"), !text.hasPrefix("-"), let v = UInt64(text, radix: base) { return v }
        throw CtlFailure(CtlExit.error, "strconv.ParseUint: parsing \(GoQuote.quote(text)): \(rangeOrSyntax(text, base: base, signed: false))")
    }

    private static func rangeOrSyntax(_ text: String, base: Int, signed: Bool) -> String {
        var body = Substring(text)
        if signed, body.hasPrefix("-") || body.hasPrefix("+") { body = body.dropFirst() }
        let digits = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".prefix(base <= 10 ? base : 10 + 2 * (base - 10)))
        let valid = !body.isEmpty && body.allSatisfy { c in
            if c.isNumber { return digits.contains(c) }
            return base > 10 && digits.contains(c)
        }
        return valid ? "value out of range" : "invalid syntax"
    }
}
