/// What a `${NAME}` placeholder in a template stands for.
///
/// A scalar that is exactly one placeholder takes the value's type (an integer stays a number,
/// a list becomes a list); a placeholder inside longer text is spliced in as text. `absent`
/// removes the whole scalar: the mapping entry or list item that held it disappears, which is how
/// templates express flags and fields that exist only for some inputs.
public enum TemplateValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case strings([String])
    case absent

    /// `.string(text)`, or `.absent` when `text` is nil.
    public static func optional(_ text: String?) -> TemplateValue {
        text.map(TemplateValue.string) ?? .absent
    }
}

/// Placeholder values by name (the `NAME` of `${NAME}`).
public typealias TemplateValues = [String: TemplateValue]

/// The outcome of expanding the placeholders of one scalar.
enum Expansion: Equatable {
    /// No placeholder: keep the scalar as written.
    case unchanged
    case value(TemplateValue)
}

/// Finds and replaces `${NAME}` placeholders in one string.
struct PlaceholderExpander {
    let values: TemplateValues
    /// Names the template in errors.
    let template: String

    func expand(_ text: String) throws -> Expansion {
        guard text.contains("${") else { return .unchanged }
        let pieces = try split(text)
        if pieces.count == 1, case .placeholder(let name) = pieces[0] {
            return .value(try value(name))
        }
        var out = ""
        for piece in pieces {
            switch piece {
            case .text(let t):
                out += t
            case .placeholder(let name):
                switch try value(name) {
                case .string(let s): out += s
                case .integer(let n): out += String(n)
                case .absent: return .value(.absent)
                case .strings:
                    throw BootstrapError.templateInvalid(path: template, reason: "list placeholder ${\(name)} inside text \"\(text)\"")
                }
            }
        }
        return .value(.string(out))
    }

    private enum Piece { case text(String), placeholder(String) }

    private func split(_ text: String) throws -> [Piece] {
        var pieces: [Piece] = []
        var rest = text[...]
        while let open = rest.range(of: "${") {
            if open.lowerBound > rest.startIndex { pieces.append(.text(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                throw BootstrapError.templateInvalid(path: template, reason: "unclosed placeholder in \"\(text)\"")
            }
            pieces.append(.placeholder(String(rest[open.upperBound..<close])))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { pieces.append(.text(String(rest))) }
        return pieces
    }

    private func value(_ name: String) throws -> TemplateValue {
        guard let v = values[name] else { throw BootstrapError.unknownPlaceholder(name: name, template: template) }
        return v
    }
}
