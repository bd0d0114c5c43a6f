import KubeCore

/// How the workload controllers tell apiserver refusals apart, as client-go's `apierrors`.
enum APIErrors {
    /// 404 NotFound.
    static func isNotFound(_ error: any Error) -> Bool { (error as? KubeStatus)?.code == 404 }

    /// 409 AlreadyExists (a create of a name that is taken).
    static func isAlreadyExists(_ error: any Error) -> Bool {
        (error as? KubeStatus).map { $0.code == 409 && $0.reason == "AlreadyExists" } ?? false
    }

    /// 409 Conflict (a stale resourceVersion).
    static func isConflict(_ error: any Error) -> Bool {
        (error as? KubeStatus).map { $0.code == 409 && $0.reason == "Conflict" } ?? false
    }

    /// 403 for a create in a namespace being deleted (upstream's `NamespaceTerminatingCause`).
    static func isNamespaceTerminating(_ error: any Error) -> Bool {
        (error as? KubeStatus).map { $0.code == 403 && $0.message.contains("because it is being terminated") } ?? false
    }

    /// The text Go's `err.Error()` would print: a Status's message, or the error's description.
    static func message(_ error: any Error) -> String {
        (error as? KubeStatus)?.message ?? "\(error)"
    }
}
