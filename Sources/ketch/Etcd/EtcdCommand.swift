import ArgumentParser
import EtcdAPI
import Foundation
import KetchStore
import Logging

/// `ketch etcd`: one etcd v3 member, wire-compatible with etcd 3.5, on a durable MVCC store.
struct EtcdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "etcd",
        abstract: "Run an etcd v3-compatible member (single node) on a durable store.",
        discussion: """
            Accepts etcd's own flags. Flags that only matter to a raft cluster (snapshots, heartbeats,
            election timeouts, proxies, …) are accepted with a warning. Data lives in SQLite under
            --data-dir/member/ketch.db; a write is acknowledged only once it is on disk.
            """
    )

    @Option(help: "Human-readable name for this member.")
    var name = "default"

    @Option(help: "Path to the data directory. (default: \"${name}.etcd\")")
    var dataDir: String?

    @Option(help: "List of URLs to listen on for client traffic.")
    var listenClientUrls = "http://localhost:2379"

    @Option(help: "List of this member's client URLs to advertise to the public.")
    var advertiseClientUrls = "http://localhost:2379"

    @Option(help: "List of URLs to listen on for peer traffic (a single member has no peers; not served).")
    var listenPeerUrls = "http://localhost:2380"

    @Option(help: "List of this member's peer URLs to advertise to the rest of the cluster.")
    var initialAdvertisePeerUrls = "http://localhost:2380"

    @Option(help: "Initial cluster configuration for bootstrapping. (default: \"${name}=${initial-advertise-peer-urls}\")")
    var initialCluster: String?

    @Option(help: "Initial cluster token for the etcd cluster during bootstrap.")
    var initialClusterToken = "etcd-cluster"

    @Option(help: "Initial cluster state ('new' or 'existing').")
    var initialClusterState = "new"

    @Option(help: "Maximum number of operations permitted in a transaction.")
    var maxTxnOps = 128

    @Option(help: "Maximum client request size in bytes the server will accept.")
    var maxRequestBytes = 1_572_864

    @Option(help: "Configures log level. Only supports debug, info, warn, error, panic, or fatal.")
    var logLevel = "info"

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var otherFlags: [String] = []

    func run() async throws {
        guard let level = Logger.Level(etcdName: logLevel) else {
            throw ValidationError("unknown log level \"\(logLevel)\": use debug, info, warn, error, panic or fatal")
        }
        LoggingSystem.bootstrap { EtcdLogHandler(label: $0, level: level) }
        let logger = Logger(label: "etcdmain")
        let accepted = try EtcdFlagCompatibility.check(otherFlags)
        for flag in accepted {
            logger.warning("flag has no effect on a single Ketch member; ignored", metadata: ["flag": "\(flag)"])
        }

        let member = try memberConfiguration()
        let listeners = try splitURLs(listenClientUrls).map(ListenURL.init)
        if let tls = listeners.first(where: \.isTLS) {
            throw ValidationError("\(tls) needs TLS, which this version of ketch etcd does not serve yet; use http:// URLs")
        }
        let dataDirectory = dataDir ?? "\(name).etcd"
        logger.info("starting a Ketch etcd member", metadata: [
            "name": "\(name)", "data-dir": "\(dataDirectory)",
            "listen-client-urls": .array(listeners.map { "\($0)" }),
            "advertise-client-urls": .array(member.clientURLs.map { "\($0)" }),
            "initial-cluster-token": "\(initialClusterToken)",
            "member-id": "\(member.memberIDHex)", "cluster-id": "\(String(member.clusterID, radix: 16))",
        ])

        let store: MVCCStore
        do {
            store = try MVCCStore(
                dataDirectory: dataDirectory, options: StoreOptions(maxTxnOps: maxTxnOps), logger: Logger(label: "mvcc"))
        } catch let error as StoreError {
            logger.critical("failed to open data dir", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        logger.info("opened store", metadata: [
            "current-revision": "\(store.currentRevision)", "compact-revision": "\(store.compactRevision)",
            "keys": "\(store.keyCount)", "term": "\(store.term)",
        ])

        let context = EtcdServerContext(store: store, identity: member, maxRequestBytes: maxRequestBytes)
        let server = EtcdMemberServer(context: context, listeners: listeners, logger: Logger(label: "embed"))
        defer { store.close() }
        try await server.run()
        logger.info("stopped serving; store closed", metadata: ["current-revision": "\(store.currentRevision)"])
    }

    private func splitURLs(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// This member as `--initial-cluster` describes it; Ketch runs exactly one.
    private func memberConfiguration() throws -> MemberIdentity {
        guard initialClusterState == "new" || initialClusterState == "existing" else {
            throw ValidationError("unexpected initial-cluster-state \"\(initialClusterState)\": use new or existing")
        }
        let cluster = initialCluster ?? splitURLs(initialAdvertisePeerUrls).map { "\(name)=\($0)" }.joined(separator: ",")
        var peers: [String: [String]] = [:]
        for entry in splitURLs(cluster) {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("--initial-cluster entry \"\(entry)\" is not NAME=URL") }
            peers[parts[0], default: []].append(parts[1])
        }
        guard let mine = peers[name] else {
            throw ValidationError("couldn't find local name \"\(name)\" in the initial cluster configuration")
        }
        if peers.count > 1 {
            throw ValidationError(
                "--initial-cluster names \(peers.count) members (\(peers.keys.sorted().joined(separator: ", "))); "
                    + "Ketch runs one member per data store")
        }
        return MemberIdentity(
            name: name, peerURLs: mine, clientURLs: splitURLs(advertiseClientUrls), clusterToken: initialClusterToken)
    }
}
