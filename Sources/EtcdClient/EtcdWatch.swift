import EtcdProto
import Foundation
import GRPCCore

/// One change seen by a watch.
public struct EtcdWatchEvent: Sendable, Hashable {
    public enum EventType: Sendable, Hashable {
        case put, delete
    }

    public var type: EventType
    /// The key after the change (for a delete: the key with the deletion's mod revision, no value).
    public var kv: EtcdKeyValue
    /// The key before the change, when the watch asked for `prevKV` and there was one.
    public var prevKV: EtcdKeyValue?
}

/// One message of a watch: events (or a progress notification) at a header revision.
public struct EtcdWatchBatch: Sendable, Hashable {
    public var header: EtcdResponseHeader
    public var events: [EtcdWatchEvent]
    /// No events: etcd tells the watcher that the store has reached `header.revision`.
    public var isProgressNotify: Bool
    /// The confirmation that the watch was created (only from ``EtcdClient/watchResponses(key:end:startRevision:prevKV:progressNotify:)``).
    public var isCreated: Bool
    /// etcd cancelled the watch (only from ``EtcdClient/watchResponses(key:end:startRevision:prevKV:progressNotify:)``).
    public var isCanceled: Bool
    /// With `isCanceled`: the compacted revision, when the start revision was compacted (else 0).
    public var compactRevision: Int64
    /// With `isCanceled`: etcd's reason.
    public var cancelReason: String
    /// The watch's ID on its stream.
    public var watchID: Int64

    /// The revision of this batch (the header's).
    public var revision: Int64 { header.revision }
}

extension EtcdClient {
    /// Watches `key` (`end` nil), `[key, end)` or every key from `key` on (`end == [0]`), from
    /// `startRevision` (0: from now on).
    ///
    /// Yields a batch per etcd message that has events or is a progress notification. Throws
    /// ``EtcdClientError/compacted(compactRevision:)`` when `startRevision` has been compacted,
    /// ``EtcdClientError/watchCanceled(reason:)`` when etcd cancels the watch otherwise. The stream
    /// ends when the server closes it. Stopping the iteration (or cancelling the consuming task)
    /// ends the gRPC stream.
    public func watch(key: [UInt8], end: [UInt8]? = nil, startRevision: Int64 = 0, prevKV: Bool = false,
                      progressNotify: Bool = false) -> AsyncThrowingStream<EtcdWatchBatch, any Error> {
        watchStream(key: key, end: end, startRevision: startRevision, prevKV: prevKV, progressNotify: progressNotify, raw: false)
    }

    /// Like ``watch(key:end:startRevision:prevKV:progressNotify:)`` but yields every message as it
    /// came, including the creation confirmation and a cancellation (which then ends the stream
    /// without an error), for callers that print them (etcdctl's `-w json`).
    public func watchResponses(key: [UInt8], end: [UInt8]? = nil, startRevision: Int64 = 0, prevKV: Bool = false,
                               progressNotify: Bool = false) -> AsyncThrowingStream<EtcdWatchBatch, any Error> {
        watchStream(key: key, end: end, startRevision: startRevision, prevKV: prevKV, progressNotify: progressNotify, raw: true)
    }

    private func watchStream(key: [UInt8], end: [UInt8]?, startRevision: Int64, prevKV: Bool, progressNotify: Bool,
                             raw: Bool) -> AsyncThrowingStream<EtcdWatchBatch, any Error> {
        var create = Etcdserverpb_WatchCreateRequest()
        create.key = Data(key)
        if let end { create.rangeEnd = Data(end) }
        create.startRevision = startRevision
        create.prevKv = prevKV
        create.progressNotify = progressNotify
        var request = Etcdserverpb_WatchRequest()
        request.requestUnion = .createRequest(create)
        let first = request

        let (stream, continuation) = AsyncThrowingStream<EtcdWatchBatch, any Error>.makeStream()
        let task = Task {
            do {
                let connection = try await self.currentConnection()
                var options = self.callOptions()
                options.timeout = nil
                // The request stream stays open until the responses are done: etcd ends a watch
                // stream whose client has closed its side.
                let (done, finish) = AsyncStream<Void>.makeStream()
                try await connection.watch.watch(
                    metadata: self.metadata(), options: options,
                    requestProducer: { writer in
                        try await writer.write(first)
                        for await _ in done {}
                    },
                    onResponse: { response in
                        defer { finish.finish() }
                        var pending: [Mvccpb_Event] = []
                        for try await message in response.messages {
                            if message.fragment {
                                pending += message.events
                                continue
                            }
                            var whole = message
                            if !pending.isEmpty {
                                whole.events = pending + message.events
                                pending = []
                            }
                            let batch = EtcdWatchBatch(whole)
                            if raw {
                                continuation.yield(batch)
                                if batch.isCanceled { return }
                                continue
                            }
                            if batch.isCanceled {
                                if batch.compactRevision > 0 {
                                    throw EtcdClientError.compacted(compactRevision: batch.compactRevision)
                                }
                                throw EtcdClientError.watchCanceled(reason: batch.cancelReason)
                            }
                            if batch.isCreated && batch.events.isEmpty { continue }
                            continuation.yield(batch)
                        }
                    })
                continuation.finish()
            } catch {
                continuation.finish(throwing: self.mapError(error))
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}

// MARK: - Wire conversions

extension EtcdWatchBatch {
    init(_ m: Etcdserverpb_WatchResponse) {
        let events = m.events.map { e in
            EtcdWatchEvent(type: e.type == .delete ? .delete : .put, kv: EtcdKeyValue(e.kv),
                           prevKV: e.hasPrevKv ? EtcdKeyValue(e.prevKv) : nil)
        }
        self.init(
            header: EtcdResponseHeader(m.header), events: events,
            isProgressNotify: events.isEmpty && !m.created && !m.canceled && m.compactRevision == 0,
            isCreated: m.created, isCanceled: m.canceled, compactRevision: m.compactRevision,
            cancelReason: m.cancelReason, watchID: m.watchID)
    }
}
