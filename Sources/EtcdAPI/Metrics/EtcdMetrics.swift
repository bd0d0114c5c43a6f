import GRPCCore
import Prometheus
import Synchronization

/// The Prometheus metrics `/metrics` serves, under etcd 3.5's names and help texts, so
/// dashboards and alerts written for etcd read Ketch unchanged.
///
/// Store figures are gauges refreshed at scrape time from the store; RPC counters and the
/// latency histogram are fed by ``GRPCMetricsInterceptor``.
public final class EtcdMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let context: EtcdServerContext
    private let quotaBackendBytes: Int64

    private let dbTotalSize: Gauge
    private let dbInUseSize: Gauge
    private let keysTotal: Gauge
    private let currentRevision: Gauge
    private let compactRevision: Gauge
    private let healthSuccess: Counter
    private let healthFailures: Counter
    private let process: ProcessMetrics

    /// - Parameter quotaBackendBytes: the effective backend quota (etcd reports its 2 GiB default for 0).
    public init(context: EtcdServerContext, quotaBackendBytes: Int64) {
        self.context = context
        self.quotaBackendBytes = quotaBackendBytes
        let r = registry
        dbTotalSize = r.makeGauge(descriptor: .etcd(
            "etcd_mvcc_db_total_size_in_bytes", "Total size of the underlying database physically allocated in bytes."))
        dbInUseSize = r.makeGauge(descriptor: .etcd(
            "etcd_mvcc_db_total_size_in_use_in_bytes", "Total size of the underlying database logically in use in bytes."))
        keysTotal = r.makeGauge(descriptor: .etcd("etcd_debugging_mvcc_keys_total", "Total number of keys."))
        currentRevision = r.makeGauge(descriptor: .etcd(
            "etcd_debugging_mvcc_current_revision", "The current revision of store."))
        compactRevision = r.makeGauge(descriptor: .etcd(
            "etcd_debugging_mvcc_compact_revision", "The revision of the last compaction in store."))
        healthSuccess = r.makeCounter(descriptor: .etcd(
            "etcd_server_health_success", "The total number of successful health checks"))
        healthFailures = r.makeCounter(descriptor: .etcd(
            "etcd_server_health_failures", "The total number of failed health checks"))
        process = ProcessMetrics(registry: r)
        registerConstants()
    }

    /// Facts that do not change while a single member runs: it is the leader of its own cluster.
    private func registerConstants() {
        let r = registry
        r.makeGauge(descriptor: .etcd("etcd_server_has_leader", "Whether or not a leader exists. 1 is existence, 0 is not.")).set(Int64(1))
        r.makeGauge(descriptor: .etcd("etcd_server_is_leader", "Whether or not this member is a leader. 1 if is, 0 otherwise.")).set(Int64(1))
        r.makeGauge(descriptor: .etcd("etcd_server_is_learner", "Whether or not this member is a learner. 1 if is, 0 otherwise.")).set(Int64(0))
        r.makeCounter(descriptor: .etcd("etcd_server_leader_changes_seen_total", "The number of leader changes seen.")).increment()
        r.makeGauge(descriptor: .etcd("etcd_server_quota_backend_bytes", "Current backend storage quota size in bytes."))
            .set(quotaBackendBytes)
        r.makeGauge(
            descriptor: .etcd("etcd_server_id", "Server or member ID in hexadecimal format. 1 for 'server_id' label with current ID."),
            labels: [("server_id", context.identity.memberIDHex)]
        ).set(Int64(1))
        r.makeGauge(
            descriptor: .etcd("etcd_server_version", "Which version is running. 1 for 'server_version' label with current version."),
            labels: [("server_version", EtcdServerContext.etcdVersion)]
        ).set(Int64(1))
        r.makeGauge(
            descriptor: .etcd(
                "etcd_cluster_version",
                "Which version is running. 1 for 'cluster_version' label with current cluster version"),
            labels: [("cluster_version", Self.clusterVersion)]
        ).set(Int64(1))
    }

    /// The cluster version etcd 3.5 reports (major.minor).
    static let clusterVersion = "3.5"

    /// The Prometheus text exposition of every metric, with store figures as of now.
    public func exposition() -> [UInt8] {
        let store = context.store
        currentRevision.set(store.currentRevision)
        compactRevision.set(store.compactRevision > 0 ? store.compactRevision : -1)
        keysTotal.set(Int64(store.keyCount))
        if let size = try? store.storageSize() {
            dbTotalSize.set(size.total)
            dbInUseSize.set(size.inUse)
        }
        process.refresh()
        return registry.emitToBuffer()
    }

    /// Counts one `/health` answer, as etcd's health handler does.
    public func recordHealthCheck(healthy: Bool) {
        (healthy ? healthSuccess : healthFailures).increment()
    }

    // MARK: gRPC server metrics (grpc-prometheus names)

    /// Metric handles per RPC method, so a call costs a dictionary lookup and atomic increments.
    /// (The registry's `make…` validates the name, label names and help text and hashes the label
    /// set on every call; three of those per RPC were a measurable share of a unary call.)
    private let rpcMetrics = Mutex<[MethodDescriptor: RPCMetrics]>([:])

    /// The handles of `method`'s metrics; created (and so first exported) on the method's first call.
    func rpcMetrics(for method: MethodDescriptor, type: @autoclosure () -> String) -> RPCMetrics {
        if let known = rpcMetrics.withLock({ $0[method] }) { return known }
        let labels = RPCLabels(service: method.service.fullyQualifiedService, method: method.method, type: type())
        let created = RPCMetrics(registry: registry, rpc: labels)
        return rpcMetrics.withLock { table in
            if let raced = table[method] { return raced }
            table[method] = created
            return created
        }
    }
}

/// One RPC method's metrics: `grpc_server_started_total`, and, created on the first completion
/// as before (so /metrics shows the same series), `grpc_server_handled_total` per code and
/// `grpc_server_handling_seconds`.
final class RPCMetrics: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let rpc: RPCLabels
    private let started: Counter
    private let completions = Mutex<(latency: DurationHistogram?, handled: [String: Counter])>((nil, [:]))

    /// Latency buckets of grpc-prometheus, which etcd uses (`prometheus.DefBuckets`).
    private static let latencyBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    init(registry: PrometheusCollectorRegistry, rpc: RPCLabels) {
        self.registry = registry
        self.rpc = rpc
        started = registry.makeCounter(
            descriptor: .etcd("grpc_server_started_total", "Total number of RPCs started on the server."),
            labels: rpc.labels)
    }

    func rpcStarted() {
        started.increment()
    }

    func rpcHandled(code: String, duration: Duration) {
        let (latency, handled) = completions.withLock { c -> (DurationHistogram?, Counter?) in (c.latency, c.handled[code]) }
        (handled ?? makeHandled(code)).increment()
        (latency ?? makeLatency()).record(duration)
    }

    private func makeHandled(_ code: String) -> Counter {
        let counter = registry.makeCounter(
            descriptor: .etcd(
                "grpc_server_handled_total",
                "Total number of RPCs completed on the server, regardless of success or failure."),
            labels: [("grpc_code", code)] + rpc.labels)
        completions.withLock { $0.handled[code] = counter }  // the registry returns the same counter on a race
        return counter
    }

    private func makeLatency() -> DurationHistogram {
        let histogram = registry.makeDurationHistogram(
            descriptor: .etcd(
                "grpc_server_handling_seconds",
                "Histogram of response latency (seconds) of gRPC that had been application-level handled by the server."),
            labels: rpc.labels,
            buckets: Self.latencyBuckets)
        completions.withLock { $0.latency = histogram }
        return histogram
    }
}

/// The labels grpc-prometheus puts on every server metric.
struct RPCLabels {
    var service: String
    var method: String
    var type: String

    var labels: [(String, String)] { [("grpc_method", method), ("grpc_service", service), ("grpc_type", type)] }
}

extension MetricNameDescriptor {
    /// A metric under its full etcd name (the registry would otherwise join name parts).
    static func etcd(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
