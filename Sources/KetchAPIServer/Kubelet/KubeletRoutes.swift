import Foundation
import Hummingbird
import HummingbirdWebSocket
import KubeCore
import Logging

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
    func podSubresource(_ request: Request, info: RequestInfo, query: RequestQuery) async throws -> Response {
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
        default:
            throw KubeStatus.badRequest("Upgrade request required")
        }
    }
}

extension KubeletRoutes {
    /// The pod an exec URL names: `/api/v1/namespaces/<ns>/pods/<name>/exec`.
    private func pod(for path: String) async throws -> JSONValue {
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
