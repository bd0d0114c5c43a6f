/// The stream ids of Kubernetes' channel protocols (`v4.channel.k8s.io`, `v5.channel.k8s.io`):
/// every binary WebSocket message starts with one of these bytes.
public enum ExecChannel: UInt8, Sendable {
    /// Client → process input.
    case stdin = 0
    /// Process output.
    case stdout = 1
    /// Process error output.
    case stderr = 2
    /// The final `metav1.Status` (server → client), then the connection closes.
    case error = 3
    /// Terminal size changes, JSON `{"Width":w,"Height":h}` (client → server).
    case resize = 4
    /// v5 only: "this stream is closed", the payload's byte naming the stream (stdin → EOF).
    case close = 255
}
