import AsyncAlgorithms
import Foundation
import GRPCCore
import KetchStore
import Synchronization

/// One client's watch stream, as etcd's `serverWatchStream`: a receive loop that creates and
/// cancels watchers, one task per watcher pulling events from the store at its own pace, and a
/// single send loop.
///
/// Responses pass through an `AsyncChannel`, whose `send` waits for the send loop: a slow client
/// holds back only its own watchers, which then catch up from the store rather than buffer.
final class WatchStream: Sendable {
    private let context: EtcdServerContext
    private let metadata: Metadata
    private let remotePeer: String
    private let outbox = AsyncChannel<Etcdserverpb_WatchResponse>()
    private let watchers = Mutex(Registry())

    private struct Registry {
        var tasks: [Int64: Task<Void, Never>] = [:]
        var nextID: Int64 = 0
    }

    init(context: EtcdServerContext, metadata: Metadata, remotePeer: String) {
        self.context = context
        self.metadata = metadata
        self.remotePeer = remotePeer
    }

    func run(requests: RPCAsyncSequence<Etcdserverpb_WatchRequest, any Error>, writer: RPCWriter<Etcdserverpb_WatchResponse>) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await response in self.outbox {
                    try await writer.write(response)
                }
            }
            defer {
                cancelAll()
                outbox.finish()
            }
            // etcd ends the stream when the client stops sending.
            for try await request in requests {
                try await handle(request)
            }
            cancelAll()
            outbox.finish()
            try await group.waitForAll()
        }
    }

    private func cancelAll() {
        let tasks = watchers.withLock { registry in
            defer { registry.tasks.removeAll() }
            return registry.tasks.values
        }
        for task in tasks { task.cancel() }
    }

    private func header(_ revision: Int64) -> Etcdserverpb_ResponseHeader {
        context.header(revision: revision)
    }

    private func handle(_ request: Etcdserverpb_WatchRequest) async throws {
        switch request.requestUnion {
        case .createRequest(let r): await create(r)
        case .cancelRequest(let r): await cancel(r.watchID)
        case .progressRequest:
            // Not tied to one watcher: etcd answers with watch ID -1 and the current revision.
            var response = Etcdserverpb_WatchResponse()
            response.header = header(context.store.currentRevision)
            response.watchID = -1
            await outbox.send(response)
        case nil: break
        }
    }

    private func create(_ request: Etcdserverpb_WatchCreateRequest) async {
        // etcd's rules: an empty key means "\0" (the smallest key); a range end of "\0" means from-key.
        let key = request.key.isEmpty ? Data([0]) : request.key
        let end = RangeEnd(request.rangeEnd)
        let current = context.store.currentRevision
        var response = Etcdserverpb_WatchResponse()
        response.header = header(current)
        response.created = true

        if !isPermitted(key: key, rangeEnd: request.rangeEnd) {
            response.watchID = request.watchID
            response.canceled = true
            // etcd puts the Go text of its gRPC error here, status prefix included.
            response.cancelReason = "rpc error: code = PermissionDenied desc = etcdserver: permission denied"
            await outbox.send(response)
            return
        }
        if case .before(let endKey) = end, endKey.lexicographicallyPrecedes(key) || endKey == key {
            response.watchID = -1
            response.canceled = true
            response.cancelReason = "mvcc: watcher range is empty"
            await outbox.send(response)
            return
        }
        let id: Int64? = watchers.withLock { registry in
            if request.watchID != 0 {
                return registry.tasks[request.watchID] == nil ? request.watchID : nil
            }
            while registry.tasks[registry.nextID] != nil { registry.nextID += 1 }
            defer { registry.nextID += 1 }
            return registry.nextID
        }
        guard let id else {
            response.watchID = request.watchID
            response.canceled = true
            response.cancelReason = "mvcc: duplicate watch ID provided on the WatchStream"
            await outbox.send(response)
            return
        }
        response.watchID = id
        let watcher = Watcher(
            id: id, key: key, end: end,
            start: request.startRevision == 0 ? current + 1 : request.startRevision,
            prevKV: request.prevKv,
            noPut: request.filters.contains(.noput), noDelete: request.filters.contains(.nodelete),
            progressNotify: request.progressNotify, fragment: request.fragment)
        // Reserve the ID before announcing it, then start pulling only after `created` is queued.
        watchers.withLock { $0.tasks[id] = Task {} }
        await outbox.send(response)
        let task = Task { await self.pump(watcher) }
        let stale = watchers.withLock { registry -> Bool in
            guard registry.tasks[id] != nil else { return true }
            registry.tasks[id] = task
            return false
        }
        if stale { task.cancel() }
    }

    /// etcd's `isWatchPermitted`: read permission on the watched range, where a from-key watch
    /// ("\0" range end, which etcd rewrites to empty before checking) is checked as its start key.
    private func isPermitted(key: Data, rangeEnd: Data) -> Bool {
        guard context.auth.isEnabled else { return true }
        let checkedEnd = rangeEnd == Data([0]) ? Data() : rangeEnd
        do {
            let caller = try context.auth.caller(metadata: metadata, remotePeer: remotePeer)
            try context.auth.checkRead(caller, key: key, rangeEnd: checkedEnd)
            return true
        } catch {
            return false
        }
    }

    private func cancel(_ id: Int64) async {
        guard let task = watchers.withLock({ $0.tasks.removeValue(forKey: id) }) else { return }
        task.cancel()
        var response = Etcdserverpb_WatchResponse()
        response.header = header(context.store.currentRevision)
        response.watchID = id
        response.canceled = true
        await outbox.send(response)
    }

    /// Feeds one watcher until it is cancelled or its history is compacted away.
    private func pump(_ w: Watcher) async {
        var next = w.start
        var live = false
        while !Task.isCancelled {
            let batch: WatchBatch
            do {
                batch = try context.store.watchEvents(key: w.key, end: w.end, from: next)
            } catch {
                await sendCompacted(w)
                return
            }
            let events = batch.events.compactMap(w.wireEvent)
            if !events.isEmpty {
                if live {
                    // A synced watcher gets one response per revision, headed by that revision, as etcd's notify.
                    var start = 0
                    while start < events.count {
                        let revision = events[start].kv.modRevision
                        var end = start
                        while end < events.count && events[end].kv.modRevision == revision { end += 1 }
                        await send(w, Array(events[start..<end]), revision: revision)
                        start = end
                    }
                } else {
                    await send(w, events, revision: batch.currentRevision)
                }
            }
            next = batch.through + 1
            live = batch.through >= batch.currentRevision
            if live {
                let woke = await waitForCommit(after: batch.through, progressEvery: w.progressNotify ? context.watchProgressInterval : nil)
                if !woke && !Task.isCancelled {
                    var progress = Etcdserverpb_WatchResponse()
                    progress.header = header(context.store.currentRevision)
                    progress.watchID = w.id
                    await outbox.send(progress)
                }
            }
        }
    }

    /// Waits for a new commit; false when `progressEvery` elapsed first.
    private func waitForCommit(after revision: Int64, progressEvery: Duration?) async -> Bool {
        guard let interval = progressEvery else {
            await context.store.waitForCommit(after: revision)
            return true
        }
        let store = context.store
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await store.waitForCommit(after: revision)
                return true
            }
            group.addTask {
                try? await Task.sleep(for: interval)
                return false
            }
            let first = await group.next() ?? true
            group.cancelAll()
            return first
        }
    }

    private func sendCompacted(_ w: Watcher) async {
        guard watchers.withLock({ $0.tasks.removeValue(forKey: w.id) }) != nil else { return }
        var response = Etcdserverpb_WatchResponse()
        response.header = header(context.store.currentRevision)
        response.watchID = w.id
        response.compactRevision = context.store.compactRevision
        response.canceled = true
        await outbox.send(response)
    }

    private func send(_ w: Watcher, _ events: [Mvccpb_Event], revision: Int64) async {
        var response = Etcdserverpb_WatchResponse()
        response.header = header(revision)
        response.watchID = w.id
        response.events = events
        if w.fragment {
            for part in WatchFragmenter.split(response, limit: context.maxRequestBytes) {
                await outbox.send(part)
            }
        } else {
            await outbox.send(response)
        }
    }
}
