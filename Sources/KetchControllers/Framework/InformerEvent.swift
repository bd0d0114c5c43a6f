import KubeCore

/// A change an ``Informer`` saw, as client-go's ResourceEventHandler receives it.
public enum InformerEvent: Sendable {
    /// The object appeared (on the first list, or later).
    case added(JSONValue)
    /// The object changed; a periodic resync delivers it with `old == new`.
    case updated(old: JSONValue, new: JSONValue)
    /// The object is gone; this is its last known state.
    case deleted(JSONValue)

    /// The object as it is now (or was, for a deletion).
    public var object: JSONValue {
        switch self {
        case .added(let object), .deleted(let object): object
        case .updated(_, let new): new
        }
    }
}
