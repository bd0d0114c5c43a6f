/// Upstream's `slowStartBatch`: a number of calls made in batches of 1, 2, 4, … run
/// concurrently, stopping after the first batch with a failure. A ReplicaSet that cannot
/// create pods (a quota, a webhook) then fails once, not five hundred times.
public enum SlowStartBatch {
    /// `controller.SlowStartInitialBatchSize`.
    public static let initialBatchSize = 1

    /// The batch sizes for `count` calls: 1, 2, 4, … with the last one cut to what remains.
    public static func batchSizes(_ count: Int, initial: Int = initialBatchSize) -> [Int] {
        var sizes: [Int] = []
        var remaining = count
        var size = min(remaining, initial)
        while size > 0 {
            sizes.append(size)
            remaining -= size
            size = min(2 * size, remaining)
        }
        return sizes
    }

    /// Calls `body` `count` times in slow-start batches. Returns how many calls succeeded and
    /// the first error of the batch that stopped it, if any.
    public static func run(_ count: Int, initial: Int = initialBatchSize,
                           _ body: @escaping @Sendable () async throws -> Void) async -> (successes: Int, error: (any Error)?) {
        var successes = 0
        for size in batchSizes(count, initial: initial) {
            let errors = await withTaskGroup(of: (any Error)?.self) { group -> [any Error] in
                for _ in 0..<size {
                    group.addTask {
                        do { try await body(); return nil } catch { return error }
                    }
                }
                var failed: [any Error] = []
                for await error in group { if let error { failed.append(error) } }
                return failed
            }
            successes += size - errors.count
            if let first = errors.first { return (successes, first) }
        }
        return (successes, nil)
    }
}
