import Foundation

/// The kind of key access a request needs.
public enum KeyAccess: Sendable {
    case read
    case write
}

/// The key ranges one user may read and write, merged over all their roles: etcd's
/// `unifiedRangePermissions`, with the same interval rules.
///
/// Keys compare as bytes, except that an empty bound means "past every key" (etcd's
/// `BytesAffineComparable`), which is how open-ended (`\0`) ranges are stored.
public struct KeyPermissions: Sendable {
    /// `[begin, end)` where an empty `end` is unbounded.
    struct Interval: Sendable {
        var begin: Data
        var end: Data
    }

    private var read: [Interval] = []
    private var write: [Interval] = []

    /// Merges the permissions of `roles`; names without a role (deleted ones) grant nothing, as in etcd.
    public init(roles: [AuthRole?]) {
        for case let role? in roles {
            for permission in role.permissions {
                let interval = Self.interval(of: permission)
                switch permission.kind {
                case .read: read.append(interval)
                case .write: write.append(interval)
                case .readWrite:
                    read.append(interval)
                    write.append(interval)
                }
            }
        }
        // Kept in begin order so coverage is one left-to-right sweep, as etcd's interval tree visits them.
        read.sort { Self.compare($0.begin, $1.begin) < 0 }
        write.sort { Self.compare($0.begin, $1.begin) < 0 }
    }

    /// Whether the permissions allow `access` to `key` alone (`rangeEnd` empty) or to the whole
    /// range `[key, rangeEnd)` (`rangeEnd` `\0`: every key from `key` on).
    public func allows(_ access: KeyAccess, key: Data, rangeEnd: Data) -> Bool {
        let intervals = access == .read ? read : write
        if rangeEnd.isEmpty {
            return intervals.contains { Self.compare($0.begin, key) <= 0 && Self.compare(key, $0.end) < 0 }
        }
        let end = Self.isOpenEnded(rangeEnd) ? Data() : rangeEnd
        return Self.covers(intervals, Interval(begin: key, end: end))
    }

    /// etcd's `IntervalTree.Contains`: the intervals overlapping `query` must form one contiguous
    /// run that starts at or before its begin and reaches its end.
    static func covers(_ intervals: [Interval], _ query: Interval) -> Bool {
        var begin: Data?
        var end = Data()
        for interval in intervals where overlaps(query, interval) {
            if begin == nil {
                begin = interval.begin
                end = interval.end
                continue
            }
            if compare(end, interval.begin) < 0 { return false }
            if compare(interval.end, end) > 0 { end = interval.end }
        }
        guard let begin else { return false }
        return compare(end, query.end) >= 0 && compare(begin, query.begin) <= 0
    }

    /// etcd's `Interval.Compare(...) == 0`: neither wholly left of the other nor at or past its end.
    static func overlaps(_ a: Interval, _ b: Interval) -> Bool {
        let leftOf = compare(a.begin, b.begin) < 0 && compare(a.end, b.begin) <= 0
        let rightOf = compare(a.begin, b.end) >= 0
        return !leftOf && !rightOf
    }

    /// A permission as an interval: a single key is `[key, key + \0)`, `\0` is unbounded.
    static func interval(of permission: AuthPermission) -> Interval {
        if permission.rangeEnd.isEmpty {
            return Interval(begin: permission.key, end: permission.key + [0])
        }
        return Interval(begin: permission.key, end: isOpenEnded(permission.rangeEnd) ? Data() : permission.rangeEnd)
    }

    static func isOpenEnded(_ rangeEnd: Data) -> Bool {
        rangeEnd.count == 1 && rangeEnd.first == 0
    }

    /// Byte order with the empty string as the largest value.
    static func compare(_ a: Data, _ b: Data) -> Int {
        switch (a.isEmpty, b.isEmpty) {
        case (true, true): return 0
        case (true, false): return 1
        case (false, true): return -1
        case (false, false): return compareBytes(a, b)
        }
    }
}
