import Foundation
import KubeCore

/// `kubectl logs` for the emulated node: a mirror pod's log is the file `ketch up` writes for
/// its component (`<logDirectory>/<component>.log`, the pod's `component` label), shaped by the
/// query the way the kubelet shapes a container log.
public struct ContainerLogs: Sendable {
    /// Where component logs live; nil when unknown (every request then fails as "waiting").
    public let logDirectory: URL?
    /// How often a followed log is checked for new bytes.
    public var pollInterval: Duration = .milliseconds(250)
    /// At most this many bytes are read from the end of a log when answering without `follow`
    /// from the start; older bytes are skipped so a huge log cannot exhaust memory.
    public var maximumReadBytes = 32 * 1024 * 1024

    /// Creates the log reader for a log directory.
    public init(logDirectory: URL?) {
        self.logDirectory = logDirectory
    }

    /// The log file of a pod's container: `<logDirectory>/<component>.log` for a pod with a
    /// `component` label (kubeadm's static pods), nil otherwise or when no directory is known.
    public func logFile(for pod: JSONValue) -> URL? {
        guard let logDirectory, let component = pod["metadata"]?["labels"]?["component"]?.string,
              !component.isEmpty, !component.contains("/"), component != "..", component != "." else { return nil }
        return logDirectory.appendingPathComponent("\(component).log")
    }

    /// The log as kube answers a non-follow request (the body of a `text/plain` response).
    /// - Throws: `KubeStatus` 400 when the container is unknown, `previous` is asked for, or
    ///   there is no log file (the component has not been started).
    public func read(pod: JSONValue, options: LogOptions, now: Date = Date()) throws -> String {
        if let simulated = try SimulatedContainerLog.text(pod: pod, options: options, isStatic: logFile(for: pod) != nil) {
            return simulated
        }
        let url = try openableLog(pod: pod, options: options)
        let (data, _) = try readTail(url)
        var bytes = render(data: data, options: options, now: now, fileDate: modificationDate(url) ?? now)
        if let limit = options.limitBytes, bytes.count > limit { bytes.removeSubrange(limit...) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The log as a byte stream: what `read` returns, then (when `options.follow`) every line
    /// appended later, until the consumer stops or `limitBytes` is reached. A log that shrinks
    /// (the component restarted and `ketch up` truncated it) is followed from its new start.
    /// Errors `read` would throw arrive as the stream's first element's failure.
    public func follow(pod: JSONValue, options: LogOptions) -> AsyncThrowingStream<[UInt8], Error> {
        let logs = self
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await logs.stream(pod: pod, options: options) { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    // MARK: - Internals

    private func stream(pod: JSONValue, options: LogOptions, emit: @Sendable ([UInt8]) -> Void) async throws {
        if let simulated = try SimulatedContainerLog.text(pod: pod, options: options, isStatic: logFile(for: pod) != nil) {
            emit(Array(simulated.utf8))
            return
        }
        let url = try openableLog(pod: pod, options: options)
        var remaining = options.limitBytes ?? Int.max
        func send(_ bytes: [UInt8]) -> Bool {
            guard !bytes.isEmpty else { return remaining > 0 }
            let chunk = bytes.count > remaining ? Array(bytes.prefix(remaining)) : bytes
            remaining -= chunk.count
            emit(chunk)
            return remaining > 0
        }
        let now = Date()
        let (initial, end) = try readTail(url)
        var lastTime = modificationDate(url) ?? now
        guard options.follow else {
            _ = send(render(data: initial, options: options, now: now, fileDate: lastTime))
            return
        }
        // Only whole lines go out with timestamps; a partial last line waits for its newline.
        var offset = end
        var pending: [UInt8] = []
        var body = [UInt8](initial)
        if options.timestamps, !body.isEmpty, body.last != 10 {
            let cut = body.lastIndex(of: 10).map { $0 + 1 } ?? 0
            pending = Array(body[cut...])
            body.removeSubrange(cut...)
        }
        guard send(render(data: Data(body), options: options, now: now, fileDate: lastTime)) else { return }
        while !Task.isCancelled {
            try await Task.sleep(for: pollInterval)
            let size = fileSize(url) ?? 0
            if size < offset { offset = 0; pending = [] } // truncated or replaced: start over
            guard size > offset, let handle = try? FileHandle(forReadingFrom: url) else { continue }
            defer { try? handle.close() }
            try handle.seek(toOffset: offset)
            let fresh = try handle.readToEnd() ?? Data()
            offset += UInt64(fresh.count)
            guard options.timestamps else {
                guard send([UInt8](fresh)) else { return }
                continue
            }
            pending += fresh
            guard let lastNewline = pending.lastIndex(of: 10) else { continue }
            let lines = Array(pending[...lastNewline])
            pending.removeSubrange(...lastNewline)
            var out: [UInt8] = []
            for line in lines.split(separator: 10, omittingEmptySubsequences: false).dropLast() {
                let text = String(decoding: line, as: UTF8.self)
                lastTime = LogLineTime.parse(Substring(text)) ?? Date()
                out += Array((KubeTime.rfc3339Nano(lastTime) + " ").utf8) + line + [10]
            }
            guard send(out) else { return }
        }
    }

    /// The log file after the checks the kubelet makes; throws its 400 answers.
    private func openableLog(pod: JSONValue, options: LogOptions) throws -> URL {
        let podName = pod["metadata"]?["name"]?.string ?? ""
        let container = try PodContainers.resolve(pod: pod, requested: options.container)
        if options.previous {
            throw KubeStatus.badRequest("previous terminated container \"\(container)\" in pod \"\(podName)\" not found")
        }
        guard let url = logFile(for: pod) else {
            throw KubeStatus.badRequest("container \"\(container)\" in pod \"\(podName)\" is waiting to start: ContainerCreating")
        }
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw KubeStatus.badRequest("container \"\(container)\" in pod \"\(podName)\" is waiting to start: "
                + "no log at \(url.path) yet (is `ketch up` running this component?)")
        }
        return url
    }

    /// The file's last `maximumReadBytes` (from a line start) and the offset where it ended.
    private func readTail(_ url: URL) throws -> (Data, UInt64) {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        let start = size > UInt64(maximumReadBytes) ? size - UInt64(maximumReadBytes) : 0
        try handle.seek(toOffset: start)
        var data = try handle.read(upToCount: Int(size - start)) ?? Data()
        if start > 0, let newline = data.firstIndex(of: 10) { data = data[(newline + 1)...] }
        return (Data(data), size)
    }

    /// Applies `sinceSeconds`/`sinceTime`, `tailLines` and `timestamps` to whole-log bytes.
    func render(data: Data, options: LogOptions, now: Date, fileDate: Date) -> [UInt8] {
        let needsLines = options.tailLines != nil || options.timestamps || options.cutoff(now: now) != nil
        guard needsLines else { return [UInt8](data) }
        let bytes = [UInt8](data)
        var lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map { Array($0) }
        let endsWithNewline = bytes.last == 10
        if endsWithNewline { lines.removeLast() }
        // Lines without a time of their own inherit the previous line's; leading ones the file's
        // modification time, which errs towards showing them.
        var times: [Date] = []
        var last: Date?
        for line in lines {
            if let t = LogLineTime.parse(Substring(String(decoding: line.prefix(64), as: UTF8.self)), now: now) { last = t }
            times.append(last ?? fileDate)
        }
        var selected = Array(zip(lines, times).enumerated())
        if let cutoff = options.cutoff(now: now) { selected = selected.filter { $0.element.1 >= cutoff } }
        if let tail = options.tailLines { selected = Array(selected.suffix(tail)) }
        var out: [UInt8] = []
        for (index, (line, time)) in selected {
            if options.timestamps { out += Array((KubeTime.rfc3339Nano(time) + " ").utf8) }
            out += line
            if index < lines.count - 1 || endsWithNewline { out.append(10) }
        }
        return out
    }

    private func modificationDate(_ url: URL) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
    }

    private func fileSize(_ url: URL) -> UInt64? {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.uint64Value
    }
}
