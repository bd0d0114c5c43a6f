/// Why a kubeconfig could not be used, naming the file and the field at fault.
public struct KubeConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The whole message, e.g. `/etc/kubernetes/scheduler.conf: users["x"].user.client-key: …`.
    public let message: String

    /// An error with `message`.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
