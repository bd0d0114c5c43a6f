import KubeCore

/// The `metav1.Status` the kubelet writes on the error channel when an exec ends; client-go's
/// v4/v5 decoder turns `NonZeroExitCode` into kubectl's exit code and prints other failures'
/// messages.
public enum ExecStatus {
    /// `{"metadata":{},"status":"Success"}`.
    public static let success: JSONValue = .object(["metadata": .object([:]), "status": .string("Success")])

    /// The failure for a process that exited with `code` (≠ 0). The cause's JSON key is `reason`
    /// (that is how `StatusCause.Type` serializes); client-go parses its message as the code.
    public static func exited(_ code: Int32) -> JSONValue {
        .object([
            "metadata": .object([:]),
            "status": .string("Failure"),
            "message": .string("command terminated with non-zero exit code: exit status \(code)"),
            "reason": .string("NonZeroExitCode"),
            "details": .object(["causes": .array([
                .object(["reason": .string("ExitCode"), "message": .string(String(code))]),
            ])]),
        ])
    }

    /// The failure for a process that could not start, worded as containerd/runc report it
    /// through the kubelet (`exec: "foo": executable file not found in $PATH`).
    public static func startFailed(execID: String, reason: String) -> JSONValue {
        internalError("error executing command in container: failed to exec in container: failed to start exec "
            + "\"\(execID)\": OCI runtime exec failed: exec failed: unable to start container process: \(reason): unknown")
    }

    /// A 500 InternalError status with kube's `Internal error occurred: ` prefix.
    public static func internalError(_ message: String) -> JSONValue {
        .object([
            "metadata": .object([:]),
            "status": .string("Failure"),
            "message": .string("Internal error occurred: \(message)"),
            "reason": .string("InternalError"),
            "code": .integer(500),
            "details": .object(["causes": .array([.object(["message": .string(message)])])]),
        ])
    }
}
