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
            if object == nil { self = .object([:]) }
            if path.count == 1 {
                self[first] = newValue
                return
            }
            var child = self[first] ?? .object([:])
            child[at: Array(path.dropFirst())] = newValue
            self[first] = child
        }
    }
}
