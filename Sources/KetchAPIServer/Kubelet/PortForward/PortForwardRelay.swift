import NIOCore

/// What the client sends on one data stream, on its way to the pod's TCP connection: DATA
/// payloads in order, then the end (FIN, or RST_STREAM). The reader queues without blocking the
/// other streams; once more than `limit` bytes wait, `waitForRoom()` holds the reader back, the
/// way spdystream's per-stream buffer does.
final class PortForwardRelay: Sendable {
    /// How the client's side of the data stream ended.
    enum End: Sendable, Equatable {
        /// Still open.
        case open
        /// FIN: no more data, but it still reads.
        case finished
        /// RST_STREAM: the stream is gone both ways.
        case reset
    }

    let dataStream: UInt32
    let limit: Int
    let inbox: AsyncStream<ByteBuffer>
    private let sink: AsyncStream<ByteBuffer>.Continuation

    private struct State: Sendable {
        var buffered = 0
        var end = End.open
        var roomWaiters: [CheckedContinuation<Void, Never>] = []
        /// Set once the relay sent its FIN on the data stream.
        var finSent = false
    }

    private let state = LockedValue(State())

    init(dataStream: UInt32, limit: Int = 4 << 20) {
        self.dataStream = dataStream
        self.limit = limit
        (inbox, sink) = AsyncStream<ByteBuffer>.makeStream()
    }

    /// Bytes received and not yet written to the pod.
    var buffered: Int { state.withLock { $0.buffered } }

    var end: End { state.withLock { $0.end } }

    /// A DATA frame from the client. Data after the end is dropped.
    func received(_ payload: ByteBuffer, fin: Bool) {
        let accepted: Bool = state.withLock { s in
            guard s.end == .open else { return false }
            s.buffered += payload.readableBytes
            if fin { s.end = .finished }
            return true
        }
        guard accepted else { return }
        if payload.readableBytes > 0 { sink.yield(payload) }
        if fin { sink.finish() }
    }

    /// RST_STREAM from the client: nothing more comes, and nothing more may be sent.
    func reset() {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { s in
            s.end = .reset
            defer { s.roomWaiters = [] }
            return s.roomWaiters
        }
        sink.finish()
        for w in waiters { w.resume() }
    }

    /// The relay wrote `count` bytes to the pod.
    func consumed(_ count: Int) {
        let limit = self.limit
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { s in
            s.buffered -= count
            guard s.buffered <= limit else { return [] }
            defer { s.roomWaiters = [] }
            return s.roomWaiters
        }
        for w in waiters { w.resume() }
    }

    /// Returns once no more than `limit` bytes wait (or the relay is done).
    func waitForRoom() async {
        let limit = self.limit
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let ready: Bool = state.withLock { s in
                if s.buffered <= limit || s.end == .reset { return true }
                s.roomWaiters.append(c)
                return false
            }
            if ready { c.resume() }
        }
    }

    /// The relay is over (the pod connection closed): frees a waiting reader, drops what is left.
    func close() {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { s in
            if s.end == .open { s.end = .finished }
            s.buffered = 0
            defer { s.roomWaiters = [] }
            return s.roomWaiters
        }
        sink.finish()
        for w in waiters { w.resume() }
    }

    /// Marks the data stream's FIN as sent; false when it already was (or the stream was reset).
    func claimFin() -> Bool {
        state.withLock { s in
            guard !s.finSent, s.end != .reset else { return false }
            s.finSent = true
            return true
        }
    }
}
