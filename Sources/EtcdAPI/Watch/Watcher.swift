import EtcdProto
import Foundation
import KetchStore

/// What one watch asked for.
struct Watcher: Sendable {
    var id: Int64
    var key: Data
    var end: RangeEnd
    /// The first revision to report.
    var start: Int64
    var prevKV: Bool
    var noPut: Bool
    var noDelete: Bool
    var progressNotify: Bool
    var fragment: Bool

    /// The event as this watcher receives it, or nil when its filters drop it.
    func wireEvent(_ e: ChangeEvent) -> Mvccpb_Event? {
        switch e.kind {
        case .put where noPut: return nil
        case .delete where noDelete: return nil
        default: break
        }
        var event = Mvccpb_Event()
        event.type = e.kind == .put ? .put : .delete
        event.kv = Mvccpb_KeyValue(e.kv)
        if prevKV, let prev = e.prevKV { event.prevKv = Mvccpb_KeyValue(prev) }
        return event
    }
}

/// etcd's `sendFragments`: splits a response whose size reaches the request limit into parts
/// flagged `fragment`, the last part unflagged; a response with one event is never split.
enum WatchFragmenter {
    static func split(_ response: Etcdserverpb_WatchResponse, limit: Int) -> [Etcdserverpb_WatchResponse] {
        func size(_ r: Etcdserverpb_WatchResponse) -> Int { (try? r.serializedBytes() as [UInt8])?.count ?? 0 }
        if response.events.count < 2 || size(response) < limit { return [response] }
        var parts: [Etcdserverpb_WatchResponse] = []
        var index = 0
        while index < response.events.count {
            var part = response
            part.events = []
            part.fragment = true
            while index < response.events.count {
                part.events.append(response.events[index])
                if part.events.count > 1 && size(part) >= limit {
                    part.events.removeLast()
                    break
                }
                index += 1
            }
            if index == response.events.count { part.fragment = false }
            parts.append(part)
        }
        return parts
    }
}
