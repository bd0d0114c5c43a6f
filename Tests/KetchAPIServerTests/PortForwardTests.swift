import Foundation
import HTTPTypes
import KubeCore
import Logging
import NIOCore
import NIOPosix
import Testing
@testable import KetchAPIServer

@Suite struct PortForwardStreamTableTests {
    func headers(_ pairs: [String: String]) -> SPDYHeaders {
        SPDYHeaders(pairs.sorted { $0.key < $1.key }.map { (name: $0.key.lowercased(), values: [$0.value]) })
    }

    @Test func rejectsStreamsWithBadHeadersInKubeletWords() {
        var table = PortForwardStreamTable()
        func reason(_ h: [String: String]) -> String? {
            if case .rejected(let reason) = table.open(id: 1, headers: headers(h)) { return reason }
            return nil
        }
        #expect(reason(["streamType": "data"]) == "\"port\" header is required")
        #expect(reason(["port": "abc", "streamType": "data"])
            == "unable to parse \"abc\" as a port: strconv.ParseUint: parsing \"abc\": invalid syntax")
        #expect(reason(["port": "70000", "streamType": "data"])
            == "unable to parse \"70000\" as a port: strconv.ParseUint: parsing \"70000\": value out of range")
        #expect(reason(["port": "0", "streamType": "data"]) == "port \"0\" must be > 0")
        #expect(reason(["port": "80"]) == "\"streamType\" header is required")
        #expect(reason(["port": "80", "streamType": "stdin"]) == "invalid stream type \"stdin\"")
    }

    @Test func pairsStreamsByRequestID() {
        var table = PortForwardStreamTable()
        let e0 = table.open(id: 1, headers: headers(["streamType": "error", "port": "2379", "requestID": "0"]))
        #expect(e0 == .accepted(.init(id: 1, type: .error, port: 2379, requestID: "0"), complete: nil))
        // Another connection's error stream in between.
        _ = table.open(id: 3, headers: headers(["streamType": "error", "port": "8080", "requestID": "1"]))
        let d0 = table.open(id: 5, headers: headers(["streamType": "data", "port": "2379", "requestID": "0"]))
        #expect(d0 == .accepted(.init(id: 5, type: .data, port: 2379, requestID: "0"),
                                complete: .init(requestID: "0", errorStream: 1, dataStream: 5, port: 2379)))
        #expect(table.pendingRequests == ["1"])
        // A completed pair is forgotten: the same request id starts a new pair.
        if case .accepted(_, let complete) = table.open(id: 7, headers: headers(["streamType": "error", "port": "1", "requestID": "0"])) {
            #expect(complete == nil)
        } else {
            Issue.record("expected accepted")
        }
        #expect(table.stream(5)?.type == .data)
        table.remove(stream: 5)
        #expect(table.stream(5) == nil)
    }

    @Test func duplicateStreamTypeIsReportedOnTheErrorStream() {
        var table = PortForwardStreamTable()
        _ = table.open(id: 1, headers: headers(["streamType": "error", "port": "80", "requestID": "9"]))
        let again = table.open(id: 3, headers: headers(["streamType": "error", "port": "80", "requestID": "9"]))
        #expect(again == .duplicate(.init(id: 3, type: .error, port: 80, requestID: "9"),
                                    message: "error processing stream for request 9: error stream already assigned", errorStream: 1))
    }

    @Test func legacyClientsArePairedByStreamID() {
        #expect(PortForwardStreamTable.requestID(nil, streamID: 5, type: .error) == "5")
        #expect(PortForwardStreamTable.requestID("", streamID: 7, type: .data) == "5")
        #expect(PortForwardStreamTable.requestID("12", streamID: 7, type: .data) == "12")
        var table = PortForwardStreamTable()
        _ = table.open(id: 5, headers: headers(["streamType": "error", "port": "80"]))
        let data = table.open(id: 7, headers: headers(["streamType": "data", "port": "80"]))
        #expect(data == .accepted(.init(id: 7, type: .data, port: 80, requestID: "5"),
                                  complete: .init(requestID: "5", errorStream: 5, dataStream: 7, port: 80)))
    }

    @Test func incompletePairsExpire() {
        var table = PortForwardStreamTable(creationTimeout: 30)
        let start = Date()
        _ = table.open(id: 1, headers: headers(["streamType": "error", "port": "80", "requestID": "0"]), now: start)
        _ = table.open(id: 3, headers: headers(["streamType": "data", "port": "80", "requestID": "1"]), now: start)
        #expect(table.expire(now: start.addingTimeInterval(29)).isEmpty)
        let expired = table.expire(now: start.addingTimeInterval(31))
        #expect(expired == [.init(requestID: "0", errorStream: 1, dataStream: nil),
                            .init(requestID: "1", errorStream: nil, dataStream: 3)])
        #expect(table.pendingRequests.isEmpty)
    }

    @Test func goParsing() {
        #expect(GoParse.uint("0080", bits: 16) == .success(80))
        #expect(GoParse.uint("65535", bits: 16) == .success(65535))
        #expect(GoParse.uint("65536", bits: 16) == .failure(.range("65536")))
        #expect(GoParse.uint("+1", bits: 16) == .failure(.syntax("+1")))
        #expect(GoParse.uint("99999999999999999999999", bits: 64) == .failure(.range("99999999999999999999999")))
        #expect(GoParse.quote("a\"b\n") == "\"a\\\"b\\n\"")
    }
}

@Suite struct PortForwardRequestTests {
    func pod(mirror: Bool, node: String? = "node1") -> JSONValue {
        var metadata: [String: JSONValue] = ["name": .string("etcd-node1"), "namespace": .string("kube-system"),
                                             "uid": .string("u-1")]
        if mirror { metadata["annotations"] = .object([MirrorPod.mirrorAnnotation: .string("h")]) }
        var spec: [String: JSONValue] = [:]
        if let node { spec["nodeName"] = .string(node) }
        return .object(["metadata": .object(metadata), "spec": .object(spec)])
    }

    @Test func onlyMirrorPodsOnANodeCanBeForwardedTo() throws {
        try PortForwardRequest.validate(pod: pod(mirror: true))
        #expect(throws: KubeStatus(code: 404, reason: "NotFound", message: "pod does not exist",
                                   details: .object(["name": .string("etcd-node1"), "kind": .string("pods")]))) {
            try PortForwardRequest.validate(pod: pod(mirror: false))
        }
        #expect(throws: KubeStatus.badRequest("pod etcd-node1 does not have a host assigned")) {
            try PortForwardRequest.validate(pod: pod(mirror: true, node: nil))
        }
    }

    @Test func negotiatesTheSPDYProtocol() throws {
        try PortForwardRequest.negotiateSPDY(["portforward.k8s.io"])
        #expect(throws: KubeStatus.badRequest("unable to upgrade: X-Stream-Protocol-Version is required")) {
            try PortForwardRequest.negotiateSPDY([])
        }
        #expect(throws: KubeStatus(code: 403, reason: "Forbidden", message:
            "unable to upgrade: unable to negotiate protocol: client supports [v4.channel.k8s.io v3.channel.k8s.io], server accepts [portforward.k8s.io]")) {
            try PortForwardRequest.negotiateSPDY(["v4.channel.k8s.io", "v3.channel.k8s.io"])
        }
    }

    @Test func negotiatesWebSocketModes() throws {
        #expect(try PortForwardRequest.negotiateWebSocket(["SPDY/3.1+portforward.k8s.io"]) == .tunnel)
        #expect(throws: KubeStatus.self) { try PortForwardRequest.negotiateWebSocket(["SPDY/3.1+v4.channel.k8s.io"]) }
        #expect(try PortForwardRequest.negotiateWebSocket([]) == .channels(protocolName: "", base64: false))
        #expect(try PortForwardRequest.negotiateWebSocket(["v4.base64.channel.k8s.io", "v4.channel.k8s.io"])
            == .channels(protocolName: "v4.base64.channel.k8s.io", base64: true))
        #expect(try PortForwardRequest.negotiateWebSocket(["nope", "v4.channel.k8s.io"])
            == .channels(protocolName: "v4.channel.k8s.io", base64: false))
        #expect(throws: KubeStatus.self) { try PortForwardRequest.negotiateWebSocket(["v5.channel.k8s.io"]) }
    }

    @Test func parsesChannelPorts() throws {
        #expect(try PortForwardRequest.channelPorts(query: "ports=2379,2381&ports=80") == [2379, 2381, 80])
        #expect(throws: KubeStatus.badRequest("query parameter \"port\" is required")) {
            try PortForwardRequest.channelPorts(query: "")
        }
        #expect(throws: KubeStatus.badRequest("port \"0\" must be > 0")) { try PortForwardRequest.channelPorts(query: "ports=0") }
        #expect(throws: KubeStatus.self) { try PortForwardRequest.channelPorts(query: "ports=x") }
    }

    @Test func channelMessages() {
        guard case .binary(let binary) = PortForwardChannels.message(channel: 3, ByteBuffer(bytes: [1, 2]), base64: false) else {
            Issue.record("expected binary")
            return
        }
        #expect(Array(buffer: binary) == [3, 1, 2])
        guard case .text(let text) = PortForwardChannels.message(channel: 1, ByteBuffer(string: "hi"), base64: true) else {
            Issue.record("expected text")
            return
        }
        #expect(text == "1aGk=")
        let parsed = PortForwardChannels.parse(.text("2aGk="), base64: true)
        #expect(parsed?.channel == 2 && parsed.map { String(buffer: $0.payload) } == "hi")
        #expect(PortForwardChannels.parse(.binary(ByteBuffer(bytes: [0, 65])), base64: false)?.channel == 0)
        #expect(PortForwardChannels.parse(.text("0aGk="), base64: false) == nil)
    }

    @Test func errorTextsFollowContainerd() {
        let target = PortForwardTarget(namespace: "kube-system", podName: "etcd-n", sandboxID: "abc")
        let failure = PortForwardDialer.Failure(port: 9, sandboxID: "abc", ipv4: "dial tcp4 127.0.0.1:9: connect: connection refused",
                                                ipv6: "dial tcp6 [::1]:9: connect: connection refused")
        #expect(target.forwardingError(port: 9, PortForwardTarget.inNamespace(failure.description)) ==
            "error forwarding port 9 to pod abc, uid : failed to execute portforward in network namespace \"host\": "
            + "failed to connect to localhost:9 inside namespace \"abc\", IPv4: dial tcp4 127.0.0.1:9: connect: connection refused "
            + "IPv6 dial tcp6 [::1]:9: connect: connection refused ")
        #expect(PortForwardDialer.goErrno(ECONNREFUSED) == "connection refused")
        #expect(PortForwardTarget(pod: .object(["metadata": .object(["uid": .string("u")])])).sandboxID.count == 64)
    }
}

@Suite struct SendQueueTests {
    @Test func writesInOrderAndAcknowledges() async throws {
        let queue = SendQueue<Int>()
        let written = LockedValue([Int]())
        let writer = Task { await queue.drain { value in written.withLock { $0.append(value) } } }
        queue.post(0)
        try await queue.send(1)
        queue.post(2)
        try await queue.send(3)
        #expect(written.withLock { $0 } == [0, 1, 2, 3])
        queue.close()
        await writer.value
        await #expect(throws: SendQueueClosed.self) { try await queue.send(4) }
    }

    @Test func closeFailsQueuedSenders() async throws {
        let queue = SendQueue<String>()
        let pending = Task { try await queue.send("never written") }
        while queue.pending == 0 { await Task.yield() }
        queue.close()
        await #expect(throws: SendQueueClosed.self) { try await pending.value }
    }

    @Test func finishWritesWhatIsQueuedThenStops() async throws {
        let queue = SendQueue<Int>()
        let written = LockedValue([Int]())
        queue.post(1)
        queue.post(2)
        queue.finish()
        queue.post(3) // too late: dropped
        await queue.drain { value in written.withLock { $0.append(value) } }
        #expect(written.withLock { $0 } == [1, 2])
        await #expect(throws: SendQueueClosed.self) { try await queue.send(4) }
    }

    @Test func aFailedWriteClosesTheQueue() async throws {
        struct Broken: Error {}
        let queue = SendQueue<Int>()
        let writer = Task { await queue.drain { _ in throw Broken() } }
        await #expect(throws: Broken.self) { try await queue.send(1) }
        await writer.value
        await #expect(throws: SendQueueClosed.self) { try await queue.send(2) }
    }
}

@Suite struct PortForwardRelayTests {
    @Test func holdsTheReaderBackPastTheLimit() async throws {
        let relay = PortForwardRelay(dataStream: 3, limit: 4)
        relay.received(ByteBuffer(bytes: [1, 2, 3]), fin: false)
        relay.received(ByteBuffer(bytes: [4, 5, 6]), fin: false)
        #expect(relay.buffered == 6)
        let waiting = Task { await relay.waitForRoom() }
        try await Task.sleep(for: .milliseconds(20))
        relay.consumed(3) // 3 left: under the limit
        await waiting.value
        relay.received(ByteBuffer(), fin: true)
        #expect(relay.end == .finished)
        var chunks: [[UInt8]] = []
        for await chunk in relay.inbox { chunks.append(Array(buffer: chunk)) }
        #expect(chunks == [[1, 2, 3], [4, 5, 6]])
        relay.received(ByteBuffer(bytes: [7]), fin: false) // after the end: dropped
        #expect(relay.buffered == 3)
        #expect(relay.claimFin() && !relay.claimFin())
    }

    @Test func resetEndsBothWays() async {
        let relay = PortForwardRelay(dataStream: 3)
        relay.reset()
        #expect(relay.end == .reset && !relay.claimFin())
        for await _ in relay.inbox { Issue.record("no data after a reset") }
    }
}

@Suite struct SPDYFrameBytesTests {
    @Test func framesSplitAcrossMessagesDecode() throws {
        let encoder = try SPDYFrameEncoder()
        var bytes = ByteBuffer()
        let sent: [SPDYFrame] = [
            .synStream(streamID: 1, associatedTo: 0, priority: 0, flags: 0,
                       headers: SPDYHeaders([(name: "streamtype", values: ["error"]), (name: "port", values: ["2379"]),
                                             (name: "requestid", values: ["0"])])),
            .data(streamID: 1, fin: true, payload: ByteBuffer()),
            .data(streamID: 3, fin: false, payload: ByteBuffer(string: "hello")),
            .ping(id: 7),
        ]
        for frame in sent { try encoder.encode(data: frame, out: &bytes) }
        // Fed a byte at a time, as WebSocket messages need not line up with frames.
        let decoder = try SPDYFrameDecoder()
        var pending = ByteBuffer()
        var got: [SPDYFrame] = []
        while var one = bytes.readSlice(length: 1) {
            pending.writeBuffer(&one)
            while let frame = try decoder.decodeFrame(&pending) { got.append(frame) }
        }
        #expect(got.count == 4)
        guard case .synStream(1, _, _, _, let headers) = got[0] else { Issue.record("\(got[0])"); return }
        #expect(headers["streamType"] == "error" && headers["port"] == "2379" && headers["requestID"] == "0")
        guard case .data(3, false, let payload) = got[2] else { Issue.record("\(got[2])"); return }
        #expect(String(buffer: payload) == "hello")
        guard case .ping(7) = got[3] else { Issue.record("\(got[3])"); return }
    }
}

/// A whole connection driven frame by frame against real loopback sockets.
@Suite struct PortForwardSessionTests {
    /// Echoes what it reads; closes its side when the peer half-closes.
    final class Echo: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            context.writeAndFlush(data, promise: nil)
        }
        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if let event = event as? ChannelEvent, event == .inputClosed { context.close(promise: nil) }
        }
    }

    static func echoServer() async throws -> any Channel {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Echo()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    /// A port nothing listens on (bound, then closed).
    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress!.port!
        try await channel.close()
        return port
    }

    /// The client side: frames in, frames out, read with a deadline.
    final class Client: Sendable {
        let toServer: AsyncStream<SPDYFrame>.Continuation
        let session: Task<Void, Never>
        private let received = LockedValue((frames: [SPDYFrame](), read: 0))

        init(_ session: PortForwardSession) {
            let (inbound, toServer) = AsyncStream<SPDYFrame>.makeStream()
            self.toServer = toServer
            let received = self.received
            self.session = Task {
                await session.run(frames: inbound, write: { frame in received.withLock { $0.frames.append(frame) } })
            }
        }

        func open(_ id: UInt32, _ type: String, port: Int, request: String) {
            toServer.yield(.synStream(streamID: id, associatedTo: 0, priority: 0, flags: 0, headers: SPDYHeaders([
                (name: "streamtype", values: [type]), (name: "port", values: [String(port)]),
                (name: "requestid", values: [request]),
            ])))
        }

        /// The next frame from the server (nil after 10 s).
        func next() async -> SPDYFrame? {
            // Generous: the whole unit suite runs in parallel on two cores, and tests that do
            // heavy synchronous work (RSA keys) can keep the session's tasks waiting for seconds.
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                let frame: SPDYFrame? = received.withLock { r in
                    guard r.read < r.frames.count else { return nil }
                    r.read += 1
                    return r.frames[r.read - 1]
                }
                if let frame { return frame }
                try? await Task.sleep(for: .milliseconds(2))
            }
            return nil
        }

        /// Frames until `done` says stop; what came on each stream, and which streams ended.
        func collect(until done: (_ data: [UInt32: [UInt8]], _ fins: Set<UInt32>) -> Bool) async
            -> (data: [UInt32: [UInt8]], fins: Set<UInt32>, replies: Set<UInt32>, resets: Set<UInt32>) {
            var data: [UInt32: [UInt8]] = [:], fins = Set<UInt32>(), replies = Set<UInt32>(), resets = Set<UInt32>()
            while !done(data, fins), let frame = await next() {
                switch frame {
                case .data(let id, let fin, let payload):
                    data[id, default: []] += Array(buffer: payload)
                    if fin { fins.insert(id) }
                case .synReply(let id, _, _): replies.insert(id)
                case .rstStream(let id, _): resets.insert(id)
                default: break
                }
            }
            return (data, fins, replies, resets)
        }
    }

    func session(creationTimeout: TimeInterval = 30) -> PortForwardSession {
        var session = PortForwardSession(target: PortForwardTarget(namespace: "kube-system", podName: "etcd-n", sandboxID: "sb"),
                                         logger: Logger(label: "test"))
        session.creationTimeout = creationTimeout
        return session
    }

    @Test func failedConnectionIsReportedAndTheConnectionServesTheNext() async throws {
        let echo = try await Self.echoServer()
        let echoPort = echo.localAddress!.port!
        let closed = try await Self.closedPort()
        let client = Client(session())

        // Pair 0: nothing listens. The error stream gets the kubelet's message, both streams end.
        client.open(1, "error", port: closed, request: "0")
        client.toServer.yield(.data(streamID: 1, fin: true, payload: ByteBuffer())) // kubectl half-closes it
        client.open(3, "data", port: closed, request: "0")
        let first = await client.collect { _, fins in fins.isSuperset(of: [1, 3]) }
        #expect(first.replies == [1, 3])
        let message = String(decoding: first.data[1] ?? [], as: UTF8.self)
        #expect(message.hasPrefix("error forwarding port \(closed) to pod sb, uid : failed to execute portforward in network namespace \"host\": "
            + "failed to connect to localhost:\(closed) inside namespace \"sb\", IPv4: dial tcp4 127.0.0.1:\(closed): connect: connection refused IPv6 dial tcp6 [::1]:\(closed): "),
                "\(message)")
        #expect(first.data[3, default: []].isEmpty)

        // Pair 1 on the same connection: bytes go through and come back; the client's FIN
        // reaches the pod as EOF, and the pod's close ends the streams, with no error text.
        client.open(5, "error", port: echoPort, request: "1")
        client.open(7, "data", port: echoPort, request: "1")
        client.toServer.yield(.data(streamID: 7, fin: false, payload: ByteBuffer(string: "hello ")))
        client.toServer.yield(.data(streamID: 7, fin: true, payload: ByteBuffer(string: "pod")))
        let second = await client.collect { _, fins in fins.isSuperset(of: [5, 7]) }
        #expect(second.replies == [5, 7])
        #expect(String(decoding: second.data[7] ?? [], as: UTF8.self) == "hello pod")
        #expect(second.data[5, default: []].isEmpty)

        // Pings are answered; a bad stream is reset.
        client.toServer.yield(.ping(id: 11))
        client.toServer.yield(.synStream(streamID: 9, associatedTo: 0, priority: 0, flags: 0,
                                         headers: SPDYHeaders([(name: "streamtype", values: ["data"])])))
        var ping = false, reset = false
        while !(ping && reset), let frame = await client.next() {
            if case .ping(11) = frame { ping = true }
            if case .rstStream(9, SPDYFrame.RstStatus.cancel) = frame { reset = true }
        }
        #expect(ping && reset)

        client.toServer.finish()
        await client.session.value
        try await echo.close()
    }

    @Test func largeTransfersKeepTheirOrder() async throws {
        let echo = try await Self.echoServer()
        let client = Client(session())
        client.open(1, "error", port: echo.localAddress!.port!, request: "0")
        client.open(3, "data", port: echo.localAddress!.port!, request: "0")
        let payload = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var offset = 0
        while offset < payload.count {
            let end = min(offset + 32 * 1024, payload.count)
            client.toServer.yield(.data(streamID: 3, fin: end == payload.count, payload: ByteBuffer(bytes: payload[offset..<end])))
            offset = end
        }
        let got = await client.collect { _, fins in fins.contains(3) }
        #expect(got.data[3] == payload)
        client.toServer.finish()
        await client.session.value
        try await echo.close()
    }

    @Test func clientResetEndsTheForwardedConnection() async throws {
        let echo = try await Self.echoServer()
        let client = Client(session())
        client.open(1, "error", port: echo.localAddress!.port!, request: "0")
        client.open(3, "data", port: echo.localAddress!.port!, request: "0")
        client.toServer.yield(.data(streamID: 3, fin: false, payload: ByteBuffer(string: "x")))
        _ = await client.collect { data, _ in data[3] == Array("x".utf8) }
        // kubectl resets the data stream when its side is done; the error stream then ends
        // (no error text), and the data stream gets no FIN after the reset.
        client.toServer.yield(.rstStream(streamID: 3, status: SPDYFrame.RstStatus.cancel))
        let end = await client.collect { _, fins in fins.contains(1) }
        #expect(end.fins == [1] && end.data[1, default: []].isEmpty)
        client.toServer.finish()
        await client.session.value
        try await echo.close()
    }

    @Test func incompletePairTimesOut() async throws {
        let client = Client(session(creationTimeout: 0.2))
        client.open(1, "error", port: 80, request: "4")
        let got = await client.collect { data, _ in !(data[1] ?? []).isEmpty }
        #expect(String(decoding: got.data[1] ?? [], as: UTF8.self).hasSuffix("request=4) timed out waiting for streams"))
        client.toServer.finish()
        await client.session.value
    }
}
