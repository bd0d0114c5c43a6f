import Foundation
import KubeCore
import Logging
import NIOCore

/// The pod a `kubectl port-forward` reaches.
struct PortForwardTarget: Sendable {
    let namespace: String
    let podName: String
    /// What the kubelet calls the pod in its errors: the CRI sandbox id (the streaming server is
    /// handed the sandbox, and no uid). A stable stand-in derived from the pod's uid.
    let sandboxID: String

    init(pod: JSONValue) {
        let metadata = pod["metadata"]
        namespace = metadata?["namespace"]?.string ?? ""
        podName = metadata?["name"]?.string ?? ""
        sandboxID = MirrorPod.sha256Hex("sandbox/\(metadata?["uid"]?.string ?? podName)")
    }

    init(namespace: String, podName: String, sandboxID: String) {
        self.namespace = namespace
        self.podName = podName
        self.sandboxID = sandboxID
    }

    /// The kubelet's error text for a forwarded connection that failed
    /// (httpstream.go `portForward`: `error forwarding port %d to pod %s, uid %v: %v`).
    func forwardingError(port: Int, _ reason: String) -> String {
        "error forwarding port \(port) to pod \(sandboxID), uid : \(reason)"
    }

    /// containerd's wrapping of everything that goes wrong in the pod's network namespace
    /// (`host` for host-network pods such as the static control-plane pods).
    static func inNamespace(_ reason: String) -> String {
        "failed to execute portforward in network namespace \"host\": \(reason)"
    }
}

/// One `portforward.k8s.io` connection, served as the kubelet serves it (httpstream.go): the
/// client opens an error stream and a data stream per forwarded TCP connection, both answered
/// with SYN_REPLY; once a pair is complete the pod's port is dialled and bytes are relayed both
/// ways until either side ends; a failure is written on the pair's error stream, and both
/// streams are finished. The connection itself stays up for the next pair, until the client
/// closes it. The same session serves SPDY/3.1 over an upgraded HTTP/1.1 connection (kubectl
/// before 1.30, or with `KUBECTL_PORT_FORWARD_WEBSOCKETS=false`) and SPDY tunnelled through a
/// WebSocket (`SPDY/3.1+portforward.k8s.io`, kubectl 1.30 and later).
struct PortForwardSession: Sendable {
    /// The `X-Stream-Protocol-Version` both transports negotiate.
    static let protocolName = "portforward.k8s.io"
    /// client-go/apimachinery `WebsocketsSPDYTunnelingPrefix`.
    static let tunnelingPrefix = "SPDY/3.1+"
    static let tunnelingProtocol = tunnelingPrefix + protocolName

    let target: PortForwardTarget
    var dialer = PortForwardDialer()
    var creationTimeout: TimeInterval = PortForwardStreamTable.defaultCreationTimeout
    /// How long a relay waits for the client side once the pod side closed (containerd: 1 s).
    var lingerAfterPodClose: Duration = .seconds(1)
    let logger: Logger

    init(target: PortForwardTarget, logger: Logger) {
        self.target = target
        self.logger = logger
    }

    /// Serves the connection until `frames` ends (the client closed it). `write` sends one frame
    /// to the client; it is only ever called from one task at a time.
    func run<Frames: AsyncSequence>(frames: Frames, write: @escaping @Sendable (SPDYFrame) async throws -> Void) async
    where Frames.Element == SPDYFrame {
        let queue = SPDYFrameQueue()
        let table = LockedValue(PortForwardStreamTable(creationTimeout: creationTimeout))
        let relays = LockedValue([UInt32: PortForwardRelay]())
        // Discarding: a long-lived connection forwards many connections, none of which leaves a result.
        await withDiscardingTaskGroup { group in
            group.addTask { await queue.drain(write) }
            group.addTask { await self.expireIncompletePairs(table: table, relays: relays, queue: queue) }
            do {
                for try await frame in frames {
                    switch frame {
                    case .synStream(let id, _, _, _, let headers):
                        let opened = table.withLock { $0.open(id: id, headers: headers) }
                        switch opened {
                        case .rejected(let reason):
                            logger.debug("port-forward stream rejected", metadata: ["stream": "\(id)", "reason": .string(reason)])
                            queue.post(.rstStream(streamID: id, status: SPDYFrame.RstStatus.cancel))
                        case .accepted(let stream, let complete):
                            if stream.type == .data { relays.withLock { $0[id] = PortForwardRelay(dataStream: id) } }
                            queue.post(.synReply(streamID: id, fin: false, headers: SPDYHeaders()))
                            if let pair = complete, let relay = relays.withLock({ $0[pair.dataStream] }) {
                                group.addTask {
                                    await self.forward(pair, relay: relay, queue: queue)
                                    relays.withLock { $0[pair.dataStream] = nil }
                                    table.withLock {
                                        $0.remove(stream: pair.dataStream)
                                        $0.remove(stream: pair.errorStream)
                                    }
                                }
                            }
                        case .duplicate(_, let message, let errorStream):
                            queue.post(.synReply(streamID: id, fin: false, headers: SPDYHeaders()))
                            logger.debug("port-forward stream refused", metadata: ["message": .string(message)])
                            if let errorStream {
                                queue.post(.data(streamID: errorStream, fin: false, payload: ByteBuffer(string: message)))
                            }
                        }
                    case .data(let id, let fin, let payload):
                        // The client writes only on data streams (it half-closes its error streams).
                        guard let relay = relays.withLock({ $0[id] }) else { continue }
                        relay.received(payload, fin: fin)
                        if relay.buffered > relay.limit { await relay.waitForRoom() }
                    case .rstStream(let id, _):
                        relays.withLock { $0[id] }?.reset()
                    case .ping(let id):
                        queue.post(.ping(id: id))
                    case .synReply, .headers, .settings, .windowUpdate, .goAway, .unknown:
                        break
                    }
                }
            } catch {
                logger.debug("port-forward connection read ended", metadata: ["error": "\(error)"])
            }
            // The client is gone: every forwarded connection ends with it.
            for relay in relays.withLock({ Array($0.values) }) { relay.reset() }
            queue.close()
            group.cancelAll()
        }
    }

    /// The kubelet's `monitorStreamPair` timeout: a pair that never completes is reported on its
    /// error stream (if it has one) and forgotten.
    private func expireIncompletePairs(table: LockedValue<PortForwardStreamTable>,
                                       relays: LockedValue<[UInt32: PortForwardRelay]>, queue: SPDYFrameQueue) async {
        let tick = min(1.0, max(0.05, creationTimeout / 4))
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(tick))
            let expired = table.withLock { $0.expire() }
            for pair in expired {
                if let data = pair.dataStream { relays.withLock { $0.removeValue(forKey: data) }?.close() }
                guard let errorStream = pair.errorStream else { continue }
                let message = "(conn=\(connectionLabel), request=\(pair.requestID)) timed out waiting for streams"
                logger.debug("port-forward pair incomplete", metadata: ["message": .string(message)])
                queue.post(.data(streamID: errorStream, fin: false, payload: ByteBuffer(string: message)))
            }
        }
    }

    private var connectionLabel: String { "&{\(target.namespace)/\(target.podName)}" }

    /// One forwarded connection (the kubelet's `portForward`, containerd's host-network
    /// `portForward`): dial, relay, then report and finish both streams.
    func forward(_ pair: PortForwardStreamTable.Pair, relay: PortForwardRelay, queue: SPDYFrameQueue) async {
        let port = Int(pair.port)
        let dataStream = pair.dataStream
        let failure = await PortForwardPipe(dialer: dialer, target: target, linger: lingerAfterPodClose, logger: logger).run(
            port: port, relay: relay,
            send: { chunk in try await queue.send(.data(streamID: dataStream, fin: false, payload: chunk)) },
            podClosed: {
                if relay.claimFin() { try? await queue.send(.data(streamID: dataStream, fin: true, payload: ByteBuffer())) }
            })
        if let failure, relay.end != .reset {
            let message = target.forwardingError(port: port, PortForwardTarget.inNamespace(failure))
            logger.debug("port-forward failed", metadata: ["message": .string(message)])
            try? await queue.send(.data(streamID: pair.errorStream, fin: false, payload: ByteBuffer(string: message)))
        }
        // The kubelet's deferred Close()s: the error stream, then the data stream.
        try? await queue.send(.data(streamID: pair.errorStream, fin: true, payload: ByteBuffer()))
        if relay.claimFin() {
            try? await queue.send(.data(streamID: pair.dataStream, fin: true, payload: ByteBuffer()))
        }
    }
}

/// The pod end of one forwarded connection, whatever carries the client end: dials the port
/// and copies both ways, as containerd does for a host-network sandbox. The client's bytes come
/// through a `PortForwardRelay`; the pod's go out through `send`, and `podClosed` runs when the
/// pod closed its side. Once one direction is over the other gets a second (containerd's
/// grace), except that a client that only half-closed is waited for: the pod sees EOF and
/// answers in its own time.
struct PortForwardPipe: Sendable {
    let dialer: PortForwardDialer
    let target: PortForwardTarget
    let linger: Duration
    let logger: Logger

    /// Relays until done; returns the failure in containerd's words (without the network
    /// namespace prefix), nil when both sides just ended.
    func run(port: Int, relay: PortForwardRelay, send: @escaping @Sendable (ByteBuffer) async throws -> Void,
             podClosed: @escaping @Sendable () async -> Void) async -> String? {
        defer { relay.close() }
        let connection: PortForwardDialer.Connection
        do {
            connection = try await dialer.dial(port: port, sandboxID: target.sandboxID)
        } catch {
            return error.description
        }
        logger.debug("port-forward connected", metadata: ["pod": .string(target.podName), "port": "\(port)"])
        let link = Self.describe(connection.channel)
        do {
            return try await connection.executeThenClose { inbound, outbound in
                await copy(relay: relay, link: link, inbound: inbound, outbound: outbound, send: send, podClosed: podClosed)
            }
        } catch {
            return "\(error)"
        }
    }

    /// Go's `tcp4 127.0.0.1:41234->127.0.0.1:2379` for an `*net.OpError` on a connection.
    static func describe(_ channel: any Channel) -> String {
        func text(_ address: SocketAddress?) -> String {
            guard let address, let ip = address.ipAddress, let port = address.port else { return "?" }
            return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
        }
        let network = channel.remoteAddress?.protocol == .inet6 ? "tcp6" : "tcp4"
        return "\(network) \(text(channel.localAddress))->\(text(channel.remoteAddress))"
    }

    private enum Side: Sendable {
        case toPod(String?)
        case fromPod(String?)
        case clientReset
        case linger
    }

    private func copy(relay: PortForwardRelay, link: String, inbound: NIOAsyncChannelInboundStream<ByteBuffer>,
                      outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
                      send: @escaping @Sendable (ByteBuffer) async throws -> Void,
                      podClosed: @escaping @Sendable () async -> Void) async -> String? {
        let inboundBox = UnsafeTransfer(inbound)
        return await withTaskGroup(of: Side.self) { group in
            // Client → pod, then a half-close so the pod reads EOF.
            group.addTask {
                do {
                    for await chunk in relay.inbox {
                        try await outbound.write(chunk)
                        relay.consumed(chunk.readableBytes)
                    }
                } catch {
                    return .toPod("write \(link): \(PortForwardDialer.goErrorText(error, operation: "write"))")
                }
                if relay.end == .reset { return .clientReset }
                outbound.finish()
                return .toPod(nil)
            }
            // Pod → client.
            group.addTask {
                do {
                    for try await var buffer in inboundBox.value {
                        guard relay.end != .reset else { return .clientReset }
                        while buffer.readableBytes > 0 {
                            try await send(buffer.readSlice(length: min(buffer.readableBytes, SPDYFrame.maxDataChunk))!)
                        }
                    }
                } catch is SendQueueClosed {
                    return .clientReset
                } catch {
                    return .fromPod("read \(link): \(PortForwardDialer.goErrorText(error, operation: "read"))")
                }
                await podClosed()
                return .fromPod(nil)
            }
            var failure: String?
            var toPodDone = false, fromPodDone = false
            while let side = await group.next() {
                switch side {
                case .toPod(let error):
                    toPodDone = true
                    failure = failure ?? error
                case .fromPod(let error):
                    fromPodDone = true
                    failure = failure ?? error
                    if !toPodDone {
                        // containerd gives the other direction a second to finish.
                        let linger = self.linger
                        group.addTask {
                            try? await Task.sleep(for: linger)
                            return .linger
                        }
                    }
                case .clientReset, .linger:
                    toPodDone = true
                    fromPodDone = true
                }
                if (toPodDone && fromPodDone) || failure != nil { break }
            }
            group.cancelAll()
            return failure
        }
    }
}

/// Hands a value that is only ever used by one task at a time across a task boundary.
struct UnsafeTransfer<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
