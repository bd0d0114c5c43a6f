extension JSONValue {
    /// Whether a member counts as unset for defaulting: absent, `null`, or an empty string (Go's
    /// zero value for the string fields defaults fill in).
    static func isUnset(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?: return true
        case .string(let text)?: return text.isEmpty
        default: return false
        }
    }

    /// `value` unless it is absent or `null`, else an empty object: a struct member defaults
    /// fill in.
    static func objectOrEmpty(_ value: JSONValue?) -> JSONValue {
        guard let value, !value.isNull else { return .object([:]) }
        return value
    }

    /// Sets member `key` to `value` when it is unset (see ``isUnset(_:)``); does nothing to a
    /// value that is not an object.
    mutating func setDefault(_ key: String, _ value: JSONValue) {
        guard case .object = self, Self.isUnset(self[key]) else { return }
        self[key] = value
    }

    /// Changes member `key` in place with `change` when it is present and not `null`.
    mutating func modify(_ key: String, _ change: (inout JSONValue) -> Void) {
        guard var value = self[key], !value.isNull else { return }
        change(&value)
        self[key] = value
    }

    /// Changes every element of the array member `key` in place with `change`.
    mutating func modifyEach(_ key: String, _ change: (inout JSONValue) -> Void) {
        guard var items = self[key]?.array else { return }
        for index in items.indices { change(&items[index]) }
        self[key] = .array(items)
    }
}
