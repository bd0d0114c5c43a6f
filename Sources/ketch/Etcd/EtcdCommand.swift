import ArgumentParser
import EtcdAPI
import EtcdServerConfig
import Foundation
import KetchStore
import Logging

/// `ketch etcd`: one etcd v3 member, wire-compatible with etcd 3.5, on a durable MVCC store.
struct EtcdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "etcd",
        abstract: "Run an etcd v3-compatible member (single node) on a durable store.",
        discussion: """
            Accepts etcd's own flags, ETCD_* environment variables (ETCD_NAME, ETCD_DATA_DIR, \
            ETCD_LISTEN_CLIENT_URLS, …) and --config-file, with etcd's precedence: a variable fills a setting \
            no flag gave (both at once is an error); a config file replaces flags and variables altogether. \
            Flags that only matter to a raft cluster (snapshots, heartbeats, election timeouts, peer TLS, \
            proxies, …) are accepted with a warning.

            Client URLs serve gRPC and, on the same port, etcd's HTTP endpoints /health, /livez, /readyz, \
            /version and /metrics. https:// URLs need --cert-file and --key-file (or --auto-tls) and accept \
            TLS 1.2 or newer only; --trusted-ca-file or --client-cert-auth makes a client certificate mandatory.

            Boolean security flags take Go's syntax (--flag, --flag=true, --flag=false): --client-cert-auth \
            enables client cert authentication (mutual TLS; with auth enabled, the certificate's CN is the user); \
            --auto-tls serves client TLS using generated certificates. Both default to false.

            Data lives in SQLite under --data-dir/member/ketch.db; a write is acknowledged only once it is on disk.
            """
    )

    @OptionGroup(title: "Member") var member: MemberFlags
    @OptionGroup(title: "Clustering") var clustering: ClusteringFlags
    @OptionGroup(title: "Security") var security: SecurityFlags
    @OptionGroup(title: "Profiling and Monitoring") var monitoring: MonitoringFlags
    @OptionGroup(title: "Logging and configuration") var loggingAndConfig: LoggingAndConfigFlags

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var otherFlags: [String] = []

    func run() async throws {
        // etcd's `--version` (Go flag syntax: one dash or two) prints and exits before anything else.
        if otherFlags.contains(where: { $0 == "--version" || $0 == "-version" }) {
            print(Self.versionText)
            return
        }
        let flags = try member.checkedFlags() + clustering.checkedFlags() + security.checkedFlags()
            + monitoring.checkedFlags() + loggingAndConfig.checkedFlags() + EtcdFlagCompatibility.parse(otherFlags)
        var resolver = EtcdConfigResolver()
        let options: EtcdServerOptions
        do {
            options = try resolver.resolve(flags: flags, environment: ProcessInfo.processInfo.environment)
        } catch let failure as EtcdConfigResolver.Failure {
            LoggingSystem.bootstrap { EtcdLogHandler(label: $0, level: .info) }
            let logger = Logger(label: "etcdmain")
            for note in resolver.notes + [failure.note] { logger.log(note) }
            throw ExitCode.failure
        }

        guard let level = Logger.Level(etcdName: options.logLevel) else {
            throw ValidationError("unknown log level \"\(options.logLevel)\": use debug, info, warn, error, panic or fatal")
        }
        LoggingSystem.bootstrap { EtcdLogHandler(label: $0, level: level) }
        let logger = Logger(label: "etcdmain")
        for note in resolver.notes { logger.log(note) }
        try await serve(options, logger: logger)
    }

    /// etcd 3.5's `--version` lines; tools read the first.
    static var versionText: String {
        #if arch(arm64)
        let arch = "arm64"
        #else
        let arch = "amd64"
        #endif
        return """
            etcd Version: \(EtcdServerContext.etcdVersion)
            Git SHA: ketch
            Go Version: none (Ketch is written in Swift)
            Go OS/Arch: linux/\(arch)
            """
    }

    /// Opens the store and serves until SIGINT or SIGTERM.
    private func serve(_ options: EtcdServerOptions, logger: Logger) async throws {
        let member = MemberIdentity(
            name: options.name, peerURLs: try options.localPeerURLs(), clientURLs: options.advertiseClientURLs,
            clusterToken: options.initialClusterToken)
        let listeners = try options.listenClientURLs.map(ListenURL.init)
        let metricsListeners = try options.listenMetricsURLs.map(ListenURL.init)
        let dataDirectory = options.dataDirectory
        let tls: ClientTLS
        do {
            tls = try ClientTLS(
                options: options, listeners: listeners, metricsListeners: metricsListeners, logger: Logger(label: "embed"))
        } catch {
            logger.critical("failed to start etcd", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        logger.info("starting a Ketch etcd member", metadata: [
            "name": "\(options.name)", "data-dir": "\(dataDirectory)",
            "listen-client-urls": .array(listeners.map { "\($0)" }),
            "advertise-client-urls": .array(member.clientURLs.map { "\($0)" }),
            "listen-metrics-urls": .array(metricsListeners.map { "\($0)" }),
            "initial-cluster-token": "\(options.initialClusterToken)",
            "quota-backend-bytes": "\(options.effectiveQuotaBackendBytes.map(String.init) ?? "disabled")",
            "member-id": "\(member.memberIDHex)", "cluster-id": "\(String(member.clusterID, radix: 16))",
        ])

        let store: MVCCStore
        do {
            store = try MVCCStore(
                dataDirectory: dataDirectory, options: StoreOptions(maxTxnOps: options.maxTxnOps), logger: Logger(label: "mvcc"))
        } catch let error as StoreError {
            logger.critical("failed to open data dir", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        logger.info("opened store", metadata: [
            "current-revision": "\(store.currentRevision)", "compact-revision": "\(store.compactRevision)",
            "keys": "\(store.keyCount)", "term": "\(store.term)",
        ])
        if let restored = store.restoredIdentity(), restored.memberID != member.memberID {
            // etcd would not start a restored member under another identity; Ketch derives IDs
            // from flags, so it serves, but says the flags differ from the restore's.
            logger.warning("data dir was restored for another member; using the IDs from the flags", metadata: [
                "restored-member-id": "\(String(restored.memberID, radix: 16))",
                "restored-cluster-id": "\(String(restored.clusterID, radix: 16))",
                "member-id": "\(member.memberIDHex)", "cluster-id": "\(String(member.clusterID, radix: 16))",
            ])
        }
        let peers = PeerIdentities()
        let auth: AuthGate
        do {
            auth = try AuthGate(store: store, peers: peers, tokenTTL: .seconds(options.authTokenTTL))
        } catch {
            logger.critical("failed to open the auth tables", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        var context = EtcdServerContext(
            store: store, identity: member, maxRequestBytes: options.maxRequestBytes, peers: peers, auth: auth,
            quotaBackendBytes: options.quotaBackendBytes)
        context.watchProgressInterval = options.watchProgressNotifyInterval
        var server = EtcdMemberServer(
            context: context, listeners: listeners, metricsListeners: metricsListeners, tls: tls,
            quotaBackendBytes: options.effectiveQuotaBackendBytes ?? options.quotaBackendBytes, logger: Logger(label: "embed"))
        server.enableV2 = options.enableV2
        defer { store.close() }
        try await server.run()
        logger.info("stopped serving; store closed", metadata: ["current-revision": "\(store.currentRevision)"])
    }
}
