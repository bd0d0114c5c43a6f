import Foundation
import Prometheus
import Synchronization

/// The process figures Go's Prometheus client exports for etcd (`process_*`, and etcd's own
/// `os_fd_*`), read from `/proc` at scrape time. Absent where `/proc` is (not Linux).
final class ProcessMetrics: Sendable {
    private let cpuSeconds: Counter
    /// What the counter has been advanced to (a counter only moves by increments).
    private let cpuSecondsCounted = Mutex<Double>(0)
    private let residentMemory: Gauge
    private let virtualMemory: Gauge
    private let startTime: Gauge
    private let openFDs: Gauge
    private let maxFDs: Gauge
    private let fdUsed: Gauge
    private let fdLimit: Gauge

    init(registry r: PrometheusCollectorRegistry) {
        cpuSeconds = r.makeCounter(descriptor: .etcd("process_cpu_seconds_total", "Total user and system CPU time spent in seconds."))
        residentMemory = r.makeGauge(descriptor: .etcd("process_resident_memory_bytes", "Resident memory size in bytes."))
        virtualMemory = r.makeGauge(descriptor: .etcd("process_virtual_memory_bytes", "Virtual memory size in bytes."))
        startTime = r.makeGauge(descriptor: .etcd(
            "process_start_time_seconds", "Start time of the process since unix epoch in seconds."))
        openFDs = r.makeGauge(descriptor: .etcd("process_open_fds", "Number of open file descriptors."))
        maxFDs = r.makeGauge(descriptor: .etcd("process_max_fds", "Maximum number of open file descriptors."))
        fdUsed = r.makeGauge(descriptor: .etcd("os_fd_used", "The number of used file descriptors."))
        fdLimit = r.makeGauge(descriptor: .etcd("os_fd_limit", "The file descriptor limit."))
    }

    func refresh() {
        if let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            openFDs.set(Int64(fds.count))
            fdUsed.set(Int64(fds.count))
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            maxFDs.set(Int64(clamping: limit.rlim_cur))
            fdLimit.set(Int64(clamping: limit.rlim_cur))
        }
        // /proc/self/stat: fields after the parenthesised command name, numbered as in proc(5).
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return }
        let fields = stat[stat.index(after: close)...].split(separator: " ").map(String.init)
        func field(_ number: Int) -> Double? { fields.count > number - 3 ? Double(fields[number - 3]) : nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        if let user = field(14), let system = field(15), ticks > 0 {
            let total = (user + system) / ticks
            let delta = cpuSecondsCounted.withLock { counted in
                defer { counted = max(counted, total) }
                return total - counted
            }
            if delta > 0 { cpuSeconds.increment(by: delta) }
        }
        if let bytes = field(23) { virtualMemory.set(bytes) }
        if let pages = field(24) { residentMemory.set(pages * Double(sysconf(Int32(_SC_PAGESIZE)))) }
        if let started = field(22), ticks > 0, let boot = Self.bootTime { startTime.set(boot + started / ticks) }
    }

    /// `btime` from /proc/stat: when the system booted, in seconds since the epoch.
    private static let bootTime: Double? = {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first { $0.hasPrefix("btime ") }.flatMap { Double($0.dropFirst(6)) }
    }()
}
