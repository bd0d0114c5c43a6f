import EtcdClient
import Foundation
import GoText
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `check datascale`, as etcdctl 3.5.1 runs it: read the first endpoint's resident memory from its
/// `/metrics`, write the load's key-values (512-byte keys, 512-byte values) with its number of
/// concurrent clients, read the memory again, delete the keys (compacting and defragmenting on
/// request) and report the difference.
enum CtlDatascale {
    static var commands: [String: CtlCommand.Handler] { ["check datascale": checkDatascale] }

    struct Load {
        var limit: Int
        var kvSize: Int
        var clients: Int
    }

    static let loads: [String: Load] = [
        "s": Load(limit: 10_000, kvSize: 1024, clients: 50),
        "m": Load(limit: 100_000, kvSize: 1024, clients: 200),
        "l": Load(limit: 1_000_000, kvSize: 1024, clients: 500),
        "xl": Load(limit: 3_000_000, kvSize: 1024, clients: 1000),
    ]

    static func checkDatascale(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let loadName = p.value("load") ?? "s"
        guard let model = CtlMaintenance.perfAliases[loadName], let cfg = loads[model] else {
            throw CtlFailure(CtlExit.badFeature, "unknown load option \(loadName)")
        }
        let prefix = p.value("prefix") ?? "/etcdctl-check-datascale/"
        let clients = try await CtlMaintenance.loadClients(cfg.clients, prefix: prefix, g)
        defer { CtlRPC.closeLater(clients) }
        let first = clients[0]
        let prefixBytes = Array(prefix.utf8)

        let endpoint = g.endpoints.first ?? "127.0.0.1:2379"
        let before = await residentMemory(endpoint)
        if before == 0 {
            CtlIO.out("FAIL: Could not read process_resident_memory_bytes before the put operations.\n")
            throw CtlFailure.silentExit(CtlExit.error)
        }

        CtlIO.out("Start data scale check for work load [\(cfg.limit) key-value pairs, \(cfg.kvSize) bytes per key-value, "
                  + "\(cfg.clients) concurrent clients].\n")
        let bar = CtlProgressBar(total: cfg.limit)
        bar.start()
        let stats = CtlMaintenance.PerfStats()
        let value = [UInt8](repeating: 0, count: 512)
        // Go's channel of requests read by every client: one shared queue, taken in turn.
        let queue = Issued()
        await withTaskGroup(of: Void.self) { group in
            for c in clients {
                group.addTask {
                    var key = [UInt8](repeating: 0, count: 512)
                    while queue.count.withLock({ n -> Bool in
                        if n >= cfg.limit { return false }
                        n += 1
                        return true
                    }) {
                        CtlMaintenance.putVarint(&key, Int64.random(in: 0..<Int64.max))
                        let t0 = ContinuousClock.now
                        do {
                            // No deadline, and waiting for a connection, as the Go client's `Do(context.Background(), op)`.
                            let k = prefixBytes + key
                            _ = try await CtlMirror.waiting { try await c.put(key: k, value: value) }
                            stats.record(CtlMaintenance.seconds(ContinuousClock.now - t0), error: nil)
                        } catch {
                            stats.record(CtlMaintenance.seconds(ContinuousClock.now - t0), error: CtlRPC.message(error))
                        }
                        bar.increment()
                    }
                }
            }
        }
        bar.finish()

        let after = await residentMemory(endpoint)
        if after == 0 {
            CtlIO.out("FAIL: Could not read process_resident_memory_bytes after the put operations.\n")
            throw CtlFailure.silentExit(CtlExit.error)
        }
        try await CtlMaintenance.cleanUpCheck(prefix: prefixBytes, first: first, p, g)
        let mbUsed = (after - before) / (1024 * 1024)
        let errors = stats.state.withLock { $0.errors }
        if !errors.isEmpty {
            var out = "FAIL: too many errors\n"
            for (k, v) in errors { out += "FAIL: ERROR(\(k)) -> \(v)\n" }
            CtlIO.out(out)
            throw CtlFailure.silentExit(CtlExit.error)
        }
        CtlIO.out("PASS: Approximate system memory used : \(String(format: "%.2f", mbUsed)) MB.\n")
    }

    /// How many of the load's requests have been taken by a client.
    final class Issued: Sendable {
        let count = Mutex(0)
    }

    // MARK: /metrics

    /// etcdctl's `endpointMemoryMetrics`: `process_resident_memory_bytes` from the endpoint's
    /// `/metrics` over plain HTTP (`http://` is added to an endpoint without it); 0 after printing
    /// why when it cannot be read.
    static func residentMemory(_ endpoint: String) async -> Double {
        let key = "process_resident_memory_bytes"
        let host = endpoint.hasPrefix("http://") ? endpoint : "http://" + endpoint
        let url = host + "/metrics"
        let body: String
        switch await httpGet(url) {
        case .success(let text): body = text
        case .failure(let error):
            CtlIO.out("fetch error: \(error.text)\n")
            return 0
        }
        var valueText = ""
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) where line.hasPrefix(key) {
            valueText = line.dropFirst(key.count).trimmingCharacters(in: .whitespaces)
            break
        }
        if valueText.isEmpty {
            CtlIO.out("could not find: \(key)\n")
            return 0
        }
        guard let value = Double(valueText) else {
            CtlIO.out("parse error: strconv.ParseFloat: parsing \(GoQuote.quote(valueText)): invalid syntax\n")
            return 0
        }
        return value
    }

    struct HTTPError: Error {
        var text: String
    }

    /// A plain HTTP/1.0 GET of `url` (`http://host:port/path`), on a thread of its own; Go's
    /// `http.Get` error texts for the usual failures.
    static func httpGet(_ url: String) async -> Result<String, HTTPError> {
        await withCheckedContinuation { (c: CheckedContinuation<Result<String, HTTPError>, Never>) in
            Thread { c.resume(returning: blockingGet(url)) }.start()
        }
    }

    private static func blockingGet(_ url: String) -> Result<String, HTTPError> {
        let quoted = GoQuote.quote(url)
        var rest = Substring(url)
        guard rest.hasPrefix("http://") else {
            return .failure(HTTPError(text: "Get \(quoted): unsupported protocol scheme"))
        }
        rest = rest.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        var host = String(authority)
        var port = "80"
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") { port = String(after.dropFirst()) }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":") {
            port = String(host[host.index(after: colon)...])
            host = String(host[..<colon])
        }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var info: UnsafeMutablePointer<addrinfo>?
        let gai = getaddrinfo(host, port, &hints, &info)
        guard gai == 0, let first = info else {
            return .failure(HTTPError(text: "Get \(quoted): dial tcp: lookup \(host): no such host"))
        }
        defer { freeaddrinfo(info) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0 else { return .failure(HTTPError(text: "Get \(quoted): dial tcp: \(String(cString: strerror(errno)))")) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0 {
            let reason = String(cString: strerror(errno)).lowercased()
            return .failure(HTTPError(text: "Get \(quoted): dial tcp \(authority): connect: \(reason)"))
        }
        let request = "GET \(path.isEmpty ? "/" : path) HTTP/1.0\r\nHost: \(authority)\r\nUser-Agent: Go-http-client/1.1\r\n\r\n"
        let sent = request.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        guard sent >= 0 else { return .failure(HTTPError(text: "Get \(quoted): \(String(cString: strerror(errno)).lowercased())")) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response += buffer[..<n]
        }
        guard let split = findHeaderEnd(response) else {
            return .failure(HTTPError(text: "Get \(quoted): EOF"))
        }
        let head = String(decoding: response[..<split], as: UTF8.self).lowercased()
        var body = Array(response[(split + 4)...])
        if head.contains("transfer-encoding: chunked") { body = dechunk(body) }
        return .success(String(decoding: body, as: UTF8.self))
    }

    private static func findHeaderEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            return i
        }
        return nil
    }

    private static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            guard let lineEnd = bytes[i...].firstIndex(of: 10) else { break }
            let sizeText = String(decoding: bytes[i..<lineEnd], as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";").first ?? ""
            guard let size = Int(sizeText, radix: 16), size > 0 else { break }
            let start = lineEnd + 1
            let end = min(bytes.count, start + size)
            out += bytes[start..<end]
            i = end + 2
        }
        return out
    }
}

/// gopkg.in/cheggaaa/pb.v1 as etcdctl's checks use it off a terminal (no bar drawn): counters,
/// percentage and time left, redrawn with `\r` every 200 ms; the final line has the time taken.
final class CtlProgressBar: Sendable {
    private struct State {
        var current = 0
        var start = ContinuousClock.now
        var changed = ContinuousClock.now
        var finished = false
    }

    let total: Int
    private let state = Mutex(State())
    private let refresher = Mutex<Task<Void, Never>?>(nil)

    init(total: Int) {
        self.total = total
    }

    func start() {
        state.withLock { s in
            s.start = .now
            s.changed = s.start
        }
        draw(final: false)
        let task = Task { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(200))
                if Task.isCancelled || state.withLock({ $0.finished }) { return }
                draw(final: false)
            }
        }
        refresher.withLock { $0 = task }
    }

    func increment() {
        state.withLock { s in
            s.current += 1
            s.changed = .now
        }
    }

    func finish() {
        refresher.withLock { $0 }?.cancel()
        draw(final: true)
        state.withLock { $0.finished = true }
        CtlIO.out("\n")
    }

    private func draw(final: Bool) {
        let (current, start, changed, finished) = state.withLock { ($0.current, $0.start, $0.changed, $0.finished) }
        if finished { return }
        let percent = total > 0 ? Double(current) / (Double(total) / 100) : Double(current) / 100
        var line = " \(current) / \(total) " + String(format: " %6.02f%%", percent)
        let now = ContinuousClock.now
        if final {
            let seconds = (now - start).components.seconds
            line += " " + GoFormat.duration(.seconds(seconds))
        } else if current > 0 {
            let perEntry = CtlMaintenance.seconds(changed - start) / Double(current)
            let left = Double(total - current) * perEntry - CtlMaintenance.seconds(now - changed)
            let whole = Int64(left)
            func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
            if whole > 0 { line += " \(two(whole / 60))m\(two(whole % 60))s" }
        }
        CtlIO.out("\r" + line)
    }
}
