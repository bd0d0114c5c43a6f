import ArgumentParser
import Foundation

/// `ketch etcd`'s resolved configuration: etcd 3.5's defaults, overridden by either the
/// `--config-file` or else by command-line flags and `ETCD_*` variables (see ``EtcdConfigResolver``).
public struct EtcdServerOptions: Sendable {
    /// `--name`: the member's human-readable name.
    public var name = "default"
    /// `--data-dir`; empty means etcd's default, `${name}.etcd` (see ``dataDirectory``).
    public var dataDir = ""
    /// `--listen-client-urls`: where gRPC and the HTTP endpoints are served.
    public var listenClientURLs = ["http://localhost:2379"]
    /// `--advertise-client-urls`: the client URLs `member list` reports.
    public var advertiseClientURLs = ["http://localhost:2379"]
    /// `--listen-peer-urls`: accepted, not served (a single member has no peers).
    public var listenPeerURLs = ["http://localhost:2380"]
    /// `--initial-advertise-peer-urls`: this member's peer URLs, which its ID is computed from.
    public var initialAdvertisePeerURLs = ["http://localhost:2380"]
    /// `--initial-cluster`; empty means `${name}=${initial-advertise-peer-urls}`.
    public var initialCluster = ""
    /// `--initial-cluster-token`: part of the member and cluster IDs.
    public var initialClusterToken = "etcd-cluster"
    /// `--initial-cluster-state`: `new` or `existing`.
    public var initialClusterState = "new"
    /// `--max-txn-ops`: operations allowed in one transaction.
    public var maxTxnOps = 128
    /// `--max-request-bytes`: the largest request accepted.
    public var maxRequestBytes = 1_572_864
    /// `--quota-backend-bytes` as given: 0 means etcd's default (``defaultQuotaBackendBytes``),
    /// a negative value disables the quota. See ``effectiveQuotaBackendBytes``.
    public var quotaBackendBytes: Int64 = 0
    /// `--log-level` as given (see `Logger.Level.init(etcdName:)`).
    public var logLevel = "info"
    /// The client TLS flags (or the config file's `client-transport-security` block).
    public var client = TransportSecurityOptions()
    /// `--listen-metrics-urls`: extra listeners for /metrics and the health endpoints.
    public var listenMetricsURLs: [String] = []
    /// `--metrics`: `basic` or `extensive` (Ketch exports the same set for both).
    public var metrics = "basic"
    /// Years of validity of the certificate `--auto-tls` generates.
    public var selfSignedCertValidity = 1
    /// How often idle watches that asked for it get a progress notification (kubeadm sets 5s).
    public var watchProgressNotifyInterval: Duration = .seconds(600)
    /// Seconds an auth token lives without use (`--auth-token-ttl`).
    public var authTokenTTL = 300
    /// `--enable-v2`: serve etcd's v2 HTTP API (emulated over the v3 key space) on the client URLs.
    public var enableV2 = false

    /// etcd's defaults.
    public init() {}

    /// etcd's `DefaultQuotaBytes`: 2 GiB.
    public static let defaultQuotaBackendBytes: Int64 = 2 * 1024 * 1024 * 1024

    /// The backend quota in force, as etcd's quota.go computes it: `nil` when disabled
    /// (negative), the 2 GiB default for 0.
    public var effectiveQuotaBackendBytes: Int64? {
        if quotaBackendBytes < 0 { return nil }
        return quotaBackendBytes == 0 ? Self.defaultQuotaBackendBytes : quotaBackendBytes
    }

    /// The data directory in force: `--data-dir`, else `${name}.etcd`.
    public var dataDirectory: String { dataDir.isEmpty ? "\(name).etcd" : dataDir }

    /// This member's peer URLs as `--initial-cluster` names them (the member ID is computed
    /// from them); throws etcd's messages when the cluster does not name exactly this one member.
    public func localPeerURLs() throws -> [String] {
        guard initialClusterState == "new" || initialClusterState == "existing" else {
            throw ValidationError("unexpected initial-cluster-state \"\(initialClusterState)\": use new or existing")
        }
        let cluster = initialCluster.isEmpty
            ? initialAdvertisePeerURLs.map { "\(name)=\($0)" }.joined(separator: ",") : initialCluster
        var peers: [String: [String]] = [:]
        for entry in EtcdURLList.split(cluster) {
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
        return mine
    }
}
