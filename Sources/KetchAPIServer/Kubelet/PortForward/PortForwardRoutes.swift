import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import KubeCore
import Logging
import NIOCore

/// The checks and protocol choices for `pods/portforward`, with the wording of the component
/// that makes them: kube-apiserver (`PortForwardLocation`, the tunnelling handler) or the kubelet
/// (its pod lookup, `httpstream.Handshake`, wsstream's handshake).
enum PortForwardRequest {
    /// The pod must be bound to a node (kube-apiserver), and be one this node runs: only mirror
    /// pods have processes behind them here (the kubelet answers 404 `pod does not exist`).
    static func validate(pod: JSONValue) throws(KubeStatus) {
        let name = pod["metadata"]?["name"]?.string ?? ""
        guard let node = pod["spec"]?["nodeName"]?.string, !node.isEmpty else {
            throw .badRequest("pod \(name) does not have a host assigned")
        }
        guard MirrorPod.isMirrorPod(pod) else {
            throw KubeStatus(code: 404, reason: "NotFound", message: "pod does not exist",
                             details: .object(["name": .string(name), "kind": .string("pods")]))
        }
    }

    /// `httpstream.Handshake` for the SPDY upgrade: the client must offer `portforward.k8s.io`
    /// in `X-Stream-Protocol-Version`.
    static func negotiateSPDY(_ offered: [String]) throws(KubeStatus) {
        guard !offered.isEmpty else {
            throw .badRequest("unable to upgrade: \(SPDYExecProtocol.header.rawName) is required")
        }
        guard offered.contains(PortForwardSession.protocolName) else {
            throw KubeStatus(code: 403, reason: "Forbidden",
                             message: "unable to upgrade: unable to negotiate protocol: client supports \(goList(offered)), "
                                 + "server accepts \(goList([PortForwardSession.protocolName]))")
        }
    }

    /// How a WebSocket port-forward is spoken.
    enum WebSocketMode: Sendable, Equatable {
        /// SPDY frames in binary messages (`SPDY/3.1+portforward.k8s.io`).
        case tunnel
        /// The kubelet's channel protocol (`v4.channel.k8s.io`, its base64 variant, or no
        /// subprotocol at all): one data and one error channel per `ports` entry.
        case channels(protocolName: String, base64: Bool)
    }

    /// kube-apiserver tunnels requests offering any `SPDY/3.1+*.k8s.io` subprotocol (and the
    /// kubelet then needs `portforward.k8s.io` among them); the rest go to the kubelet's
    /// WebSocket handler, which picks the client's first protocol it knows (none offered
    /// counts as the empty protocol).
    static func negotiateWebSocket(_ offered: [String]) throws(KubeStatus) -> WebSocketMode {
        let tunnelled = offered.filter {
            $0.hasPrefix(PortForwardSession.tunnelingPrefix) && $0.hasSuffix(".k8s.io")
        }.map { String($0.dropFirst(PortForwardSession.tunnelingPrefix.count)) }
        if !tunnelled.isEmpty {
            try negotiateSPDY(tunnelled)
            return .tunnel
        }
        let requested = offered.isEmpty ? [""] : offered
        for name in requested {
            switch name {
            case "", PortForwardChannels.binaryProtocol: return .channels(protocolName: name, base64: false)
            case PortForwardChannels.base64Protocol: return .channels(protocolName: name, base64: true)
            default: continue
            }
        }
        throw .badRequest("unable to upgrade websocket connection: requested protocol(s) are not supported: "
            + "\(goList(offered)); supports \(goList(["", PortForwardChannels.binaryProtocol, PortForwardChannels.base64Protocol]))")
    }

    /// The kubelet's `NewV4Options`: the ports of a channel-protocol request (kube-apiserver
    /// passes `ports` on as `port`; each value may hold several, comma-separated).
    static func channelPorts(query: String) throws(KubeStatus) -> [UInt16] {
        let items = QueryItems(query)
        let values = items.all("ports") + items.all("port")
        guard !values.isEmpty else { throw .badRequest("query parameter \"port\" is required") }
        var ports: [UInt16] = []
        for value in values {
            guard !value.isEmpty else { throw .badRequest("query parameter \"port\" cannot be empty") }
            for part in value.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
                switch GoParse.uint(part, bits: 16) {
                case .failure(let error):
                    throw .badRequest("unable to parse \(goQuoted(value)) as a port: \(error)")
                case .success(let port):
                    guard port >= 1 else { throw .badRequest("port \(goQuoted(value)) must be > 0") }
                    ports.append(UInt16(port))
                }
            }
        }
        return ports
    }

    /// Go's `%v` of a `[]string`: `[a b]`.
    static func goList(_ items: [String]) -> String {
        "[" + items.joined(separator: " ") + "]"
    }
}

extension KubeletRoutes {
    /// Whether a `pods/portforward` WebSocket upgrade goes ahead, and with which subprotocol
    /// (authorization, `create pods/portforward`, has already run as for any request).
    func shouldUpgradePortForward(_ request: Request, _ context: KubeRequestContext) async throws -> RouterShouldUpgrade {
        let pod = try await pod(for: request.uri.path)
        try PortForwardRequest.validate(pod: pod)
        switch try PortForwardRequest.negotiateWebSocket(ExecSession.requestedProtocols(request.headers)) {
        case .tunnel:
            return .upgrade([.secWebSocketProtocol: PortForwardSession.tunnelingProtocol])
        case .channels(let name, _):
            _ = try PortForwardRequest.channelPorts(query: request.uri.query ?? "")
            return .upgrade(name.isEmpty ? [:] : [.secWebSocketProtocol: name])
        }
    }

    /// Serves an upgraded `pods/portforward` WebSocket.
    func portForward(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter,
                     _ context: WebSocketRouterContext<KubeRequestContext>) async throws {
        let http = context.request
        let pod = try await pod(for: http.uri.path)
        let target = PortForwardTarget(pod: pod)
        switch try PortForwardRequest.negotiateWebSocket(ExecSession.requestedProtocols(http.headers)) {
        case .tunnel:
            let writer = try SPDYTunnelWriter(outbound)
            await PortForwardSession(target: target, logger: logger)
                .run(frames: SPDYTunnelFrames(inbound), write: { try await writer.write($0) })
        case .channels(_, let base64):
            let ports = try PortForwardRequest.channelPorts(query: http.uri.query ?? "")
            await PortForwardChannels(target: target, ports: ports, base64: base64, logger: logger)
                .run(inbound: inbound, outbound: outbound)
        }
    }

    /// Whether an `Upgrade: SPDY/3.1` port-forward is served: authorized as the plain request
    /// (`create pods/portforward`), for a pod this node runs, offering `portforward.k8s.io`.
    func spdyPortForwardTarget(request: Request, context: KubeRequestContext, auth: AuthMiddleware) async -> SPDYUpgradeTarget? {
        guard (try? PortForwardRequest.negotiateSPDY(SPDYExecProtocol.offered(request.headers))) != nil else { return nil }
        let found = LockedValue<SPDYUpgradeTarget?>(nil)
        do {
            _ = try await auth.handle(request, context: context) { request, _ in
                let pod = try await self.pod(for: request.uri.path)
                try PortForwardRequest.validate(pod: pod)
                found.withLock { $0 = .portForward(PortForwardTarget(pod: pod)) }
                return Response(status: .ok)
            }
        } catch {
            return nil
        }
        return found.withLock { $0 }
    }
}

extension PortForwardSession {
    /// Serves an upgraded SPDY/3.1 connection until the client closes it.
    func run(_ channel: NIOAsyncChannel<SPDYFrame, SPDYFrame>) async {
        do {
            try await channel.executeThenClose { inbound, outbound in
                await run(frames: inbound, write: { try await outbound.write($0) })
            }
        } catch {
            logger.debug("SPDY port-forward connection ended", metadata: ["error": "\(error)"])
        }
    }
}
