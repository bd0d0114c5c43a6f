import Foundation

/// Byte-string helpers. etcd orders keys as raw bytes (Go's `bytes.Compare`), so every ordering
/// decision in the store goes through `compareBytes`.
@usableFromInline
func compareBytes(_ a: Data, _ b: Data) -> Int {
    a.withUnsafeBytes { pa in
        b.withUnsafeBytes { pb in
            let n = min(pa.count, pb.count)
            if n > 0 {
                let c = memcmp(pa.baseAddress!, pb.baseAddress!, n)
                if c != 0 { return c < 0 ? -1 : 1 }
            }
            return pa.count == pb.count ? 0 : (pa.count < pb.count ? -1 : 1)
        }
    }
}

/// The end of a key range as etcd's API encodes it.
public enum RangeEnd: Sendable, Equatable {
    /// Only the key itself (`range_end` empty).
    case single
    /// Every key greater than or equal to the key (`range_end` is the single byte `\0`).
    case fromKey
    /// Keys in `[key, end)`.
    case before(Data)

    /// Decodes etcd's `range_end` field.
    public init(_ rangeEnd: Data) {
        if rangeEnd.isEmpty {
            self = .single
        } else if rangeEnd.count == 1 && rangeEnd.first == 0 {
            self = .fromKey
        } else {
            self = .before(rangeEnd)
        }
    }

    /// Encodes back to etcd's `range_end` field.
    public var wireValue: Data {
        switch self {
        case .single: return Data()
        case .fromKey: return Data([0])
        case .before(let end): return end
        }
    }
}

/// The `range_end` that selects every key with the given prefix, as etcd's clients compute it.
public func prefixRangeEnd(_ prefix: Data) -> Data {
    var bytes = [UInt8](prefix)
    while let last = bytes.last {
        if last < 0xff {
            bytes[bytes.count - 1] = last + 1
            return Data(bytes)
        }
        bytes.removeLast()
    }
    return Data([0])
}
