import EtcdProto
import Foundation
import GRPCCore
import KetchStore
import Synchronization

/// One client's watch stream, as etcd's `serverWatchStream`: a receive loop that creates and
/// cancels watchers, and one send loop that writes their answers and, watcher by watcher, the
/// events the store holds for them.
///
/// The send loop is the stream's only task: a commit wakes it once however many watchers the
/// stream has, and events go from the store straight to the writer (a task per watcher, handing
/// responses to a sender, cost four thread hand-offs per event and watcher). A slow client holds
/// back only its own stream, whose watchers then catch up from the store rather than buffer
/// (etcd's unsynced watchers).
final class WatchStream: Sendable {
    private let context: EtcdServerContext
    private let metadata: Metadata
    private let remotePeer: String
    private let state = Mutex(State())

    /// A watcher and how far it has got.
    private struct Entry {
        var watcher: Watcher
        /// Tells a watcher from a later one that reuses its (client-chosen) ID.
        var generation: UInt64
        /// The next revision to look at.
        var next: Int64
        /// Caught up with the store: from then on, one response per revision.
        var live = false
        /// When it was last sent something, for progress notifications.
        var lastSent: ContinuousClock.Instant
    }

    private struct State {
        var watchers: [Int64: Entry] = [:]
        var nextID: Int64 = 0
        var generation: UInt64 = 0
        /// Answers to create, cancel and progress requests, in request order.
        var control: [Etcdserverpb_WatchResponse] = []
        /// Something changed since the send loop last looked.
        var pending = false
        /// The send loop, when it sleeps.
        var sleeper: CheckedContinuation<Void, Never>?
        /// The client stopped sending: write what is queued, then end.
        var finished = false
    }

    init(context: EtcdServerContext, metadata: Metadata, remotePeer: String) {
        self.context = context
        self.metadata = metadata
        self.remotePeer = remotePeer
    }

    func run(requests: RPCAsyncSequence<Etcdserverpb_WatchRequest, any Error>, writer: RPCWriter<Etcdserverpb_WatchResponse>) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.sendLoop(writer) }
            defer { update { $0.finished = true } }
            // etcd ends the stream when the client stops sending.
            for try await request in requests {
                handle(request)
            }
            update { $0.finished = true }
            try await group.waitForAll()
        }
    }

    // MARK: Requests

    private func handle(_ request: Etcdserverpb_WatchRequest) {
        switch request.requestUnion {
        case .createRequest(let r): create(r)
        case .cancelRequest(let r): cancel(r.watchID)
        case .progressRequest:
            // Not tied to one watcher: etcd answers with watch ID -1 and the current revision.
            var response = Etcdserverpb_WatchResponse()
            response.header = header(context.store.currentRevision)
            response.watchID = -1
            update { $0.control.append(response) }
        case nil: break
        }
    }

    private func create(_ request: Etcdserverpb_WatchCreateRequest) {
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
            update { $0.control.append(response) }
            return
        }
        if case .before(let endKey) = end, endKey.lexicographicallyPrecedes(key) || endKey == key {
            response.watchID = -1
            response.canceled = true
            response.cancelReason = "mvcc: watcher range is empty"
            update { $0.control.append(response) }
            return
        }
        let now = ContinuousClock.now
        // The watcher and its `created` answer appear together, so the send loop never sends an
        // event before the answer.
        update { s in
            let id: Int64
            if request.watchID != 0 {
                guard s.watchers[request.watchID] == nil else {
                    response.watchID = request.watchID
                    response.canceled = true
                    response.cancelReason = "mvcc: duplicate watch ID provided on the WatchStream"
                    s.control.append(response)
                    return
                }
                id = request.watchID
            } else {
                while s.watchers[s.nextID] != nil { s.nextID += 1 }
                id = s.nextID
                s.nextID += 1
            }
            response.watchID = id
            let watcher = Watcher(
                id: id, key: key, end: end,
                start: request.startRevision == 0 ? current + 1 : request.startRevision,
                prevKV: request.prevKv,
                noPut: request.filters.contains(.noput), noDelete: request.filters.contains(.nodelete),
                progressNotify: request.progressNotify, fragment: request.fragment)
            s.generation += 1
            s.watchers[id] = Entry(watcher: watcher, generation: s.generation, next: watcher.start, lastSent: now)
            s.control.append(response)
        }
    }

    private func cancel(_ id: Int64) {
        var response = Etcdserverpb_WatchResponse()
        response.header = header(context.store.currentRevision)
        response.watchID = id
        response.canceled = true
        update { s in
            guard s.watchers.removeValue(forKey: id) != nil else { return }
            s.control.append(response)
        }
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

    // MARK: Sending

    /// Changes the state and wakes the send loop.
    private func update(_ change: (inout State) -> Void) {
        let sleeper = state.withLock { s -> CheckedContinuation<Void, Never>? in
            change(&s)
            s.pending = true
            defer { s.sleeper = nil }
            return s.sleeper
        }
        sleeper?.resume()
    }

    private func sendLoop(_ writer: RPCWriter<Etcdserverpb_WatchResponse>) async throws {
        while true {
            try Task.checkCancellation()
            // Answers and watchers are taken together: a watcher's `created` goes out first.
            let (control, entries, finished) = state.withLock { s in
                s.pending = false
                defer { s.control.removeAll(keepingCapacity: true) }
                return (s.control, s.watchers.values.sorted { $0.watcher.id < $1.watcher.id }, s.finished)
            }
            for response in control { try await writer.write(response) }
            if finished { return }

            var caughtUp = true
            var seen: Int64?
            var progressDue: ContinuousClock.Instant?
            for entry in entries {
                guard let e = try await serve(entry, writer) else { continue }
                if !e.live {
                    caughtUp = false
                    continue
                }
                seen = min(seen ?? e.next - 1, e.next - 1)
                if e.watcher.progressNotify {
                    let due = e.lastSent + context.watchProgressInterval
                    progressDue = min(progressDue ?? due, due)
                }
            }
            if !caughtUp {
                await Task.yield()  // more history to send: let other streams have a turn
                continue
            }
            await sleep(untilCommitAfter: seen, orUntil: progressDue)
        }
    }

    /// Sends `entry` the events the store has for it, and a progress notification when one is
    /// due; returns its new position, or nil when it is gone (cancelled, or compacted away).
    private func serve(_ entry: Entry, _ writer: RPCWriter<Etcdserverpb_WatchResponse>) async throws -> Entry? {
        var e = entry
        let w = e.watcher
        let batch: WatchBatch
        do {
            batch = try context.store.watchEvents(key: w.key, end: w.end, from: e.next)
        } catch {
            try await sendCompacted(e, writer)
            return nil
        }
        let events = batch.events.compactMap(w.wireEvent)
        if !events.isEmpty {
            if e.live {
                // A synced watcher gets one response per revision, headed by that revision, as etcd's notify.
                var start = 0
                while start < events.count {
                    let revision = events[start].kv.modRevision
                    var end = start
                    while end < events.count && events[end].kv.modRevision == revision { end += 1 }
                    try await send(w, Array(events[start..<end]), revision: revision, writer)
                    start = end
                }
            } else {
                try await send(w, events, revision: batch.currentRevision, writer)
            }
            e.lastSent = .now
        }
        e.next = batch.through + 1
        e.live = batch.through >= batch.currentRevision
        if e.live && w.progressNotify && ContinuousClock.now - e.lastSent >= context.watchProgressInterval {
            var progress = Etcdserverpb_WatchResponse()
            progress.header = header(context.store.currentRevision)
            progress.watchID = w.id
            try await writer.write(progress)
            e.lastSent = .now
        }
        let current = state.withLock { s -> Bool in
            guard s.watchers[w.id]?.generation == e.generation else { return false }
            s.watchers[w.id] = e
            return true
        }
        return current ? e : nil
    }

    /// Sleeps until a revision above `revision` is committed (no watcher: until woken), the
    /// deadline passes, or a request changes something.
    private func sleep(untilCommitAfter revision: Int64?, orUntil deadline: ContinuousClock.Instant?) async {
        let subscription = revision.map { context.store.onCommit(after: $0) { [self] in update { _ in } } }
        let timer = deadline.map { due in
            Task { [self] in
                try? await Task.sleep(until: due, clock: .continuous)
                update { _ in }
            }
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let awake = state.withLock { s -> Bool in
                    if s.pending || s.finished { return true }
                    s.sleeper = continuation
                    return false
                }
                if awake { continuation.resume() }
            }
        } onCancel: {
            update { _ in }
        }
        subscription?.cancel()
        timer?.cancel()
    }

    private func sendCompacted(_ e: Entry, _ writer: RPCWriter<Etcdserverpb_WatchResponse>) async throws {
        let removed = state.withLock { s -> Bool in
            guard s.watchers[e.watcher.id]?.generation == e.generation else { return false }
            s.watchers[e.watcher.id] = nil
            return true
        }
        guard removed else { return }
        var response = Etcdserverpb_WatchResponse()
        response.header = header(context.store.currentRevision)
        response.watchID = e.watcher.id
        response.compactRevision = context.store.compactRevision
        response.canceled = true
        try await writer.write(response)
    }

    private func send(_ w: Watcher, _ events: [Mvccpb_Event], revision: Int64, _ writer: RPCWriter<Etcdserverpb_WatchResponse>) async throws {
        var response = Etcdserverpb_WatchResponse()
        response.header = header(revision)
        response.watchID = w.id
        response.events = events
        if w.fragment {
            for part in WatchFragmenter.split(response, limit: context.maxRequestBytes) {
                try await writer.write(part)
            }
        } else {
            try await writer.write(response)
        }
    }

    private func header(_ revision: Int64) -> Etcdserverpb_ResponseHeader {
        context.header(revision: revision)
    }
}
