/// Why a Kubernetes protobuf body could not be turned into JSON: bad framing, a malformed
/// message, or a kind this decoder has no schema for. The shim answers 415 for any of them,
/// so the client can retry with JSON.
public struct KubeProtobufError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, in words fit for a Status message.
    public let message: String

    /// Creates an error with the given message.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
