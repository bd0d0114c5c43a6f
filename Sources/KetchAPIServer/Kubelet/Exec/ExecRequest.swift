import KubeCore

/// The query of `/api/v1/namespaces/{ns}/pods/{name}/exec` (core/v1 PodExecOptions): one
/// `command=` per argument, the container, and which streams the client attaches.
public struct ExecRequest: Sendable, Equatable {
    /// The command and its arguments, as given (before any path rewriting).
    public var command: [String]
    /// `container`; nil means the pod's only container.
    public var container: String?
    /// Whether the client sends stdin (`kubectl exec -i`).
    public var stdin: Bool
    /// Whether the client wants stdout.
    public var stdout: Bool
    /// Whether the client wants stderr (kubectl sends false with a tty, whose output is merged).
    public var stderr: Bool
    /// Whether the process gets a terminal (`kubectl exec -t`).
    public var tty: Bool

    /// Creates a request directly.
    public init(command: [String], container: String? = nil, stdin: Bool = false, stdout: Bool = true,
                stderr: Bool = true, tty: Bool = false) {
        self.command = command
        self.container = container
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.tty = tty
    }

    /// Parses the raw query string (without `?`).
    /// - Throws: `KubeStatus` 400 as the apiserver words it when there is no command or no stream.
    public init(query rawQuery: String) throws(KubeStatus) {
        try self.init(QueryItems(rawQuery))
    }

    /// Parses decoded query items.
    public init(_ query: QueryItems) throws(KubeStatus) {
        command = query.all("command")
        container = query["container"].flatMap { $0.isEmpty ? nil : $0 }
        stdin = query.bool("stdin")
        stdout = query.bool("stdout")
        stderr = query.bool("stderr")
        tty = query.bool("tty")
        guard !command.isEmpty else {
            throw KubeStatus.badRequest("you must specify at least one command for the container")
        }
        guard stdin || stdout || stderr else {
            throw KubeStatus.badRequest("you must specify at least 1 of stdin, stdout, stderr")
        }
        // With a terminal the process has one output; kube drops stderr the same way.
        if tty { stderr = false }
    }
}
