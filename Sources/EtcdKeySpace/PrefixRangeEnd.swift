import Foundation

/// The `range_end` that selects every key with the given prefix, as etcd's clients compute it
/// (`clientv3.GetPrefixRangeEnd`): the prefix with its last byte below 0xff incremented and
/// what follows dropped; `[0]` (every key) when every byte is 0xff. The one copy every target
/// uses, so a prefix means the same keys to the store, the server, the clients and the apiserver.
public func prefixRangeEnd(_ prefix: [UInt8]) -> [UInt8] {
    var end = prefix
    while let last = end.last {
        if last < 0xff {
            end[end.count - 1] = last + 1
            return end
        }
        end.removeLast()
    }
    return [0]
}

/// ``prefixRangeEnd(_:)-([UInt8])`` for `Data`.
public func prefixRangeEnd(_ prefix: Data) -> Data {
    Data(prefixRangeEnd([UInt8](prefix)))
}

/// ``prefixRangeEnd(_:)-([UInt8])`` for a UTF-8 key; the result is decoded leniently, which only
/// matters for prefixes that end in bytes Kubernetes keys never hold.
public func prefixRangeEnd(_ prefix: String) -> String {
    String(decoding: prefixRangeEnd(Array(prefix.utf8)), as: UTF8.self)
}
