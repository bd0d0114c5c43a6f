import Foundation
import Hummingbird
import HummingbirdTLS
import HummingbirdWebSocket
import KetchBootstrap
import KubeCore
import Logging
import NIOSSL

/// The composition root of `ketch apiserver`: connects to etcd, loads what authorization and
/// routing need, starts the kubelet emulation, and serves HTTPS until SIGINT or SIGTERM.
public struct APIServer: Sendable {
    /// The parsed kube-apiserver flags.
    public let options: APIServerOptions
    /// Where the server logs.
    public let logger: Logger

    /// The seed to write into an empty store (no `default` namespace yet), as kube-apiserver
    /// creates its bootstrap objects; nil when there is none to write.
    public let bootstrap: @Sendable () throws -> RegistrySeed?

    /// Creates a server for `options`.
    public init(options: APIServerOptions, logger: Logger,
                bootstrap: @escaping @Sendable () throws -> RegistrySeed? = { nil }) {
        self.options = options
        self.logger = logger
        self.bootstrap = bootstrap
    }

    /// Serves until cancelled or signalled.
    public func run() async throws {
        let backend = try await EtcdRegistryBackend.connect(options: options, logger: logger)
        let root = options.etcdPrefix.hasSuffix("/") ? String(options.etcdPrefix.dropLast()) : options.etcdPrefix
        let store = RegistryObjectStore(backend: backend, root: root)

        try await bootstrapIfEmpty(backend: backend, root: root)
        let rbacMirror = PrefixMirror(backend: backend, prefixes: Authorizer.prefixes(root: root), logger: logger)
        let crdMirror = PrefixMirror(backend: backend, prefixes: ResourceRegistry.prefixes(root: root), logger: logger)
        _ = try await rbacMirror.load()
        _ = try await crdMirror.load()
        let registry = ResourceRegistry(mirror: crdMirror)
        let authorizer = Authorizer(mirror: rbacMirror, root: root, enabled: options.rbacEnabled,
                                    nodeMode: options.authorizationModes.contains("Node"))

        let verifier = try ServiceAccountTokenVerifier(
            publicKeyPEMs: try options.serviceAccountKeyFiles.map { try String(contentsOfFile: $0, encoding: .utf8) },
            issuers: options.serviceAccountIssuers, audiences: options.apiAudiences)
        var issuer: ServiceAccountTokenIssuer?
        if let keyFile = options.serviceAccountSigningKeyFile, let name = options.serviceAccountIssuers.first {
            issuer = try ServiceAccountTokenIssuer(signingKeyPEM: try String(contentsOfFile: keyFile, encoding: .utf8), issuer: name)
        }
        let tokens = TokenRequestHandler(issuer: issuer, verifier: verifier, audiences: options.apiAudiences)

        let services = ServiceIPAllocator(cidr: options.serviceClusterIPRange)
        do {
            try await services.repair(store: store)
        } catch {
            logger.warning("could not mark existing Services' cluster IPs taken", metadata: ["error": "\(error)"])
        }

        let kubelet = options.disableKubelet ? nil : try KubeletRoutes.make(options: options, store: store, logger: logger)
        let advertise = options.advertiseAddress ?? "127.0.0.1"
        let api = APIRouter(
            store: store, registry: registry,
            authenticator: Authenticator(tokens: options.serviceAccountKeyFiles.isEmpty ? nil : verifier),
            authorizer: authorizer,
            resources: ResourceHandler(store: store, registry: registry, services: services, logger: logger),
            watches: WatchHandler(store: store, logger: logger),
            discovery: DiscoveryHandler(registry: registry, serverAddress: "\(advertise):\(options.securePort)"),
            kubelet: kubelet, tokens: tokens,
            reviews: ReviewHandler(authorizer: authorizer, tokens: options.serviceAccountKeyFiles.isEmpty ? nil : verifier),
            anonymousAuth: options.anonymousAuth, logger: logger
        )
        let router = api.build()

        let app = Application(
            router: router,
            server: try .kubeHTTP(webSocketRouter: router, spdyExec: { try await api.spdyExecTarget(head: $0, channel: $1) },
                                  tlsConfiguration: try tlsConfiguration()),
            configuration: .init(address: .hostname(options.bindAddress, port: options.securePort), serverName: nil),
            onServerRunning: { [logger, options] _ in
                logger.info("Serving securely on \(options.bindAddress):\(options.securePort)")
            },
            logger: logger)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await rbacMirror.run() }
            group.addTask { await crdMirror.run() }
            if let kubelet { group.addTask { try await kubelet.runEmulator() } }
            group.addTask { try await app.runService() }
            // The server ends on SIGINT/SIGTERM; everything else goes with it.
            try await group.next()
            logger.info("HTTP server stopped; stopping background work")
            group.cancelAll()
        }
        logger.info("background work stopped; closing the etcd client")
        await backend.close()
        logger.info("stopped")
    }

    /// Writes the bootstrap seed when the store has never served a cluster, under `root`
    /// (`--etcd-prefix`), by the same seeding path as `ketch init`.
    func bootstrapIfEmpty(backend: any RegistryBackend, root: String) async throws {
        guard try await backend.get("\(root)/namespaces/default") == nil else { return }
        let written = try await bootstrap()?.preload(into: RegistryBackendSeedSink(backend: backend), keyPrefix: root) ?? 0
        logger.info("created \(written) bootstrap objects in an empty store")
    }

    /// HTTPS with the serving pair; client certificates are asked for and, when presented,
    /// verified against `--client-ca-file`, as kube-apiserver does.
    func tlsConfiguration() throws -> TLSConfiguration {
        guard let certFile = options.tlsCertFile, let keyFile = options.tlsPrivateKeyFile else {
            throw KubeStatus.internalError("--tls-cert-file and --tls-private-key-file are required")
        }
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certFile).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem)))
        tls.minimumTLSVersion = .tlsv12
        if let ca = options.clientCAFile {
            tls.trustRoots = .file(ca)
            tls.certificateVerification = .optionalVerification
        }
        return tls
    }
}
