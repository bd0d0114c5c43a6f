extension SlowStartBatch {
    /// Calls `body` once per item, in slow-start batches (see ``run(_:initial:_:)``). Returns
    /// how many calls succeeded and the first error of the batch that stopped it.
    static func run<Item: Sendable>(over items: [Item],
                                    _ body: @escaping @Sendable (Item) async throws -> Void) async -> (successes: Int, error: (any Error)?) {
        let queue = ItemQueue(items)
        return await run(items.count) {
            guard let item = await queue.next() else { return }
            try await body(item)
        }
    }
}

/// Hands out items one at a time to concurrent callers, in order.
private actor ItemQueue<Item: Sendable> {
    private var items: [Item]

    init(_ items: [Item]) { self.items = items.reversed() }

    func next() -> Item? { items.popLast() }
}
