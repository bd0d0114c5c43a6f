import Foundation

/// What one run of a workload against one server measured.
struct Measurement: Sendable {
    /// One latency per completed operation, in nanoseconds.
    var latenciesNs: [Int64]
    var elapsed: Duration
    var errors = 0
    var firstError: String?

    var operations: Int { latenciesNs.count }
    var opsPerSecond: Double { elapsed.seconds > 0 ? Double(operations) / elapsed.seconds : 0 }
}

/// Percentiles from the sorted samples (exact: every latency is kept).
struct Percentiles: Sendable {
    private let sorted: [Int64]
    init(_ samples: [Int64]) { sorted = samples.sorted() }

    /// The `p`-quantile (0...1) in milliseconds: the smallest sample with at least `p` of the samples at or below it.
    func ms(_ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((Double(sorted.count) * p).rounded(.up)) - 1
        return Double(sorted[min(sorted.count - 1, max(0, rank))]) / 1e6
    }
}

/// One workload's result on one server, as the suite reports it.
struct ServerResult: Codable, Sendable {
    var operations: Int
    var seconds: Double
    var opsPerSecond: Double
    var p50Ms: Double
    var p99Ms: Double
    var maxMs: Double
    var errors: Int
    var firstError: String?
    /// Workload-specific figures (the watch fan-out's events/s, say).
    var extra: [String: Double] = [:]

    init(_ m: Measurement, extra: [String: Double] = [:]) {
        let p = Percentiles(m.latenciesNs)
        operations = m.operations
        seconds = m.elapsed.seconds
        opsPerSecond = m.opsPerSecond
        p50Ms = p.ms(0.50)
        p99Ms = p.ms(0.99)
        maxMs = p.ms(1.0)
        errors = m.errors
        firstError = m.firstError
        self.extra = extra
    }

    enum CodingKeys: String, CodingKey {
        case operations, seconds, errors, extra
        case opsPerSecond = "ops_per_second", p50Ms = "p50_ms", p99Ms = "p99_ms", maxMs = "max_ms", firstError = "first_error"
    }
}

/// A workload's results on every server.
struct WorkloadResult: Codable, Sendable {
    var id: String
    var title: String
    /// What one operation is ("put", "list of 10,000 keys", "event delivered").
    var unit: String
    var clients: Int
    var results: [String: ServerResult]
}

/// The suite's output file.
struct SuiteResult: Codable, Sendable {
    var servers: [String]
    var scale: String
    var workloads: [WorkloadResult]
}

func jsonEncoder() -> JSONEncoder {
    let e = JSONEncoder()
    e.outputFormatting = [.prettyPrinted, .sortedKeys]
    return e
}
