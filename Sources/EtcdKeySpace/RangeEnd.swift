import Foundation

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
