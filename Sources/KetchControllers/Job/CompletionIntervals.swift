/// A set of completion indexes kept as ordered, non-overlapping intervals, as an Indexed Job's
/// `status.completedIndexes` spells them (`1,3-5,7`), after upstream's `orderedIntervals`.
public struct CompletionIntervals: Sendable, Equatable, CustomStringConvertible {
    /// One run of consecutive indexes, both ends included.
    public struct Interval: Sendable, Equatable {
        /// The first index.
        public var first: Int
        /// The last index.
        public var last: Int
    }

    /// The intervals, ascending, never touching.
    public private(set) var intervals: [Interval]

    /// No indexes.
    public init() { intervals = [] }

    /// Parses `status.completedIndexes`, dropping indexes at or beyond `completions` and
    /// skipping corrupt parts, as `succeededIndexesFromString` does.
    public init(parsing text: String, completions: Int) {
        intervals = []
        guard !text.isEmpty else { return }
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let limits = part.split(separator: "-", omittingEmptySubsequences: false)
            guard let first = Int(limits[0]) else { continue }
            if first >= completions { break }
            var last = first
            if limits.count > 1 {
                guard let parsed = Int(limits[1]) else { continue }
                last = min(parsed, completions - 1)
            }
            if let previous = intervals.last, previous.last == first - 1 {
                intervals[intervals.count - 1].last = last
            } else {
                intervals.append(Interval(first: first, last: last))
            }
        }
    }

    /// These intervals with `indexes` (ascending) merged in.
    public func adding(_ indexes: [Int]) -> CompletionIntervals {
        var result = CompletionIntervals()
        func append(_ next: Interval) {
            if let last = result.intervals.last, next.first <= last.last + 1 {
                result.intervals[result.intervals.count - 1].last = max(last.last, next.last)
            } else {
                result.intervals.append(next)
            }
        }
        var i = 0
        var j = 0
        while i < intervals.count, j < indexes.count {
            if intervals[i].first < indexes[j] {
                append(intervals[i])
                i += 1
            } else {
                append(Interval(first: indexes[j], last: indexes[j]))
                j += 1
            }
        }
        for interval in intervals[i...] { append(interval) }
        for index in indexes[j...] { append(Interval(first: index, last: index)) }
        return result
    }

    /// How many indexes the intervals hold.
    public var total: Int { intervals.reduce(0) { $0 + $1.last - $1.first + 1 } }

    /// Whether `index` is held.
    public func contains(_ index: Int) -> Bool {
        intervals.contains { $0.first <= index && index <= $0.last }
    }

    /// The first `count` indexes below `completions` that are neither held here nor in
    /// `active` (upstream's `firstPendingIndexes`).
    public func firstPending(count: Int, completions: Int, active: Set<Int>) -> [Int] {
        guard count > 0 else { return [] }
        let busy = adding(active.sorted())
        var result: [Int] = []
        var candidate = 0
        for interval in busy.intervals {
            while candidate < completions, result.count < count, candidate < interval.first {
                result.append(candidate)
                candidate += 1
            }
            candidate = max(candidate, interval.last + 1)
        }
        while candidate < completions, result.count < count {
            result.append(candidate)
            candidate += 1
        }
        return result
    }

    /// `1,3-5,7`: two adjacent indexes are listed with a comma, longer runs with a dash.
    public var description: String {
        intervals.map { interval in
            if interval.last == interval.first { return "\(interval.first)" }
            let separator = interval.last == interval.first + 1 ? "," : "-"
            return "\(interval.first)\(separator)\(interval.last)"
        }.joined(separator: ",")
    }
}
