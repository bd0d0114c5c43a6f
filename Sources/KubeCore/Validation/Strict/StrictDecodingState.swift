/// What strict decoding tracks while the parser walks a document: where it is (as the field
/// path Go's decoder reports), which schema node describes it, and the errors so far.
struct StrictDecodingState {
    let schema: StrictSchema?
    /// Whether duplicates are reported as go-yaml reports them (`line 5: key "name" already set
    /// in map`) rather than as `duplicate field "metadata.name"`: for YAML bodies, which kube
    /// converts to JSON with go-yaml first.
    let yamlDuplicates: Bool
    private(set) var errors: [String] = []
    /// go-yaml's duplicate-key lines, when ``yamlDuplicates``.
    private(set) var duplicateLines: [String] = []
    private var reported = Set<String>()
    /// Go's `errorContext.FieldStack`: member names, a list index joined to its list's name.
    private var path: [String] = []
    private var savedSegments: [String] = []

    /// Go's decoder stops collecting after this many.
    static let maxErrors = 100

    init(schema: StrictSchema?, yamlDuplicates: Bool = false) {
        self.schema = schema
        self.yamlDuplicates = yamlDuplicates
    }

    /// Notes member `key` of an object described by `node`; returns the member's own node.
    /// `line` is the key's line, asked for only when a duplicate is reported go-yaml's way.
    mutating func enterMember(_ key: String, of node: Int?, duplicate: Bool, line: () -> Int = { 0 }) -> Int? {
        var child: Int?
        var unknown = false
        if let node, let schema {
            switch schema.node(node) {
            case .object(let members, let preservesUnknown):
                child = members[key]
                unknown = child == nil && !preservesUnknown
            case .map(let values):
                child = values
            case .open, .list, .scalar, .quantity:
                child = nil
            }
        }
        path.append(key)
        if unknown {
            save("unknown field \(goQuoted(path.joined(separator: ".")))")
        } else if duplicate {
            if yamlDuplicates {
                duplicateLines.append("line \(line()): key \(goQuoted(key)) already set in map")
            } else {
                save("duplicate field \(goQuoted(path.joined(separator: ".")))")
            }
        }
        return child
    }

    /// Leaves the member entered last.
    mutating func leave() {
        path.removeLast()
    }

    /// Notes item `index` of a list described by `node`; returns the item's node.
    mutating func enterItem(_ index: Int, of node: Int?) -> Int? {
        if let last = path.popLast() {
            savedSegments.append(last)
            path.append("\(last)[\(index)]")
        } else {
            savedSegments.append("")
            path.append("[\(index)]")
        }
        guard let node, let schema, case .list(let items, _) = schema.node(node) else { return nil }
        return items
    }

    /// Leaves the list item entered last.
    mutating func leaveItem() {
        path.removeLast()
        let saved = savedSegments.removeLast()
        if !saved.isEmpty { path.append(saved) }
    }

    /// Walks a decoded value as the parser would have, members in key order: what kube's
    /// converter from unstructured reports for a patched object, and its YAML path.
    mutating func walk(_ value: JSONValue, node: Int?) {
        switch value {
        case .object(let members):
            for key in members.keys.sorted() {
                let child = enterMember(key, of: node, duplicate: false)
                walk(members[key]!, node: child)
                leave()
            }
        case .array(let items):
            for (index, item) in items.enumerated() {
                let child = enterItem(index, of: node)
                walk(item, node: child)
                leaveItem()
            }
        default:
            break
        }
    }

    private mutating func save(_ message: String) {
        guard errors.count < Self.maxErrors, reported.insert(message).inserted else { return }
        errors.append(message)
    }
}
