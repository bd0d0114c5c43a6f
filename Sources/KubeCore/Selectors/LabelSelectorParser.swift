/// The lexer and recursive-descent parser for label selector query strings, following
/// apimachinery's `labels.Parser` token for token so the same strings are accepted and
/// rejected with the same messages.
struct LabelSelectorParser {
    /// The tokens of the selector grammar.
    enum Token: Equatable {
        case identifier, doesNotExist, equals, doubleEquals, notEquals, greaterThan, lessThan
        case openParenthesis, closedParenthesis, comma, `in`, notIn, end
    }

    /// Where the parser is: keywords `in` and `notin` are only keywords where an operator
    /// may stand; elsewhere they are plain identifiers (a label may be called `in`).
    enum Context { case keyAndOperator, values }

    /// The scanned tokens with their text, ending with `.end`.
    private var items: [(token: Token, literal: String)] = []
    /// The next token to consume.
    private var position = 0

    /// Scans `text` completely up front.
    init(_ text: String) {
        items = Self.scan(text)
    }

    /// The requirements, in the order written.
    mutating func parse() throws(SelectorError) -> [LabelSelector.Requirement] {
        var requirements: [LabelSelector.Requirement] = []
        while true {
            let (token, literal) = lookahead(.values)
            switch token {
            case .identifier, .doesNotExist:
                do {
                    requirements.append(try parseRequirement())
                } catch {
                    throw SelectorError("unable to parse requirement: \(error.message)")
                }
                let (next, nextLiteral) = consume(.values)
                switch next {
                case .end:
                    return requirements
                case .comma:
                    let (after, afterLiteral) = lookahead(.values)
                    if after != .identifier && after != .doesNotExist {
                        throw SelectorError("found '\(afterLiteral)', expected: identifier after ','")
                    }
                default:
                    throw SelectorError("found '\(nextLiteral)', expected: ',' or 'end of string'")
                }
            case .end:
                return requirements
            default:
                throw SelectorError("found '\(literal)', expected: !, identifier, or 'end of string'")
            }
        }
    }

    /// One requirement: a key with its operator and values.
    private mutating func parseRequirement() throws(SelectorError) -> LabelSelector.Requirement {
        var (token, literal) = consume(.values)
        var op: LabelSelector.Operator?
        if token == .doesNotExist {
            op = .doesNotExist
            (token, literal) = consume(.values)
        }
        guard token == .identifier else {
            throw SelectorError("found '\(literal)', expected: identifier")
        }
        let key = literal
        let keyErrors = LabelValidation.keyErrors(key)
        if !keyErrors.isEmpty {
            throw SelectorError("<nil>: Invalid value: \(goQuoted(key)): \(keyErrors.joined(separator: "; "))")
        }
        // A bare key (or !key) is complete when a comma or the end follows. `!key` is unary
        // even when something else follows; the caller then rejects what follows.
        let next = lookahead(.values).token
        if op == nil && (next == .end || next == .comma) { op = .exists }
        if let op { return try LabelSelector.Requirement(key: key, op: op, values: []) }

        let binary = try parseOperator()
        let values: [String]
        switch binary {
        case .in, .notIn: values = try parseValues()
        default: values = try parseExactValue()
        }
        return try LabelSelector.Requirement(key: key, op: binary, values: values)
    }

    /// A binary operator.
    private mutating func parseOperator() throws(SelectorError) -> LabelSelector.Operator {
        let (token, literal) = consume(.keyAndOperator)
        switch token {
        case .in: return .in
        case .notIn: return .notIn
        case .equals: return .equals
        case .doubleEquals: return .doubleEquals
        case .notEquals: return .notEquals
        case .greaterThan: return .greaterThan
        case .lessThan: return .lessThan
        default: throw SelectorError("found '\(literal)', expected: in, notin, =, ==, !=, gt, lt")
        }
    }

    /// The parenthesized list after `in` or `notin`. Empty entries count as the empty
    /// value: `()` and `(a,)` both include "".
    private mutating func parseValues() throws(SelectorError) -> [String] {
        let (token, literal) = consume(.values)
        guard token == .openParenthesis else {
            throw SelectorError("found '\(literal)' expected: '('")
        }
        let (next, nextLiteral) = lookahead(.values)
        switch next {
        case .identifier, .comma:
            let values = try parseIdentifiersList()
            if consume(.values).token != .closedParenthesis {
                throw SelectorError("found '\(nextLiteral)', expected: ')'")
            }
            return values
        case .closedParenthesis:
            _ = consume(.values)
            return [""]
        default:
            throw SelectorError("found '\(nextLiteral)', expected: ',', ')' or identifier")
        }
    }

    /// Comma-separated values up to (not including) the closing parenthesis.
    private mutating func parseIdentifiersList() throws(SelectorError) -> [String] {
        var values: [String] = []
        while true {
            let (token, literal) = consume(.values)
            switch token {
            case .identifier:
                values.append(literal)
                let (next, nextLiteral) = lookahead(.values)
                switch next {
                case .comma: continue
                case .closedParenthesis: return values
                default: throw SelectorError("found '\(nextLiteral)', expected: ',' or ')'")
                }
            case .comma:
                if values.isEmpty { values.append("") } // "(,"
                let next = lookahead(.values).token
                if next == .closedParenthesis {
                    values.append("") // ",)"
                    return values
                }
                if next == .comma {
                    _ = consume(.values)
                    values.append("") // ",,"
                }
            default:
                throw SelectorError("found '\(literal)', expected: ',', or identifier")
            }
        }
    }

    /// The single value after `=`, `==`, `!=`, `>` or `<`; nothing before a comma or the
    /// end means the empty value (`tier=` selects an empty label).
    private mutating func parseExactValue() throws(SelectorError) -> [String] {
        let next = lookahead(.values).token
        if next == .end || next == .comma { return [""] }
        let (token, literal) = consume(.values)
        guard token == .identifier else {
            throw SelectorError("found '\(literal)', expected: identifier")
        }
        return [literal]
    }

    // MARK: Tokens

    /// The next token without consuming it.
    private func lookahead(_ context: Context) -> (token: Token, literal: String) {
        let item = items[min(position, items.count - 1)]
        return (Self.adjust(item.token, context), item.literal)
    }

    /// The next token, consumed.
    private mutating func consume(_ context: Context) -> (token: Token, literal: String) {
        let item = lookahead(context)
        position += 1
        return item
    }

    /// In value position `in` and `notin` are identifiers.
    private static func adjust(_ token: Token, _ context: Context) -> Token {
        if context == .values && (token == .in || token == .notIn) { return .identifier }
        return token
    }

    /// Characters that separate tokens ("\r\n" is one Character in Swift).
    private static let whitespace: Set<Character> = [" ", "\t", "\r", "\n", "\r\n"]
    /// Characters that make up operators and punctuation.
    private static let specials: Set<Character> = ["=", "!", "(", ")", ",", ">", "<"]
    /// The operator and punctuation spellings.
    private static let symbols: [String: Token] = [
        "!": .doesNotExist, "!=": .notEquals, "(": .openParenthesis, ")": .closedParenthesis,
        ",": .comma, "=": .equals, "==": .doubleEquals, ">": .greaterThan, "<": .lessThan,
    ]

    /// Splits `text` into tokens: runs of special characters by longest match, anything
    /// else up to whitespace or a special character as an identifier or keyword.
    private static func scan(_ text: String) -> [(token: Token, literal: String)] {
        var result: [(token: Token, literal: String)] = []
        let characters = Array(text)
        var i = 0
        while i < characters.count {
            let c = characters[i]
            if whitespace.contains(c) {
                i += 1
            } else if specials.contains(c) {
                // Every single special character is a symbol, so the match is never empty.
                var length = 1
                if i + 1 < characters.count, symbols[String(characters[i...(i + 1)])] != nil { length = 2 }
                let literal = String(characters[i..<(i + length)])
                result.append((symbols[literal]!, literal))
                i += length
            } else {
                var j = i
                while j < characters.count && !whitespace.contains(characters[j]) && !specials.contains(characters[j]) {
                    j += 1
                }
                let literal = String(characters[i..<j])
                let token: Token = literal == "in" ? .in : literal == "notin" ? .notIn : .identifier
                result.append((token, literal))
                i = j
            }
        }
        result.append((.end, ""))
        return result
    }
}
