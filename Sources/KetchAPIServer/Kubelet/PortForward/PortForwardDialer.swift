import Foundation
import KubeCore
import NIOCore
import NIOPosix

/// Opens the pod side of a forwarded connection. The static pods use the host network, so a pod
/// port is the host's loopback port; like containerd's `portForward` for a host-network sandbox,
/// IPv4 `localhost` is tried first, then IPv6, and a failure names both attempts in Go's words.
struct PortForwardDialer: Sendable {
    /// Where `localhost` goes; tests point it elsewhere.
    var ipv4Host = "127.0.0.1"
    var ipv6Host = "::1"
    var connectTimeout: TimeAmount = .seconds(10)

    typealias Connection = NIOAsyncChannel<ByteBuffer, ByteBuffer>

    /// Why neither address answered: containerd's message without the "failed to execute
    /// portforward in network namespace" prefix the caller adds.
    struct Failure: Error, CustomStringConvertible {
        let port: Int
        let sandboxID: String
        let ipv4: String
        let ipv6: String
        /// containerd: `failed to connect to localhost:%d inside namespace %q, IPv4: %v IPv6 %v `
        /// (the trailing space is containerd's).
        var description: String {
            "failed to connect to localhost:\(port) inside namespace \(goQuoted(sandboxID)), IPv4: \(ipv4) IPv6 \(ipv6) "
        }
    }

    /// Connects to `port` on loopback, the stream half-closable both ways.
    func dial(port: Int, sandboxID: String) async throws(Failure) -> Connection {
        let v4: String
        do {
            return try await connect(host: ipv4Host, port: port)
        } catch {
            v4 = Self.goDialError(network: "tcp4", host: ipv4Host, port: port, error)
        }
        do {
            return try await connect(host: ipv6Host, port: port)
        } catch {
            throw Failure(port: port, sandboxID: sandboxID, ipv4: v4,
                          ipv6: Self.goDialError(network: "tcp6", host: ipv6Host, port: port, error))
        }
    }

    private func connect(host: String, port: Int) async throws -> Connection {
        let address = try SocketAddress(ipAddress: host, port: port)
        return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(connectTimeout)
            .connect(to: address) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try Connection(wrappingChannelSynchronously: channel,
                                   configuration: .init(isOutboundHalfClosureEnabled: true))
                }
            }
    }

    /// Go's `*net.OpError` text for a failed dial: `dial tcp4 127.0.0.1:9999: connect: connection refused`.
    static func goDialError(network: String, host: String, port: Int, _ error: any Error) -> String {
        let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        return "dial \(network) \(address): \(goErrorText(error, operation: "connect"))"
    }

    /// `connect: connection refused`, `socket: address family not supported by protocol`, `i/o timeout`.
    static func goErrorText(_ error: any Error, operation: String) -> String {
        if let io = error as? IOError {
            let op = io.description.lowercased().contains("socket(") ? "socket" : operation
            return "\(op): \(goErrno(io.errnoCode))"
        }
        if let channel = error as? ChannelError, case .connectTimeout = channel { return "i/o timeout" }
        return "\(operation): \(error)"
    }

    /// A `syscall.Errno`'s text: the C library's message with a lowercase first letter, as Go spells them.
    static func goErrno(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        guard let first = text.first else { return "errno \(code)" }
        return first.lowercased() + text.dropFirst()
    }
}
