import ArgumentParser

// `ketch etcd`'s valued flags, grouped and worded as in `etcd --help` (3.5.1). They are parsed
// as text and typed by ``EtcdSetting``, so flags, `ETCD_*` variables and the config file share
// one set of rules; "not given" must stay distinguishable from "given the default" because a
// variable may only fill a setting no flag set. Boolean flags (`--client-cert-auth`,
// `--auto-tls`) use Go's syntax, which ArgumentParser lacks; see `EtcdFlagCompatibility`.

/// A group of etcd flags that reports which were given.
public protocol EtcdFlagGroup: ParsableArguments {
    /// The flags given, by etcd setting name.
    var given: [(name: String, value: String?)] { get }
}

/// etcd's "Member" flags: name, data directory, listeners and request limits.
public struct MemberFlags: EtcdFlagGroup {
    /// No flags given.
    public init() {}

    @Option(help: "Human-readable name for this member. (default: 'default')")
    var name: String?

    @Option(help: "Path to the data directory. (default: '${name}.etcd')")
    var dataDir: String?

    @Option(help: "List of URLs to listen on for peer traffic (a single member has no peers; not served). (default: 'http://localhost:2380')")
    var listenPeerUrls: String?

    @Option(help: "List of URLs to listen on for client traffic; http:// and https:// URLs may be mixed. (default: 'http://localhost:2379')")
    var listenClientUrls: String?

    @Option(help: "Raise alarms when backend size exceeds the given quota (0 defaults to low space quota: 2 GiB; negative disables it). (default: '0')")
    var quotaBackendBytes: String?

    @Option(help: "Maximum number of operations permitted in a transaction. (default: '128')")
    var maxTxnOps: String?

    @Option(help: "Maximum client request size in bytes the server will accept. (default: '1572864')")
    var maxRequestBytes: String?

    public var given: [(name: String, value: String?)] {
        [("name", name), ("data-dir", dataDir), ("listen-peer-urls", listenPeerUrls),
         ("listen-client-urls", listenClientUrls), ("quota-backend-bytes", quotaBackendBytes),
         ("max-txn-ops", maxTxnOps), ("max-request-bytes", maxRequestBytes)]
    }
}

/// etcd's "Clustering" flags: the initial cluster this member belongs to.
public struct ClusteringFlags: EtcdFlagGroup {
    /// No flags given.
    public init() {}

    @Option(help: "List of this member's peer URLs to advertise to the rest of the cluster. (default: 'http://localhost:2380')")
    var initialAdvertisePeerUrls: String?

    @Option(help: "Initial cluster configuration for bootstrapping. (default: '${name}=${initial-advertise-peer-urls}')")
    var initialCluster: String?

    @Option(help: "Initial cluster state ('new' or 'existing'). (default: 'new')")
    var initialClusterState: String?

    @Option(help: "Initial cluster token for the etcd cluster during bootstrap. (default: 'etcd-cluster')")
    var initialClusterToken: String?

    @Option(help: "List of this member's client URLs to advertise to the public. (default: 'http://localhost:2379')")
    var advertiseClientUrls: String?

    public var given: [(name: String, value: String?)] {
        [("initial-advertise-peer-urls", initialAdvertisePeerUrls), ("initial-cluster", initialCluster),
         ("initial-cluster-state", initialClusterState), ("initial-cluster-token", initialClusterToken),
         ("advertise-client-urls", advertiseClientUrls)]
    }
}

/// etcd's "Security" flags that take a value (the boolean ones go through ``EtcdFlagCompatibility``).
public struct SecurityFlags: EtcdFlagGroup {
    /// No flags given.
    public init() {}

    @Option(help: "Path to the client server TLS cert file.")
    var certFile: String?

    @Option(help: "Path to the client server TLS key file.")
    var keyFile: String?

    @Option(help: "Path to the client server TLS trusted CA cert file (client certificates must chain to it).")
    var trustedCaFile: String?

    @Option(help: "The validity period of the client certificate that --auto-tls generates, the unit is year. (default: '1')")
    var selfSignedCertValidity: String?

    public var given: [(name: String, value: String?)] {
        [("cert-file", certFile), ("key-file", keyFile), ("trusted-ca-file", trustedCaFile),
         ("self-signed-cert-validity", selfSignedCertValidity)]
    }
}

/// etcd's "Profiling and Monitoring" flags.
public struct MonitoringFlags: EtcdFlagGroup {
    /// No flags given.
    public init() {}

    @Option(help: "Set level of detail for exported metrics, specify 'extensive' to include server side grpc histogram metrics. (default: 'basic')")
    var metrics: String?

    @Option(help: "List of URLs to listen on for the metrics and health endpoints.")
    var listenMetricsUrls: String?

    public var given: [(name: String, value: String?)] {
        [("metrics", metrics), ("listen-metrics-urls", listenMetricsUrls)]
    }
}

/// etcd's "Logging" flags and `--config-file`.
public struct LoggingAndConfigFlags: EtcdFlagGroup {
    /// No flags given.
    public init() {}

    @Option(help: "Configures log level. Only supports debug, info, warn, error, panic, or fatal. (default: 'info')")
    var logLevel: String?

    @Option(help: """
        Path to the server configuration file (etcd's YAML keys). Note that if a configuration file is provided, \
        other command line flags and environment variables will be ignored.
        """)
    var configFile: String?

    public var given: [(name: String, value: String?)] {
        [("log-level", logLevel), ("config-file", configFile)]
    }
}

extension EtcdFlagGroup {
    /// The given flags, checked against their etcd types (Go's "invalid value" message).
    public func checkedFlags() throws -> [(name: String, value: String)] {
        try given.compactMap { name, value in
            guard let value else { return nil }
            guard let setting = EtcdSetting.all[name] else { preconditionFailure("no etcd setting named \(name)") }
            guard setting.parse(value) != nil else {
                throw ValidationError("invalid value \"\(value)\" for flag -\(name): parse error")
            }
            return (name, value)
        }
    }
}
