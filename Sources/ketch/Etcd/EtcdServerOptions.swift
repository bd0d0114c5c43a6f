import ArgumentParser
import EtcdAPI

/// `ketch etcd`'s resolved configuration: etcd 3.5's defaults, overridden by either the
/// `--config-file` or else by command-line flags and `ETCD_*` variables (see ``EtcdConfigResolver``).
struct EtcdServerOptions: Sendable {
    var name = "default"
    /// Empty means etcd's default, `${name}.etcd`.
    var dataDir = ""
    var listenClientURLs = ["http://localhost:2379"]
    var advertiseClientURLs = ["http://localhost:2379"]
    var listenPeerURLs = ["http://localhost:2380"]
    var initialAdvertisePeerURLs = ["http://localhost:2380"]
    /// Empty means `${name}=${initial-advertise-peer-urls}`.
    var initialCluster = ""
    var initialClusterToken = "etcd-cluster"
    var initialClusterState = "new"
    var maxTxnOps = 128
    var maxRequestBytes = 1_572_864
    /// `--quota-backend-bytes` as given: 0 means etcd's default (``defaultQuotaBackendBytes``),
    /// a negative value disables the quota. See ``effectiveQuotaBackendBytes``.
    var quotaBackendBytes: Int64 = 0
    var logLevel = "info"
    var client = TransportSecurityOptions()
    var listenMetricsURLs: [String] = []
    /// `--metrics`: `basic` or `extensive` (Ketch exports the same set for both).
    var metrics = "basic"
    /// Years of validity of the certificate `--auto-tls` generates.
    var selfSignedCertValidity = 1
    /// How often idle watches that asked for it get a progress notification (kubeadm sets 5s).
    var watchProgressNotifyInterval: Duration = .seconds(600)
    /// Seconds an auth token lives without use (`--auth-token-ttl`).
    var authTokenTTL = 300
    /// `--enable-v2`: serve etcd's v2 HTTP API (emulated over the v3 key space) on the client URLs.
    var enableV2 = false

    /// etcd's `DefaultQuotaBytes`: 2 GiB.
    static let defaultQuotaBackendBytes: Int64 = 2 * 1024 * 1024 * 1024

    /// The backend quota in force, as etcd's quota.go computes it: `nil` when disabled
    /// (negative), the 2 GiB default for 0.
    var effectiveQuotaBackendBytes: Int64? {
        if quotaBackendBytes < 0 { return nil }
        return quotaBackendBytes == 0 ? Self.defaultQuotaBackendBytes : quotaBackendBytes
    }

    var dataDirectory: String { dataDir.isEmpty ? "\(name).etcd" : dataDir }

    /// This member as `--initial-cluster` describes it; Ketch runs exactly one.
    func memberIdentity() throws -> MemberIdentity {
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
        return MemberIdentity(name: name, peerURLs: mine, clientURLs: advertiseClientURLs, clusterToken: initialClusterToken)
    }
}

/// etcd's client TLS settings, as flags and as the config file's `client-transport-security` block.
/// (The peer side is accepted without effect: a single member has no peers.)
struct TransportSecurityOptions: Sendable {
    var certFile = ""
    var keyFile = ""
    var trustedCAFile = ""
    var clientCertAuth = false
    var autoTLS = false

    /// The listener settings when certificate files are given.
    var settings: TLSServerSettings? {
        guard !certFile.isEmpty || !keyFile.isEmpty else { return nil }
        return TLSServerSettings(
            certFile: certFile, keyFile: keyFile,
            trustedCAFile: trustedCAFile.isEmpty ? nil : trustedCAFile, clientCertAuth: clientCertAuth)
    }
}

/// etcd's comma-separated URL lists.
enum EtcdURLList {
    static func split(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
