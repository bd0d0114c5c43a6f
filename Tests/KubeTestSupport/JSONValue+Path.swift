import KubeCore

extension JSONValue {
    /// The value at object-member `path`, settable: setting creates missing objects on the way
    /// and setting nil removes the member. KubeCore's `subscript(path:)` only reads.
    subscript(at path: [String]) -> JSONValue? {
        get { self[path: path] }
        set {
            guard let first = path.first else {
                self = newValue ?? .null
                return
            }
            if path.count == 1 {
                if object == nil { self = .object([:]) }
                self[first] = newValue
                return
            }
            var child = self[first] ?? .object([:])
            if child.object == nil { child = .object([:]) }
            child[at: Array(path.dropFirst())] = newValue
            if object == nil { self = .object([:]) }
            self[first] = child
        }
    }
}
