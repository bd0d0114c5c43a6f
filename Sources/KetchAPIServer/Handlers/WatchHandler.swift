import Foundation
import Hummingbird
import KubeCore
import Logging
import NIOCore

/// `?watch=true`: a chunked stream of `{"type": ADDED|MODIFIED|DELETED|BOOKMARK|ERROR,
/// "object": …}` lines over an etcd watch, with kube-apiserver's resourceVersion rules.
struct WatchHandler: Sendable {
    let store: RegistryObjectStore
    let logger: Logger
    /// How often a watch that allows bookmarks gets one.
    var bookmarkInterval: Duration = .seconds(10)

    /// One item of the merged stream the writer drains.
    private enum Item: Sendable {
        case events([RegistryEvent])
        case bookmark
        case failed(any Error)
    }

    /// Starts a watch of `type` (one namespace when given).
    func watch(_ request: Request, info: RequestInfo, type: ResourceType, query: RequestQuery) throws -> Response {
        let namespace = type.namespaced ? info.namespace : nil
        let options = try ListRequest(query: query, type: type, verb: .watch)
        let filter = options.filter
        let shape = ResponseShape(accept: request.headers[.accept], includeObject: query["includeObject"])
        let bookmarks = query.flag("allowWatchBookmarks")
        let sendInitial = query.flag("sendInitialEvents")
        let timeout = Int(query["timeoutSeconds"] ?? "").map { Duration.seconds($0) }
        // Revisions are int64 in etcd; a larger uint64 is beyond any revision there will be.
        let start: Int64? = options.resourceVersion.map { Int64(clamping: $0) }
        let prefix = type.listPrefix(root: store.root, namespace: namespace)
        let store = self.store
        let interval = bookmarkInterval
        let logger = self.logger

        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-cache, private"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            func send(_ type: String, _ object: JSONValue) async throws {
                let event: JSONValue = .object(["type": .string(type), "object": object])
                var bytes = Array(try event.encoded())
                bytes.append(UInt8(ascii: "\n"))
                try await writer.write(ByteBuffer(bytes: bytes))
            }
            func render(_ object: JSONValue) -> JSONValue { shape.render(object, type) }
            func matches(_ object: JSONValue?) -> Bool {
                guard let object else { return false }
                return filter?(object) ?? true
            }

            var after: Int64
            if let start {
                after = start
            } else {
                // No resourceVersion: the current state as ADDED events, then changes.
                let page = try await store.list(type, namespace: namespace, options: .init(filter: filter))
                for item in page.items { try await send("ADDED", render(item)) }
                after = Int64(page.resourceVersion) ?? 0
            }
            if sendInitial, start == nil {
                try await send("BOOKMARK", Self.bookmark(type, revision: after, initialEventsEnd: true))
            }
            var lastRevision = after

            let watchFrom = after
            let (items, continuation) = AsyncStream<Item>.makeStream()
            let pump = Task {
                do {
                    for try await batch in store.backend.watch(start: prefix, end: prefix.prefixRangeEnd, after: watchFrom) {
                        continuation.yield(.events(batch))
                    }
                    continuation.finish()
                } catch {
                    continuation.yield(.failed(error))
                    continuation.finish()
                }
            }
            let ticker = Task {
                guard bookmarks else { return }
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    continuation.yield(.bookmark)
                }
            }
            let deadline = Task {
                guard let timeout else { return }
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled { continuation.finish() }
            }
            defer {
                pump.cancel()
                ticker.cancel()
                deadline.cancel()
            }
            for await item in items {
                switch item {
                case .bookmark:
                    try await send("BOOKMARK", Self.bookmark(type, revision: lastRevision, initialEventsEnd: false))
                case .failed(let error):
                    if case RegistryBackendError.compacted(let compacted) = error {
                        let status = KubeStatus.expired("too old resource version: \(after) (\(compacted))")
                        try await send("ERROR", status.json)
                    } else if !(error is CancellationError) {
                        logger.warning("watch ended", metadata: ["error": "\(error)"])
                        try await send("ERROR", KubeStatus.internalError("watch of \(prefix) failed: \(error)").json)
                    }
                    try await writer.finish(nil)
                    return
                case .events(let batch):
                    for event in batch {
                        lastRevision = max(lastRevision, event.value.modRevision)
                        let previous = event.previous.flatMap { try? RegistryObjectStore.decode($0) }
                        switch event.kind {
                        case .put:
                            guard let object = try? RegistryObjectStore.decode(event.value) else { continue }
                            let now = matches(object), before = matches(previous)
                            if now {
                                try await send(previous == nil || !before ? "ADDED" : "MODIFIED", render(object))
                            } else if before {
                                try await send("DELETED", render(object))
                            }
                        case .delete:
                            guard let previous, matches(previous) else { continue }
                            let gone = RegistryObjectStore.withResourceVersion(previous, event.value.modRevision)
                            try await send("DELETED", render(gone))
                        }
                    }
                }
            }
            try await writer.finish(nil)
        })
    }

    /// A BOOKMARK event's object: only kind, apiVersion and resourceVersion.
    static func bookmark(_ type: ResourceType, revision: Int64, initialEventsEnd: Bool) -> JSONValue {
        var meta: [String: JSONValue] = ["resourceVersion": .string(String(revision))]
        if initialEventsEnd { meta["annotations"] = .object(["k8s.io/initial-events-end": .string("true")]) }
        return .object(["kind": .string(type.kind), "apiVersion": .string(type.apiVersion), "metadata": .object(meta)])
    }
}
