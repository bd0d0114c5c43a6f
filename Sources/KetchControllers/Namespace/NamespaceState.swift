import KubeCore

/// How a Namespace object reads to the controllers.
enum NamespaceState {
    /// Active: not being deleted.
    static func isActive(_ namespace: JSONValue) -> Bool {
        !isTerminating(namespace)
    }

    /// Deleted and waiting for its contents to go (deletionTimestamp or phase Terminating).
    static func isTerminating(_ namespace: JSONValue) -> Bool {
        if let stamp = namespace["metadata"]?["deletionTimestamp"], !stamp.isNull { return true }
        return namespace["status"]?["phase"]?.string == "Terminating"
    }
}
