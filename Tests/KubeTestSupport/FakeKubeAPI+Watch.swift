import Foundation
import KubeClient
import KubeCore

extension FakeKubeAPI {
    /// A watch as the watch cache serves it: with no resourceVersion (or "0") the current
    /// objects arrive as ADDED first; with one, the changes after it are replayed from the log,
    /// and a version older than the last ``compact(upTo:)`` gets a 410 Expired ERROR event.
    /// `timeoutSeconds` ends the stream, as the server's watch timeout does.
    public func watch(_ type: ResourceType, namespace: String?, options: KubeListOptions) async throws
        -> AsyncThrowingStream<KubeWatchEvent, any Error> {
        try served("watch", type, namespace, nil)
        let (labels, fields) = try FakeObjectRules.selectors(options)
        let filter = FakeWatchFilter(resource: Self.resourceKey(type), namespace: type.namespaced ? namespace : nil,
                                     labels: labels, fields: fields)
        let (stream, continuation) = AsyncThrowingStream<KubeWatchEvent, any Error>.makeStream()
        let start = options.resourceVersion.flatMap { $0 == "0" ? nil : Int($0) }
        if let start {
            if start < compactedRevision {
                continuation.yield(.error(.expired("too old resource version: \(start) (\(compactedRevision))")))
                continuation.finish()
                return stream
            }
            for record in log where record.revision > start {
                if let event = filter.event(for: record) { continuation.yield(event) }
            }
        } else {
            let current = store.filter { $0.key.resource == filter.resource }
                .sorted { ($0.key.namespace, $0.key.name) < ($1.key.namespace, $1.key.name) }
            for (key, object) in current {
                let record = FakeWatchRecord(revision: revision, resource: key.resource, namespace: key.namespace,
                                             change: .added, object: object)
                if let event = filter.event(for: record) { continuation.yield(event) }
            }
        }
        let id = UUID()
        watchers[id] = (filter, continuation)
        continuation.onTermination = { _ in
            Task { await self.stopWatch(id) }
        }
        if let timeout = options.timeoutSeconds, timeout > 0 {
            Task {
                try? await Task.sleep(for: .seconds(timeout))
                await self.stopWatch(id)
            }
        }
        return stream
    }

    /// Ends one watch stream.
    func stopWatch(_ id: UUID) {
        watchers.removeValue(forKey: id)?.continuation.finish()
    }

    /// Appends a change to the log and hands it to the open watches that see it.
    func publish(_ record: FakeWatchRecord) {
        log.append(record)
        for (filter, continuation) in watchers.values {
            if let event = filter.event(for: record) { continuation.yield(event) }
        }
    }
}
