import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import KubeCore
import Logging
import NIOCore

/// One `kubectl exec` over WebSocket, served the way the kubelet serves it: the command runs on
/// the host (see `ExecEnvironment`) and its streams travel as channel-prefixed binary messages
/// (`v5.channel.k8s.io`, or `v4.channel.k8s.io` for older clients); the end is a `metav1.Status`
/// on the error channel followed by a normal close.
///
/// Mounting (the router owns routing and authorization):
/// ```swift
/// router.ws("/api/v1/namespaces/:namespace/pods/:name/exec", shouldUpgrade: { request, context in
///     // authorize `create pods/exec`, load the pod, then:
///     try ExecSession.validate(request: ExecRequest(query: request.uri.query ?? ""), pod: pod)
///     return try ExecSession.upgrade(for: request)        // carries Sec-WebSocket-Protocol
/// }, onUpgrade: { inbound, outbound, context in
///     let http = context.request
///     let session = ExecSession(request: try ExecRequest(query: http.uri.query ?? ""), pod: pod,
///                               environment: environment,
///                               protocolName: ExecSession.negotiateProtocol(requested:
///                                   ExecSession.requestedProtocols(http.headers)) ?? ExecSession.v4,
///                               logger: context.logger)
///     try await session.run(inbound: inbound, outbound: outbound)
/// })
/// ```
public struct ExecSession: Sendable {
    /// The protocol with the stdin CLOSE signal (kubectl ≥ 1.30 offers it first).
    public static let v5 = "v5.channel.k8s.io"
    /// The protocol with a `metav1.Status` on the error channel, without CLOSE.
    public static let v4 = "v4.channel.k8s.io"
    /// The subprotocols served, most preferred first.
    public static let supportedProtocols = [v5, v4]

    /// The subprotocol to answer with: the client's first offer that is served (clients list
    /// their preference first). Nil when none is.
    public static func negotiateProtocol(requested: [String]) -> String? {
        requested.first { supportedProtocols.contains($0) }
    }

    /// The offers in `Sec-WebSocket-Protocol` (comma-separated, possibly over several fields).
    public static func requestedProtocols(_ headers: HTTPFields) -> [String] {
        headers[values: .secWebSocketProtocol].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The answer for `router.ws`'s `shouldUpgrade`: upgrade with the chosen subprotocol in
    /// `Sec-WebSocket-Protocol`.
    /// - Throws: `KubeStatus` 400 when the client offers no served protocol (a client that would
    ///   then speak SPDY falls back to it on this failure).
    public static func upgrade(for request: Request) throws(KubeStatus) -> RouterShouldUpgrade {
        let offered = requestedProtocols(request.headers)
        guard let chosen = negotiateProtocol(requested: offered) else {
            throw KubeStatus.badRequest("unable to upgrade connection: requested protocols \(offered) are not supported; "
                + "use one of \(supportedProtocols)")
        }
        return .upgrade([.secWebSocketProtocol: chosen])
    }

    /// The checks made before upgrading, with kube's wording: the container must be the pod's,
    /// the pod bound to a node, and something must run behind it: only mirror pods (the
    /// control-plane processes) can be exec'd into; other pods have no containers on this node.
    public static func validate(request: ExecRequest, pod: JSONValue) throws(KubeStatus) {
        let container = try PodContainers.resolve(pod: pod, requested: request.container)
        guard MirrorPod.isMirrorPod(pod) else {
            // Pods on simulated nodes have no process behind their containers.
            let name = pod["metadata"]?["name"]?.string ?? ""
            let namespace = pod["metadata"]?["namespace"]?.string ?? "default"
            throw KubeStatus.badRequest("unable to upgrade connection: container \"\(container)\" of pod \(namespace)/\(name) is "
                + "simulated by Ketch: no process runs in it, so there is nothing to exec into "
                + "(only the control-plane static pods run for real)")
        }
    }

    /// What to run.
    public let request: ExecRequest
    /// The pod exec'd into (its name, node and container env shape the process environment).
    public let pod: JSONValue
    /// The host-as-pod mapping.
    public let environment: ExecEnvironment
    /// The negotiated subprotocol (`v5` enables the CLOSE signal).
    public let protocolName: String
    let logger: Logger

    /// Creates a session for an upgraded connection.
    public init(request: ExecRequest, pod: JSONValue, environment: ExecEnvironment, protocolName: String, logger: Logger) {
        self.request = request
        self.pod = pod
        self.environment = environment
        self.protocolName = protocolName
        self.logger = logger
    }

    /// Runs the command and relays its streams until it exits, then sends the status on the
    /// error channel and returns (the WebSocket handler then closes the connection normally).
    /// A client that goes away ends the process.
    public func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let process: ExecProcess
        switch launch() {
        case .failed(let status):
            try await outbound.write(.binary(Self.frame(.error, try status.encoded())))
            return
        case .started(let started):
            process = started
        }
        logger.debug("exec started", metadata: ["pod": .string(podName), "command": .string(request.command.joined(separator: " ")),
                                                "pid": .stringConvertible(process.pid)])

        let input = Task { await self.relayInput(inbound, to: process) }
        let output = Task {
            do {
                for await chunk in process.output {
                    switch chunk {
                    case .stdout(let bytes): try await outbound.write(.binary(Self.frame(.stdout, bytes)))
                    case .stderr(let bytes): try await outbound.write(.binary(Self.frame(.stderr, bytes)))
                    }
                }
            } catch {
                process.terminate() // the connection broke: nobody reads the output any more
            }
        }
        let code = await process.finish(forwarding: output)
        input.cancel()
        logger.debug("exec finished", metadata: ["pod": .string(podName), "exitCode": .stringConvertible(code)])
        let status = code == 0 ? ExecStatus.success : ExecStatus.exited(code)
        try await outbound.write(.binary(Self.frame(.error, try status.encoded())))
    }

    /// A started process, or the status telling why it could not start.
    enum Launch {
        case started(ExecProcess)
        case failed(JSONValue)
    }

    /// Starts the process with the request's rewritten command, streams and environment.
    func launch() -> Launch {
        try? environment.prepare() // the etcdctl link; cheap when it already exists
        let arguments = environment.rewrite(command: request.command)
        let env = environment.environment(pod: pod, tty: request.tty)
        let execID = MirrorPod.sha256Hex(UUID().uuidString)
        guard let executable = environment.resolveExecutable(arguments[0], path: env["PATH"]) else {
            return .failed(ExecStatus.startFailed(execID: execID, reason: ExecProcess.LaunchError.notFound(arguments[0]).description))
        }
        do {
            return .started(try ExecProcess(
                executable: executable, arguments: Array(arguments.dropFirst()), environment: env,
                directory: URL(fileURLWithPath: "/"), stdin: request.stdin, stdout: request.stdout,
                stderr: request.stderr, tty: request.tty))
        } catch let error as ExecProcess.LaunchError {
            return .failed(ExecStatus.startFailed(execID: execID, reason: error.description))
        } catch {
            return .failed(ExecStatus.internalError("error executing command in container: \(error)"))
        }
    }

    /// Feeds stdin, resizes and CLOSE signals to the process until the client stops sending or
    /// the session ends. A client that closes the connection first ends the process.
    private func relayInput(_ inbound: WebSocketInboundStream, to process: ExecProcess) async {
        let v5 = protocolName == Self.v5
        do {
            for try await message in inbound.messages(maxSize: 1 << 20) {
                guard case .binary(var buffer) = message, let id = buffer.readInteger(as: UInt8.self),
                      let channel = ExecChannel(rawValue: id) else { continue }
                let payload = buffer.readBytes(length: buffer.readableBytes) ?? []
                switch channel {
                case .stdin where request.stdin:
                    process.writeStdin(payload)
                case .resize:
                    if let size = try? JSONValue(parsing: Data(payload)),
                       case .integer(let width)? = size["Width"], case .integer(let height)? = size["Height"] {
                        process.resize(width: width, height: height)
                    }
                case .close where v5:
                    if payload.first == ExecChannel.stdin.rawValue { process.closeStdin() }
                default:
                    break
                }
            }
        } catch {}
        guard !Task.isCancelled else { return }
        process.closeStdin()
        if process.exitCode == nil {
            logger.debug("exec client went away; ending the process", metadata: ["pod": .string(podName)])
            process.terminate()
        }
    }

    private var podName: String { pod["metadata"]?["name"]?.string ?? "" }

    /// One channel message: the id byte, then the payload.
    static func frame(_ channel: ExecChannel, _ payload: some Sequence<UInt8>) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(channel.rawValue)
        buffer.writeBytes(payload)
        return buffer
    }
}
