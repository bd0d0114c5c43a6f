import Foundation
import KubeCore

/// The kubelet's bookkeeping for one `portforward.k8s.io` SPDY connection
/// (pkg/kubelet/cri/streaming/portforward/httpstream.go): every forwarded TCP connection is a
/// pair of client-opened streams, `streamType: error` and `streamType: data`, both carrying the
/// pod `port` and the same `requestID`. A stream with a missing or bad header is reset; a pair
/// is handed out once both halves are there (and forgotten, so the request id can come again);
/// a pair still incomplete after the stream-creation timeout is reported on its error stream.
struct PortForwardStreamTable: Sendable {
    enum StreamType: String, Sendable { case error, data }

    /// One accepted stream.
    struct Stream: Sendable, Equatable {
        let id: UInt32
        let type: StreamType
        let port: UInt16
        let requestID: String
    }

    /// Both streams of one forwarded connection. `port` is the data stream's.
    struct Pair: Sendable, Equatable {
        let requestID: String
        let errorStream: UInt32
        let dataStream: UInt32
        let port: UInt16
    }

    /// What to do with a new stream.
    enum Opened: Sendable, Equatable {
        /// Reset it (RST_STREAM CANCEL, as spdystream's Reset); `reason` is the kubelet's log line.
        case rejected(reason: String)
        /// Reply (SYN_REPLY); when `complete` is set, forward that pair now.
        case accepted(Stream, complete: Pair?)
        /// Reply, then write `message` on `errorStream` if there is one (the kubelet's
        /// "error processing stream" for a second stream of a type the pair already has).
        case duplicate(Stream, message: String, errorStream: UInt32?)
    }

    private struct Pending: Sendable {
        var error: Stream?
        var data: Stream?
        let deadline: Date
    }

    /// The kubelet's default (`DefaultStreamCreationTimeout`).
    static let defaultCreationTimeout: TimeInterval = 30

    let creationTimeout: TimeInterval
    private var pending: [String: Pending] = [:]
    private var streams: [UInt32: Stream] = [:]

    init(creationTimeout: TimeInterval = PortForwardStreamTable.defaultCreationTimeout) {
        self.creationTimeout = creationTimeout
    }

    /// The accepted stream with this id.
    func stream(_ id: UInt32) -> Stream? { streams[id] }

    /// Request ids with a pair still waiting for its other half.
    var pendingRequests: [String] { pending.keys.sorted() }

    /// A SYN_STREAM from the client.
    mutating func open(id: UInt32, headers: SPDYHeaders, now: Date = Date()) -> Opened {
        // httpStreamReceived: a valid port, then a valid stream type.
        guard let portString = headers["port"], !portString.isEmpty else {
            return .rejected(reason: "\"port\" header is required")
        }
        let port: UInt64
        switch GoParse.uint(portString, bits: 16) {
        case .failure(let error): return .rejected(reason: "unable to parse \(goQuoted(portString)) as a port: \(error)")
        case .success(let value): port = value
        }
        guard port >= 1 else { return .rejected(reason: "port \(goQuoted(portString)) must be > 0") }
        guard let typeString = headers["streamtype"], !typeString.isEmpty else {
            return .rejected(reason: "\"streamType\" header is required")
        }
        guard let type = StreamType(rawValue: typeString) else {
            return .rejected(reason: "invalid stream type \(goQuoted(typeString))")
        }
        guard streams[id] == nil else { return .rejected(reason: "stream \(id) already exists") }

        let requestID = Self.requestID(headers["requestid"], streamID: id, type: type)
        let stream = Stream(id: id, type: type, port: UInt16(port), requestID: requestID)
        streams[id] = stream

        var pair = pending[requestID] ?? Pending(deadline: now.addingTimeInterval(creationTimeout))
        switch type {
        case .error where pair.error != nil:
            return .duplicate(stream, message: "error processing stream for request \(requestID): error stream already assigned",
                              errorStream: pair.error?.id)
        case .data where pair.data != nil:
            return .duplicate(stream, message: "error processing stream for request \(requestID): data stream already assigned",
                              errorStream: pair.error?.id)
        case .error: pair.error = stream
        case .data: pair.data = stream
        }
        if let error = pair.error, let data = pair.data {
            pending[requestID] = nil
            return .accepted(stream, complete: Pair(requestID: requestID, errorStream: error.id, dataStream: data.id, port: data.port))
        }
        pending[requestID] = pair
        return .accepted(stream, complete: nil)
    }

    /// Clients before the `requestID` header (Kubernetes 1.4) opened error then data streams
    /// back to back; the kubelet pairs them by stream id: the error stream's id, and the data
    /// stream's id minus 2.
    static func requestID(_ header: String?, streamID: UInt32, type: StreamType) -> String {
        if let header, !header.isEmpty { return header }
        switch type {
        case .error: return String(Int(streamID))
        case .data: return String(Int(streamID) - 2)
        }
    }

    /// A pair that timed out waiting for its other half.
    struct Expired: Sendable, Equatable {
        let requestID: String
        let errorStream: UInt32?
        let dataStream: UInt32?
    }

    /// Pairs whose creation timed out, removed (the error stream, if any, is told).
    mutating func expire(now: Date = Date()) -> [Expired] {
        let late = pending.filter { $0.value.deadline <= now }
        for key in late.keys { pending[key] = nil }
        return late.map { Expired(requestID: $0.key, errorStream: $0.value.error?.id, dataStream: $0.value.data?.id) }
            .sorted { $0.requestID < $1.requestID }
    }

    /// Forgets a stream (its forwarded connection is over, or it was reset).
    mutating func remove(stream id: UInt32) {
        streams[id] = nil
    }
}

/// Go's `strconv` number parsing and `%q` quoting, for error texts the kubelet writes.
enum GoParse {
    enum Failure: Error, Equatable, CustomStringConvertible {
        case syntax(String), range(String)
        var description: String {
            switch self {
            case .syntax(let s): return "strconv.ParseUint: parsing \(goQuoted(s)): invalid syntax"
            case .range(let s): return "strconv.ParseUint: parsing \(goQuoted(s)): value out of range"
            }
        }
    }

    /// `strconv.ParseUint(s, 10, bits)`: decimal digits only (underscores are not allowed in
    /// base 10), at most `bits` wide.
    static func uint(_ s: String, bits: Int) -> Result<UInt64, Failure> {
        guard !s.isEmpty, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return .failure(.syntax(s)) }
        let max: UInt64 = bits >= 64 ? .max : (1 << UInt64(bits)) - 1
        var value: UInt64 = 0
        for c in s.utf8 {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (plus, o2) = times.addingReportingOverflow(UInt64(c - 0x30))
            if o1 || o2 || plus > max { return .failure(.range(s)) }
            value = plus
        }
        return .success(value)
    }

    /// `%q`, as the kubelet quotes what it could not parse (KubeCore's ``goQuoted(_:)``).
    static func quote(_ s: String) -> String { goQuoted(s) }
}
