import ArgumentParser
import Foundation
import KetchAPIServer
import KetchBootstrap
import Logging

/// `ketch apiserver`: a small kube-apiserver over etcd, started with kube-apiserver's flags.
struct APIServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apiserver",
        abstract: "Run a small kube-apiserver over any etcd v3 endpoint.",
        discussion: """
            The Kubernetes API server validates and configures data for the api objects which include pods, \
            services, configmaps, deployments and others. Ketch's serves them from etcd at kube-apiserver's \
            own keys (/registry/<resource>/<namespace>/<name>, JSON), with discovery, Table output, watch, \
            patch (JSON, merge, strategic merge, server-side apply), client-certificate and service-account \
            token authentication, and RBAC.

            It also acts as the node's kubelet: the Node object, mirror Pods for the static Pod manifests \
            (kubectl get pods -n kube-system), kubectl logs and kubectl exec.

            Takes kube-apiserver's flags, so the command in the kube-apiserver.yaml manifest written by \
            `ketch init` starts it. Flags it has no use for are accepted with a warning.
            """
    )

    @Option(name: .customLong("etcd-servers"), help: "List of etcd servers to connect with (scheme://ip:port), comma separated.")
    var etcdServers: String = "http://127.0.0.1:2379"
    @Option(name: .customLong("etcd-cafile"), help: "SSL Certificate Authority file used to secure etcd communication.")
    var etcdCAFile: String?
    @Option(name: .customLong("etcd-certfile"), help: "SSL certification file used to secure etcd communication.")
    var etcdCertFile: String?
    @Option(name: .customLong("etcd-keyfile"), help: "SSL key file used to secure etcd communication.")
    var etcdKeyFile: String?
    @Option(name: .customLong("etcd-prefix"), help: "The prefix to prepend to all resource paths in etcd.")
    var etcdPrefix: String = "/registry"
    @Option(name: .customLong("secure-port"), help: "The port on which to serve HTTPS with authentication and authorization.")
    var securePort: Int = 6443
    @Option(name: .customLong("bind-address"), help: "The IP address on which to listen for the --secure-port port.")
    var bindAddress: String = "0.0.0.0"
    @Option(name: .customLong("advertise-address"), help: "The IP address on which to advertise the apiserver to members of the cluster.")
    var advertiseAddress: String?
    @Option(name: .customLong("tls-cert-file"), help: "File containing the default x509 Certificate for HTTPS.")
    var tlsCertFile: String?
    @Option(name: .customLong("tls-private-key-file"), help: "File containing the default x509 private key matching --tls-cert-file.")
    var tlsPrivateKeyFile: String?
    @Option(name: .customLong("client-ca-file"), help: "If set, any request presenting a client certificate signed by one of the authorities in the client-ca-file is authenticated with an identity corresponding to the CommonName of the client certificate.")
    var clientCAFile: String?
    @Option(name: .customLong("service-account-key-file"), help: "File containing PEM-encoded x509 RSA or ECDSA public or private keys, used to verify ServiceAccount tokens. Repeatable.")
    var serviceAccountKeyFiles: [String] = []
    @Option(name: .customLong("service-account-signing-key-file"), help: "Path to the file that contains the current private key of the service account token issuer.")
    var serviceAccountSigningKeyFile: String?
    @Option(name: .customLong("service-account-issuer"), help: "Identifier of the service account token issuer. Repeatable; the first one issues.")
    var serviceAccountIssuers: [String] = []
    @Option(name: .customLong("api-audiences"), help: "Identifiers of the API. Defaults to the service account issuers.")
    var apiAudiences: String?
    @Option(name: .customLong("service-cluster-ip-range"), help: "A CIDR notation IP range from which to assign service cluster IPs.")
    var serviceClusterIPRange: String = "10.96.0.0/12"
    @Option(name: .customLong("authorization-mode"), help: "Ordered list of plug-ins to do authorization on secure port: AlwaysAllow, RBAC, Node.")
    var authorizationMode: String = "AlwaysAllow"
    @Option(name: .customLong("anonymous-auth"), help: "Enables anonymous requests to the secure port (true|false).")
    var anonymousAuth: String = "true"
    @Option(name: .customLong("pod-manifest-path"), help: "Ketch: the static Pod manifest directory (default: manifests beside the pki directory).")
    var podManifestPath: String?
    @Option(name: .customLong("log-dir"), help: "Ketch: where component logs are, for kubectl logs (default: logs in the state directory).")
    var logDirectory: String?
    @Option(name: .customLong("node-name"), help: "Ketch: the node this apiserver acts as kubelet for (default: from kubelet.conf, else the host name).")
    var nodeName: String?
    @Flag(name: .customLong("no-kubelet"), help: "Ketch: do not act as the node's kubelet (no Node, mirror Pods, logs or exec).")
    var noKubelet = false
    @Option(name: .customLong("v"), help: "Log level number: 0 info … 4+ debug.")
    var verbosity: Int = 0

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var otherFlags: [String] = []

    func run() async throws {
        let level: Logger.Level = verbosity >= 4 ? .debug : .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "kube-apiserver")
        for flag in otherFlags where flag.hasPrefix("--") {
            let name = flag.split(separator: "=", maxSplits: 1).first.map(String.init) ?? flag
            logger.info("flag \(name) is accepted and has no effect in Ketch")
        }
        var options = APIServerOptions()
        options.etcdServers = etcdServers.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        options.etcdCAFile = etcdCAFile
        options.etcdCertFile = etcdCertFile
        options.etcdKeyFile = etcdKeyFile
        options.etcdPrefix = etcdPrefix
        options.securePort = securePort
        options.bindAddress = bindAddress
        options.advertiseAddress = advertiseAddress
        options.tlsCertFile = tlsCertFile
        options.tlsPrivateKeyFile = tlsPrivateKeyFile
        options.clientCAFile = clientCAFile
        options.serviceAccountKeyFiles = serviceAccountKeyFiles
        options.serviceAccountSigningKeyFile = serviceAccountSigningKeyFile
        options.serviceAccountIssuers = serviceAccountIssuers
        options.apiAudiences = apiAudiences.map { $0.split(separator: ",").map(String.init) } ?? serviceAccountIssuers
        options.serviceClusterIPRange = serviceClusterIPRange
        options.authorizationModes = authorizationMode.split(separator: ",").map(String.init)
        options.anonymousAuth = anonymousAuth.lowercased() != "false"
        options.podManifestPath = podManifestPath
        options.logDirectory = logDirectory
        options.nodeName = nodeName
        options.disableKubelet = noKubelet
        guard options.tlsCertFile != nil, options.tlsPrivateKeyFile != nil else {
            throw ValidationError("--tls-cert-file and --tls-private-key-file are required: Ketch serves HTTPS only")
        }
        let bootstrap: @Sendable () throws -> RegistrySeed? = { [options] in
            try APIServerBootstrap.seed(options: options)
        }
        let server = APIServer(options: options, logger: logger, bootstrap: bootstrap)
        // The pods of this node and of the simulated workers run in a kubelet that is a client of
        // this server, started beside it and stopped with it.
        guard !noKubelet, let kubelet = SimulatedKubeletLauncher(options: options, logger: Logger(label: "kubelet")) else {
            try await server.run()
            return
        }
        let kubeletTask = Task { await kubelet.run() }
        // Stop the kubelet first on SIGINT/SIGTERM: its watches would hold the server's graceful shutdown.
        let shutdownLogger = logger
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM]) { _ in
            kubeletTask.cancel()
            Self.exitAfterGracePeriod(logger: shutdownLogger)
        }
        defer {
            signals.cancel()
            kubeletTask.cancel()
        }
        try await server.run()
    }

    /// How long a graceful shutdown may take. Watches end at once and other requests are short,
    /// so only a client that holds a connection open without a request gets here; the server
    /// keeps no state of its own (etcd does), so exiting then loses nothing.
    static let shutdownGracePeriod: Duration = .seconds(3)

    /// Exits the process if the graceful shutdown has not finished within ``shutdownGracePeriod``.
    static func exitAfterGracePeriod(logger: Logger) {
        Task.detached {
            try? await Task.sleep(for: shutdownGracePeriod)
            logger.warning("graceful shutdown still waiting for connections after \(shutdownGracePeriod); exiting")
            Foundation.exit(0)
        }
    }
}
