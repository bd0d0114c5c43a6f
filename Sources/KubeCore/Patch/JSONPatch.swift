/// RFC 6902 JSON Patch (`application/json-patch+json`): an array of operations applied in
/// order, any failure rejecting the whole patch.
///
/// Where the RFC leaves room, this behaves like the evanphx/json-patch v4 library that
/// kube-apiserver uses, so clients see what a real cluster would do: a missing `value`
/// means `null`, negative array indices count from the end, `test` against a missing member
/// with `null` passes, and the messages are that library's.
public enum JSONPatch {
    /// Applies `patch`, a JSON array of operation objects, to `doc`.
    /// - Throws: `PatchError` (code 400 when `patch` is not an array of objects; 422 when an
    ///   operation does not apply, e.g. `testing value /data/x failed: test failed`).
    public static func apply(_ patch: JSONValue, to doc: JSONValue) throws(PatchError) -> JSONValue {
        guard case .array(let operations) = patch else {
            throw .badRequest("json: cannot unmarshal \(patch.goTypeName) into Go value of type jsonpatch.Patch")
        }
        var doc = doc
        for operation in operations {
            guard case .object(let fields) = operation else {
                throw .badRequest("json: cannot unmarshal \(operation.goTypeName) into Go value of type jsonpatch.Operation")
            }
            try apply(fields, to: &doc)
        }
        return doc
    }

    /// Applies one operation object.
    private static func apply(_ op: [String: JSONValue], to doc: inout JSONValue) throws(PatchError) {
        let kind = op["op"]?.string ?? "unknown"
        // A missing value is null rather than an error: json-patch v4 decodes it that way.
        let operand = op["value"] ?? .null
        switch kind {
        case "add":
            let path = try pointer(op, "path", for: kind)
            try add(operand, at: path, in: &doc) { "add operation does not apply: doc is missing path: \"\(path)\": missing value" }
        case "remove":
            let path = try pointer(op, "path", for: kind)
            _ = try remove(path, from: &doc) { "remove operation does not apply: doc is missing path: \"\(path)\": missing value" }
        case "replace":
            try replace(operand, at: try pointer(op, "path", for: kind), in: &doc)
        case "move":
            let from = try pointer(op, "from", for: kind)
            let path = try pointer(op, "path", for: kind)
            // RFC 6902 4.4: a location cannot be moved into one of its children.
            if path != from && path.isWithin(from) {
                throw PatchError("move operation does not apply: path \(path) is a child of from path \(from)")
            }
            let missingFrom = "move operation does not apply: doc is missing from path: \(from): missing value"
            guard value(at: from, in: doc) != nil else { throw PatchError(missingFrom) }
            let moved = try remove(from, from: &doc) { missingFrom }
            try add(moved, at: path, in: &doc) { "move operation does not apply: doc is missing destination path: \(path): missing value" }
        case "copy":
            let from = try pointer(op, "from", for: kind)
            let path = try pointer(op, "path", for: kind)
            guard let copied = value(at: from, in: doc) else {
                throw PatchError("copy operation does not apply: doc is missing from path: \(from): missing value")
            }
            try add(copied, at: path, in: &doc) { "copy operation does not apply: doc is missing destination path: \(path): missing value" }
        case "test":
            try test(operand, at: try pointer(op, "path", for: kind), in: doc)
        default:
            throw PatchError("Unexpected kind: \(kind)")
        }
    }

    /// Reads the pointer in member `name` (`path` or `from`) of an operation.
    private static func pointer(_ op: [String: JSONValue], _ name: String, for kind: String) throws(PatchError) -> JSONPointer {
        guard let text = op[name]?.string else {
            throw PatchError("\(kind) operation failed to decode \(name): operation missing \(name) field: missing value")
        }
        return try JSONPointer(text)
    }

    // MARK: Operations

    /// Inserts into an array or sets an object member; `missing` words the error when the
    /// parent does not exist.
    private static func add(_ value: JSONValue, at path: JSONPointer, in doc: inout JSONValue,
                            missing: () -> String) throws(PatchError) {
        guard !path.tokens.isEmpty else {
            doc = value // RFC 6902 4.1: adding at the root replaces the document.
            return
        }
        let found = try withParent(of: path, in: &doc) { (parent, key) throws(PatchError) -> Bool in
            switch parent {
            case .object(var members):
                parent = .null // keep `members` uniquely referenced while editing it
                members[key] = value
                parent = .object(members)
                return true
            case .array(var items):
                if key == "-" {
                    parent = .null
                    items.append(value)
                    parent = .array(items)
                    return true
                }
                // An insert may also land one past the end.
                let index = try arrayIndex(key, count: items.count + 1, op: "add", path: path)
                parent = .null
                items.insert(value, at: index)
                parent = .array(items)
                return true
            default:
                return false
            }
        }
        if !found { throw PatchError(missing()) }
    }

    /// Removes and returns the value at `path`.
    private static func remove(_ path: JSONPointer, from doc: inout JSONValue,
                               missing: () -> String) throws(PatchError) -> JSONValue {
        var removed: JSONValue?
        let found = try withParent(of: path, in: &doc) { (parent, key) throws(PatchError) -> Bool in
            switch parent {
            case .object(var members):
                guard members[key] != nil else {
                    throw PatchError("error in remove for path: '\(path)': Unable to remove nonexistent key: \(key): missing value")
                }
                parent = .null
                removed = members.removeValue(forKey: key)
                parent = .object(members)
                return true
            case .array(var items):
                let index = try arrayIndex(key, count: items.count, op: "remove", path: path)
                parent = .null
                removed = items.remove(at: index)
                parent = .array(items)
                return true
            default:
                return false
            }
        }
        guard found, let removed, !path.tokens.isEmpty else { throw PatchError(missing()) }
        return removed
    }

    /// Replaces the existing value at `path`.
    private static func replace(_ value: JSONValue, at path: JSONPointer, in doc: inout JSONValue) throws(PatchError) {
        guard !path.tokens.isEmpty else {
            doc = value
            return
        }
        var keyMissing = false
        let found = try withParent(of: path, in: &doc) { (parent, key) throws(PatchError) -> Bool in
            switch parent {
            case .object(var members):
                guard members[key] != nil else {
                    keyMissing = true
                    return true
                }
                parent = .null
                members[key] = value
                parent = .object(members)
                return true
            case .array(var items):
                guard let index = resolve(key, count: items.count) else {
                    keyMissing = true
                    return true
                }
                parent = .null
                items[index] = value
                parent = .array(items)
                return true
            default:
                return false
            }
        }
        if !found { throw PatchError("replace operation does not apply: doc is missing path: \(path): missing value") }
        if keyMissing { throw PatchError("replace operation does not apply: doc is missing key: \(path): missing value") }
    }

    /// Checks that the value at `path` equals `expected` (numbers by value, objects
    /// regardless of member order).
    private static func test(_ expected: JSONValue, at path: JSONPointer, in doc: JSONValue) throws(PatchError) {
        if !path.tokens.isEmpty, value(at: JSONPointer(parentOf: path), in: doc).map(\.isContainer) != true {
            throw PatchError("test operation does not apply: is missing path: \(path): missing value")
        }
        guard let actual = value(at: path, in: doc) else {
            // json-patch v4 treats an absent member as null, so testing for null passes.
            if expected.isNull { return }
            throw PatchError("testing value \(path) failed: test failed")
        }
        guard actual.isEquivalent(to: expected) else {
            throw PatchError("testing value \(path) failed: test failed")
        }
    }

    // MARK: Navigation

    /// The value `path` points at, nil if there is none.
    static func value(at path: JSONPointer, in doc: JSONValue) -> JSONValue? {
        var current = doc
        for token in path.tokens {
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let items):
                guard let index = resolve(token, count: items.count) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    /// Runs `body` on the container that holds the last token of `path`, writing the result
    /// back in place. False when that container does not exist or `body` finds it is not one.
    private static func withParent(
        of path: JSONPointer, in doc: inout JSONValue,
        _ body: (inout JSONValue, String) throws(PatchError) -> Bool
    ) throws(PatchError) -> Bool {
        guard let last = path.tokens.last else { return false }
        return try descend(&doc, path.tokens.dropLast()[...]) { (parent) throws(PatchError) -> Bool in
            try body(&parent, last)
        }
    }

    /// Follows `tokens` down from `value` and runs `body` on what it reaches, then puts the
    /// edited children back. Each level takes its child out first so the edit happens on a
    /// uniquely referenced copy instead of copying the whole document.
    private static func descend(
        _ value: inout JSONValue, _ tokens: ArraySlice<String>,
        _ body: (inout JSONValue) throws(PatchError) -> Bool
    ) throws(PatchError) -> Bool {
        guard let token = tokens.first else { return try body(&value) }
        switch value {
        case .object(var members):
            guard var child = members.removeValue(forKey: token) else { return false }
            value = .null
            defer { members[token] = child; value = .object(members) }
            return try descend(&child, tokens.dropFirst(), body)
        case .array(var items):
            guard let index = resolve(token, count: items.count) else { return false }
            var child = items[index]
            items[index] = .null
            value = .null
            defer { items[index] = child; value = .array(items) }
            return try descend(&child, tokens.dropFirst(), body)
        default:
            return false
        }
    }

    /// The position `token` names in an array of `count` items, nil when it is not a number
    /// or out of range. Negative numbers count from the end, as in json-patch v4.
    private static func resolve(_ token: String, count: Int) -> Int? {
        guard var index = Int(token) else { return nil }
        if index < 0 { index += count }
        return (0..<count).contains(index) ? index : nil
    }

    /// Like `resolve`, but throws json-patch's messages for a bad index.
    private static func arrayIndex(_ token: String, count: Int, op: String, path: JSONPointer) throws(PatchError) -> Int {
        guard let raw = Int(token) else {
            throw PatchError("error in \(op) for path: '\(path)': strconv.Atoi: parsing \"\(token)\": invalid syntax")
        }
        guard let index = resolve(token, count: count) else {
            throw PatchError("error in \(op) for path: '\(path)': Unable to access invalid index: \(raw): invalid index referenced")
        }
        return index
    }
}

extension JSONPointer {
    /// The pointer to the container holding `pointer`'s target.
    fileprivate init(parentOf pointer: JSONPointer) {
        self.init(unchecked: Array(pointer.tokens.dropLast()))
    }
}

extension JSONValue {
    /// Whether this is an object or an array.
    var isContainer: Bool {
        switch self {
        case .object, .array: return true
        default: return false
        }
    }

    /// The Go type encoding/json names when it cannot decode this value, for messages
    /// that match kube-apiserver's.
    public var goTypeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "bool"
        case .integer, .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}
