import Foundation
import Hummingbird
import KubeCore
import Logging
import NIOCore
import ServiceLifecycle

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
                var bytes: [UInt8] = []
                try Self.append(type, object, to: &bytes)
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
            // A graceful shutdown ends every watch cleanly, as kube-apiserver does, so the server
            // is not held open by its clients and they re-watch from the new one.
            try await withGracefulShutdownHandler {
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
                        return
                    case .events(let batch):
                        // One write per batch: a busy collection (a thousand pods starting) comes as
                        // batches of many events, and a write per event costs a flush each.
                        var out: [UInt8] = []
                        for event in batch {
                            lastRevision = max(lastRevision, event.value.modRevision)
                            switch event.kind {
                            case .put:
                                guard let object = try? RegistryObjectStore.decode(event.value) else { continue }
                                // Without a filter the previous value only tells ADDED from MODIFIED,
                                // so it is decoded only when a filter has to judge it.
                                let before: Bool
                                if filter == nil {
                                    before = event.previous != nil
                                } else {
                                    before = matches(event.previous.flatMap { try? RegistryObjectStore.decode($0) })
                                }
                                if matches(object) {
                                    try Self.append(before ? "MODIFIED" : "ADDED", render(object), to: &out)
                                } else if before {
                                    try Self.append("DELETED", render(object), to: &out)
                                }
                            case .delete:
                                guard let previous = event.previous.flatMap({ try? RegistryObjectStore.decode($0) }),
                                      matches(previous) else { continue }
                                let gone = RegistryObjectStore.withResourceVersion(previous, event.value.modRevision)
                                try Self.append("DELETED", render(gone), to: &out)
                            }
                        }
                        if !out.isEmpty { try await writer.write(ByteBuffer(bytes: out)) }
                    }
                }
            } onGracefulShutdown: {
                continuation.finish()
            }
            try await writer.finish(nil)
        })
    }

    /// Appends one watch event line, `{"type":…,"object":…}` and a newline.
    static func append(_ type: String, _ object: JSONValue, to bytes: inout [UInt8]) throws {
        let event: JSONValue = .object(["type": .string(type), "object": object])
        bytes.append(contentsOf: try event.encodedBytes())
        bytes.append(UInt8(ascii: "\n"))
    }

    /// A BOOKMARK event's object: only kind, apiVersion and resourceVersion.
    static func bookmark(_ type: ResourceType, revision: Int64, initialEventsEnd: Bool) -> JSONValue {
        var meta: [String: JSONValue] = ["resourceVersion": .string(String(revision))]
        if initialEventsEnd { meta["annotations"] = .object(["k8s.io/initial-events-end": .string("true")]) }
        return .object(["kind": .string(type.kind), "apiVersion": .string(type.apiVersion), "metadata": .object(meta)])
    }
}
