/// etcd 3.5's server settings that Ketch accepts without acting on them (they tune raft, bbolt,
/// peers, proxies or features a single member does not have). Taken from `etcd --help` of etcd 3.5.1.
enum EtcdCompatibilityFlags {
    /// Settings that take a value (`--flag=value` or `--flag value`).
    static let valued: Set<String> = [
        "wal-dir", "snapshot-count", "heartbeat-interval", "election-timeout", "max-snapshots", "max-wals",
        "backend-bbolt-freelist-type", "backend-batch-interval", "backend-batch-limit",
        "grpc-keepalive-min-time", "grpc-keepalive-interval", "grpc-keepalive-timeout", "discovery",
        "discovery-fallback", "discovery-proxy", "discovery-srv", "discovery-srv-name", "auto-compaction-retention",
        "auto-compaction-mode", "v2-deprecation", "client-crl-file", "client-cert-allowed-hostname",
        "peer-cert-file", "peer-key-file", "peer-trusted-ca-file", "peer-cert-allowed-cn", "peer-cert-allowed-hostname",
        "peer-crl-file", "cipher-suites", "cors", "host-whitelist", "auth-token", "bcrypt-cost", "auth-token-ttl",
        "logger", "log-outputs", "log-rotation-config-json",
        "experimental-distributed-tracing-address", "experimental-distributed-tracing-service-name",
        "experimental-distributed-tracing-instance-id", "proxy", "proxy-failure-wait", "proxy-refresh-interval",
        "proxy-dial-timeout", "proxy-write-timeout", "proxy-read-timeout", "experimental-corrupt-check-time",
        "experimental-enable-v2v3", "experimental-compaction-batch-limit",
        "experimental-watch-progress-notify-interval", "experimental-warning-apply-duration",
        "experimental-bootstrap-defrag-threshold-megabytes",
    ]

    /// Boolean settings (`--flag` or `--flag=true|false`).
    static let boolean: Set<String> = [
        "initial-election-tick-advance", "socket-reuse-port", "socket-reuse-address", "strict-reconfig-check",
        "pre-vote", "peer-client-cert-auth", "peer-auto-tls",
        "enable-pprof", "enable-log-rotation", "experimental-enable-distributed-tracing",
        "experimental-initial-corrupt-check", "experimental-enable-lease-checkpoint",
        "experimental-peer-skip-client-san-verification", "experimental-txn-mode-write-with-shared-buffer",
        "force-new-cluster", "unsafe-no-fsync",
    ]
}
