import KubeCore

/// The `metadata` fields the workload controllers read, in one place.
enum ObjectMetadata {
    /// `metadata.name`; empty when missing.
    static func name(_ object: JSONValue) -> String { object[path: ["metadata", "name"]]?.string ?? "" }

    /// `metadata.namespace`; empty when missing.
    static func namespace(_ object: JSONValue) -> String { object[path: ["metadata", "namespace"]]?.string ?? "" }

    /// `metadata.uid`; empty when missing.
    static func uid(_ object: JSONValue) -> String { object[path: ["metadata", "uid"]]?.string ?? "" }

    /// `metadata.generation`; 0 when missing.
    static func generation(_ object: JSONValue) -> Int { object[path: ["metadata", "generation"]]?.int ?? 0 }

    /// `metadata.labels`.
    static func labels(_ object: JSONValue) -> [String: String] {
        (object[path: ["metadata", "labels"]]?.object ?? [:]).compactMapValues(\.string)
    }

    /// `metadata.annotations`.
    static func annotations(_ object: JSONValue) -> [String: String] {
        (object[path: ["metadata", "annotations"]]?.object ?? [:]).compactMapValues(\.string)
    }

    /// Whether `metadata.deletionTimestamp` is set.
    static func isDeleting(_ object: JSONValue) -> Bool {
        if let stamp = object[path: ["metadata", "deletionTimestamp"]], !stamp.isNull { return true }
        return false
    }

    /// `namespace/name`, the key the informers and expectations use.
    static func key(_ object: JSONValue) -> String {
        namespace(object) + "/" + name(object)
    }
}
