import Foundation
import Hummingbird
import HummingbirdWebSocket
import KubeCore
import Logging
import NIOCore

/// The node-facing part of the API that a kubelet would serve behind kube-apiserver:
/// `pods/log` and `pods/exec`, plus the emulator that keeps the Node and mirror pods current.
struct KubeletRoutes: Sendable {
    let store: RegistryObjectStore
    let emulator: KubeletEmulator
    let logs: ContainerLogs
    let exec: ExecContext
    let logger: Logger

    /// What exec sessions need to make the host look like the pod.
    struct ExecContext: Sendable {
        let environment: ExecEnvironment
    }

    /// Builds the kubelet side from the apiserver's flags.
    static func make(options: APIServerOptions, store: RegistryObjectStore, logger: Logger) throws -> KubeletRoutes? {
        guard let manifests = options.manifestDirectory else {
            logger.warning("no static Pod manifest directory (give --pod-manifest-path): kubelet emulation is off")
            return nil
        }
        let kubernetes = options.kubernetesDirectory
        let nodeName = options.nodeName
            ?? kubernetes.flatMap { KubeletEmulator.nodeName(stateKubeconfig: $0.appendingPathComponent("kubelet.conf")) }
            ?? ProcessInfo.processInfo.hostName.split(separator: ".").first.map { String($0).lowercased() } ?? "node"
        let address = options.advertiseAddress ?? KubeletEmulator.advertiseAddress(manifestDirectory: manifests) ?? "127.0.0.1"
        let logDirectory = options.logs ?? KubeletEmulator.defaultLogDirectory(manifestDirectory: manifests)
        let emulator = KubeletEmulator(store: store, nodeName: nodeName, manifestDirectory: manifests,
                                       nodeAddress: address, logDirectory: logDirectory, logger: logger)
        let environment = ExecEnvironment(manifestDirectory: manifests)
        do { try environment.prepare() } catch {
            logger.warning("kubectl exec will not find etcdctl", metadata: ["error": "\(error)"])
        }
        _ = kubernetes
        return KubeletRoutes(store: store, emulator: emulator, logs: ContainerLogs(logDirectory: logDirectory),
                             exec: ExecContext(environment: environment), logger: logger)
    }

    /// Runs the emulator until cancelled.
    func runEmulator() async throws {
        try await emulator.run()
    }

    /// `pods/log` (and the streaming subresources over plain HTTP, which need an upgrade).
    func podSubresource(_ request: Request, info: RequestInfo) async throws -> Response {
        let pods = BuiltinResources.pods
        guard let name = info.name, let namespace = info.namespace else { throw KubeStatus.pathNotFound(info.path) }
        guard let pod = try await store.get(pods, namespace: namespace, name: name) else {
            throw KubeStatus.notFound(pods, name: name)
        }
        switch info.subresource {
        case "log":
            let options = try LogOptions(query: request.uri.query ?? "")
            if options.follow {
                let stream = logs.follow(pod: pod, options: options)
                var headers = HTTPFields()
                headers[.contentType] = "text/plain"
                return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                    for try await chunk in stream {
                        try await writer.write(ByteBuffer(bytes: chunk))
                    }
                    try await writer.finish(nil)
                })
            }
            return KubeResponses.bytes(Array(try logs.read(pod: pod, options: options).utf8), contentType: "text/plain")
        case "exec" where SPDYUpgradeHandler.isSPDYUpgrade(request.headers):
            // An SPDY exec upgrade the upgrade handler turned down: say why, as kube does.
            try ExecSession.validate(request: ExecRequest(query: request.uri.query ?? ""), pod: pod)
            let offered = SPDYExecProtocol.offered(request.headers)
            if SPDYExecProtocol.negotiate(offered) == nil {
                throw KubeStatus.badRequest("unable to upgrade connection: requested protocols \(offered) are not supported; "
                    + "use one of \(SPDYExecProtocol.supported)")
            }
            throw KubeStatus.badRequest("Upgrade request required")
        case "portforward" where SPDYUpgradeHandler.isSPDYUpgrade(request.headers):
            // An SPDY port-forward upgrade the upgrade handler turned down: say why.
            try PortForwardRequest.validate(pod: pod)
            try PortForwardRequest.negotiateSPDY(SPDYExecProtocol.offered(request.headers))
            throw KubeStatus.badRequest("Upgrade request required")
        default:
            throw KubeStatus.badRequest("Upgrade request required")
        }
    }
}

extension KubeletRoutes {
    /// The pod an exec or port-forward URL names: `/api/v1/namespaces/<ns>/pods/<name>/exec`.
    func pod(for path: String) async throws -> JSONValue {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count == 7, parts[2] == "namespaces", parts[4] == "pods" else {
            throw KubeStatus.pathNotFound(path)
        }
        guard let pod = try await store.get(BuiltinResources.pods, namespace: parts[3], name: parts[5]) else {
            throw KubeStatus.notFound(BuiltinResources.pods, name: parts[5])
        }
        return pod
    }

    /// Whether an exec WebSocket upgrade goes ahead, and with which subprotocol (authorization
    /// has already run as for any request).
    func shouldUpgradeExec(_ request: Request, _ context: KubeRequestContext) async throws -> RouterShouldUpgrade {
        let pod = try await pod(for: request.uri.path)
        try ExecSession.validate(request: ExecRequest(query: request.uri.query ?? ""), pod: pod)
        return try ExecSession.upgrade(for: request)
    }

    /// Runs an exec session on the upgraded connection.
    func exec(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter,
              _ context: WebSocketRouterContext<KubeRequestContext>) async throws {
        let http = context.request
        let pod = try await pod(for: http.uri.path)
        let session = ExecSession(
            request: try ExecRequest(query: http.uri.query ?? ""), pod: pod, environment: exec.environment,
            protocolName: ExecSession.negotiateProtocol(requested: ExecSession.requestedProtocols(http.headers)) ?? ExecSession.v4,
            logger: logger)
        try await session.run(inbound: inbound, outbound: outbound)
    }
}

extension KubeletRoutes {
    /// Whether an `Upgrade: SPDY/3.1` exec request (kubectl < 1.31) is served, and what it runs:
    /// `auth` (the router's authentication and authorization) passes it as it would the plain
    /// request (`create pods/exec`), the pod exists and can be exec'd into, the query is a valid
    /// exec and a streaming protocol is shared. Nil otherwise: normal handling then answers the
    /// request with the error.
    ///
    /// The same goes for `pods/portforward` (`create pods/portforward`, protocol `portforward.k8s.io`).
    func spdyExecTarget(head: HTTPRequest, channel: any Channel, auth: AuthMiddleware) async -> SPDYUpgradeTarget? {
        let request = Request(head: head, body: .init(buffer: ByteBuffer()))
        var context = KubeRequestContext(source: .init(channel: channel, logger: logger))
        // Parsed into the context, so the auth middleware below reuses it.
        let info = context.parse(request).info
        guard info.isResourceRequest, info.resource == "pods", info.apiGroup.isEmpty else { return nil }
        if info.subresource == "portforward" {
            return await spdyPortForwardTarget(request: request, context: context, auth: auth)
        }
        guard info.subresource == "exec",
              let version = SPDYExecProtocol.negotiate(SPDYExecProtocol.offered(head.headerFields)) else { return nil }
        let found = LockedValue<SPDYUpgradeTarget?>(nil)
        do {
            _ = try await auth.handle(request, context: context) { request, _ in
                let pod = try await self.pod(for: request.uri.path)
                let exec = try ExecRequest(query: request.uri.query ?? "")
                try ExecSession.validate(request: exec, pod: pod)
                found.withLock { $0 = .exec(SPDYExecTarget(pod: pod, request: exec, environment: self.exec.environment,
                                                           protocolVersion: version)) }
                return Response(status: .ok)
            }
        } catch {
            return nil
        }
        return found.withLock { $0 }
    }
}
