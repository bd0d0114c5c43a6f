/// The queue of one SPDY connection's outbound frames.
typealias SPDYFrameQueue = SendQueue<SPDYFrame>

/// The connection ended before the frame was written.
struct SendQueueClosed: Error, CustomStringConvertible {
    var description: String { "connection closed" }
}

/// The outbound side of one SPDY connection (`SPDYFrameQueue`) shared by many tasks (the frame reader answering
/// SYN_STREAMs and PINGs, one relay per forwarded connection): frames leave in the order they
/// were queued, through a single writer (the header compressor is stateful, so order matters),
/// and a sender can wait until its frame was written, which gives backpressure (a forwarded
/// connection is read no faster than the client takes the data).
///
/// Once closed (the connection is gone), queued and later frames fail with `Closed`.
///
/// Generic over what is sent: the WebSocket channel protocol queues its messages the same way.
final class SendQueue<Frame: Sendable>: Sendable {
    typealias Closed = SendQueueClosed

    typealias Ack = CheckedContinuation<Void, any Error>

    private struct Item: Sendable {
        let frame: Frame
        let ack: Ack?
    }

    private struct State: Sendable {
        var items: [Item] = []
        var head = 0
        var waiter: CheckedContinuation<Item?, Never>?
        var closed = false
        /// No more frames come; the writer stops once the queue is empty.
        var finishing = false

        var isEmpty: Bool { head == items.count }

        mutating func pop() -> Item? {
            guard !isEmpty else { return nil }
            let item = items[head]
            head += 1
            if head > 64 && head * 2 > items.count {
                items.removeFirst(head)
                head = 0
            }
            return item
        }
    }

    private let state = LockedValue(State())

    init() {}

    /// Number of frames waiting to be written.
    var pending: Int { state.withLock { $0.items.count - $0.head } }

    /// Queues `frame` without waiting (SYN_REPLY, RST_STREAM, PING replies). Dropped once closed.
    func post(_ frame: Frame) {
        enqueue(Item(frame: frame, ack: nil))
    }

    /// Queues `frame` and returns once it was written.
    /// - Throws: `Closed` when the connection ended first, or the write's error.
    func send(_ frame: Frame) async throws {
        try await withCheckedThrowingContinuation { (ack: Ack) in
            enqueue(Item(frame: frame, ack: ack))
        }
    }

    private enum Action { case none, fail(Ack?), hand(CheckedContinuation<Item?, Never>) }

    private func enqueue(_ item: Item) {
        let action: Action = state.withLock { s in
            if s.closed || s.finishing { return .fail(item.ack) }
            if let waiter = s.waiter {
                s.waiter = nil
                return .hand(waiter)
            }
            s.items.append(item)
            return .none
        }
        switch action {
        case .none: break
        case .fail(let ack): ack?.resume(throwing: Closed())
        case .hand(let waiter): waiter.resume(returning: item)
        }
    }

    /// Writes frames with `write` until the queue is closed. A failed write fails that frame's
    /// sender and closes the queue (the connection is broken). Run by exactly one task.
    func drain(_ write: (Frame) async throws -> Void) async {
        while let item = await next() {
            do {
                try await write(item.frame)
                item.ack?.resume()
            } catch {
                item.ack?.resume(throwing: error)
                close()
            }
        }
    }

    /// The next frame to write, waiting for one; nil once closed.
    private func next() async -> Item? {
        await withCheckedContinuation { (waiter: CheckedContinuation<Item?, Never>) in
            let ready: Item?? = state.withLock { s in
                if let item = s.pop() { return .some(item) }
                if s.closed || s.finishing { return .some(nil) }
                s.waiter = waiter
                return nil
            }
            if let ready { waiter.resume(returning: ready) }
        }
    }

    /// Ends the queue once what is queued is written: the writer then stops. Later frames fail.
    func finish() {
        let waiter: CheckedContinuation<Item?, Never>? = state.withLock { s in
            s.finishing = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Ends the queue: frames not yet written fail their senders, the writer stops.
    func close() {
        let (dropped, waiter): ([Item], CheckedContinuation<Item?, Never>?) = state.withLock { s in
            s.closed = true
            let rest = Array(s.items[s.head...])
            s.items = []
            s.head = 0
            let waiter = s.waiter
            s.waiter = nil
            return (rest, waiter)
        }
        for item in dropped { item.ack?.resume(throwing: Closed()) }
        waiter?.resume(returning: nil)
    }
}
