import Foundation
import HTTPTypes
import KubeCore
import Logging
import NIOCore

/// The streaming protocols served over SPDY (the `X-Stream-Protocol-Version` values kubectl
/// before 1.31 offers, best first: v4, v3, v2, channel.k8s.io).
enum SPDYExecProtocol {
    /// The error stream carries a `metav1.Status` (exit codes reach kubectl).
    static let v4 = "v4.channel.k8s.io"
    /// Adds the resize stream; the error stream carries plain text.
    static let v3 = "v3.channel.k8s.io"
    /// error/stdin/stdout/stderr streams; plain-text errors.
    static let v2 = "v2.channel.k8s.io"
    static let supported = [v4, v3, v2]
    static let header = HTTPField.Name("X-Stream-Protocol-Version")!

    /// The client's offers, in its order (one per field, or comma-separated).
    static func offered(_ headers: HTTPFields) -> [String] {
        headers[values: header].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The client's first offer that is served, as kube's `httpstream.Handshake` picks.
    static func negotiate(_ offered: [String]) -> String? {
        offered.first { supported.contains($0) }
    }
}

/// An authorized `pods/exec` SPDY upgrade: what to run, in which pod, over which protocol.
struct SPDYExecTarget: Sendable {
    let pod: JSONValue
    let request: ExecRequest
    let environment: ExecEnvironment
    /// The negotiated `X-Stream-Protocol-Version`.
    let protocolVersion: String
}

/// One `kubectl exec` over SPDY/3.1, served as the kubelet serves it: the client opens an
/// `error` stream and one stream per attached std stream (plus `resize` with a terminal), each
/// answered with SYN_REPLY; once they are all there the command starts (see `ExecSession.launch`),
/// stdin DATA is fed to it, its output goes out as DATA on the client's stdout/stderr streams,
/// and when it exits those streams are finished and the status is written on the error stream
/// (a `metav1.Status` with v4, the message text otherwise). moby/spdystream ignores flow control,
/// so neither WINDOW_UPDATE nor SETTINGS is sent; PINGs are echoed.
struct SPDYExecSession: Sendable {
    let target: SPDYExecTarget
    let logger: Logger

    private enum Finished: Sendable { case writer, reader, timeout }

    /// Serves the upgraded connection until the exec ends and the client has gone (or a few
    /// seconds after the exec ended).
    func run(_ channel: NIOAsyncChannel<SPDYFrame, SPDYFrame>) async {
        do {
            try await channel.executeThenClose { inbound, outbound in
                let (frames, sink) = AsyncStream<SPDYFrame>.makeStream()
                let (ready, readySink) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
                let streams = SPDYExecStreams(request: target.request)
                await withTaskGroup(of: Finished.self) { group in
                    group.addTask {
                        do {
                            for await frame in frames { try await outbound.write(frame) }
                        } catch {
                            streams.clientGone() // the connection broke: nobody reads the output any more
                        }
                        return .writer
                    }
                    group.addTask {
                        await self.read(inbound, streams: streams, sink: sink, ready: readySink)
                        return .reader
                    }
                    await self.execute(streams: streams, sink: sink, ready: ready)
                    sink.finish()
                    // The client closes the connection once it has read the status.
                    group.addTask {
                        try? await Task.sleep(for: .seconds(5))
                        return .timeout
                    }
                    var writerDone = false, readerDone = false
                    while let done = await group.next() {
                        switch done {
                        case .writer: writerDone = true
                        case .reader: readerDone = true
                        case .timeout: writerDone = true; readerDone = true
                        }
                        if writerDone && readerDone { break }
                    }
                    group.cancelAll()
                }
            }
        } catch {
            logger.debug("SPDY exec connection ended", metadata: ["error": "\(error)"])
        }
    }

    /// Handles the client's frames until it closes the connection.
    private func read(_ inbound: NIOAsyncChannelInboundStream<SPDYFrame>, streams: SPDYExecStreams,
                      sink: AsyncStream<SPDYFrame>.Continuation, ready: AsyncStream<Void>.Continuation) async {
        do {
            for try await frame in inbound {
                switch frame {
                case .synStream(let id, _, _, let flags, let headers):
                    switch streams.open(id: id, type: headers["streamtype"] ?? "") {
                    case .rejected:
                        sink.yield(.rstStream(streamID: id, status: SPDYFrame.RstStatus.protocolError))
                    case .accepted(let allThere):
                        sink.yield(.synReply(streamID: id, fin: false, headers: SPDYHeaders()))
                        if flags & SPDYFrame.flagFin != 0 { streams.remoteFinished(id) }
                        if allThere {
                            ready.yield(())
                            ready.finish()
                        }
                    }
                case .data(let id, let fin, let payload):
                    streams.received(id, bytes: Array(buffer: payload), fin: fin)
                case .rstStream(let id, _):
                    streams.remoteFinished(id)
                case .ping(let id):
                    sink.yield(.ping(id: id))
                case .goAway, .settings, .windowUpdate, .headers, .synReply, .unknown:
                    break
                }
            }
        } catch {
            logger.debug("SPDY exec read ended", metadata: ["error": "\(error)"])
        }
        ready.finish()
        streams.clientGone()
    }

    /// Waits for the streams, runs the command and relays its output, then finishes the
    /// streams with the status.
    private func execute(streams: SPDYExecStreams, sink: AsyncStream<SPDYFrame>.Continuation,
                         ready: AsyncStream<Void>) async {
        var waiting = ready.makeAsyncIterator()
        guard await waiting.next() != nil else { return } // the client went before opening its streams
        if target.request.tty && target.protocolVersion != SPDYExecProtocol.v2 {
            // kubectl sends its terminal's size right after opening the streams; a process that
            // sizes itself at start should see it, so wait for it a little.
            for _ in 0..<50 where !streams.hasInitialSize {
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        let ids = streams.ids
        let session = ExecSession(request: target.request, pod: target.pod, environment: target.environment,
                                  protocolName: ExecSession.v4, logger: logger)
        let process: ExecProcess
        switch session.launch() {
        case .failed(let status):
            finish(ids: ids, status: status, sink: sink)
            return
        case .started(let started):
            process = started
        }
        logger.debug("exec (SPDY) started", metadata: [
            "pod": .string(target.pod["metadata"]?["name"]?.string ?? ""),
            "command": .string(target.request.command.joined(separator: " ")),
            "protocol": .string(target.protocolVersion), "pid": .stringConvertible(process.pid)])
        streams.attach(process)

        let output = Task {
            for await chunk in process.output {
                let (id, bytes): (UInt32?, [UInt8])
                switch chunk {
                case .stdout(let b): (id, bytes) = (ids["stdout"], b)
                case .stderr(let b): (id, bytes) = (ids["stderr"], b)
                }
                guard let id else { continue }
                var offset = 0
                while offset < bytes.count {
                    let end = min(offset + SPDYFrame.maxDataChunk, bytes.count)
                    sink.yield(.data(streamID: id, fin: false, payload: ByteBuffer(bytes: bytes[offset..<end])))
                    offset = end
                }
            }
        }
        let code = await process.finish(forwarding: output)
        logger.debug("exec (SPDY) finished", metadata: ["exitCode": .stringConvertible(code)])
        finish(ids: ids, status: code == 0 ? ExecStatus.success : ExecStatus.exited(code), sink: sink)
    }

    /// Ends the output streams, then writes the status on the error stream and ends it (v4: the
    /// Status JSON; v2/v3: the failure message, nothing on success).
    private func finish(ids: [String: UInt32], status: JSONValue, sink: AsyncStream<SPDYFrame>.Continuation) {
        for type in ["stdout", "stderr", "stdin", "resize"] {
            if let id = ids[type] { sink.yield(.data(streamID: id, fin: true, payload: ByteBuffer())) }
        }
        guard let errorID = ids["error"] else { return }
        let payload: [UInt8]
        if target.protocolVersion == SPDYExecProtocol.v4 {
            payload = (try? Array(status.encoded())) ?? []
        } else if status["status"]?.string == "Success" {
            payload = []
        } else {
            payload = Array((status["message"]?.string ?? "error executing command").utf8)
        }
        sink.yield(.data(streamID: errorID, fin: true, payload: ByteBuffer(bytes: payload)))
    }
}

/// The client's streams by type, and the process they feed, shared by the reading side and the
/// exec side of a session.
final class SPDYExecStreams: Sendable {
    enum Opened { case accepted(allThere: Bool), rejected }

    private struct State: Sendable {
        var ids: [String: UInt32] = [:]
        var process: ExecProcess?
        var pendingStdin: [[UInt8]] = []
        var stdinFinished = false
        var resizeBuffer: [UInt8] = []
        /// The last size received before the process started.
        var initialSize: (width: Int, height: Int)?
        var gone = false
        var started = false
    }

    private let request: ExecRequest
    private let state = LockedValue(State())

    init(request: ExecRequest) {
        self.request = request
    }

    /// Whether a terminal size arrived before the process started.
    var hasInitialSize: Bool { state.withLock { $0.initialSize != nil } }

    /// Stream ids by `streamtype`.
    var ids: [String: UInt32] { state.withLock { $0.ids } }

    /// A SYN_STREAM: accepted when its type is known and new; `allThere` once the error stream
    /// and every std stream the request attaches are open (resize may come later).
    func open(id: UInt32, type: String) -> Opened {
        let request = self.request
        return state.withLock { s -> Opened in
            guard ["error", "stdin", "stdout", "stderr", "resize"].contains(type), s.ids[type] == nil,
                  !s.ids.values.contains(id) else { return .rejected }
            s.ids[type] = id
            guard !s.started, s.ids["error"] != nil,
                  !request.stdin || s.ids["stdin"] != nil,
                  !request.stdout || s.ids["stdout"] != nil,
                  !request.stderr || s.ids["stderr"] != nil else { return .accepted(allThere: false) }
            s.started = true
            return .accepted(allThere: true)
        }
    }

    /// DATA from the client: stdin bytes (held until the process starts), resize messages.
    func received(_ id: UInt32, bytes: [UInt8], fin: Bool) {
        state.withLock { s in
            if id == s.ids["stdin"] {
                if let process = s.process { process.writeStdin(bytes) } else if !bytes.isEmpty { s.pendingStdin.append(bytes) }
                if fin {
                    s.stdinFinished = true
                    s.process?.closeStdin()
                }
            } else if id == s.ids["resize"] {
                // A JSON object per message, newline-terminated (Go's json.Encoder).
                s.resizeBuffer += bytes
                while let newline = s.resizeBuffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = Array(s.resizeBuffer[..<newline])
                    s.resizeBuffer.removeSubrange(...newline)
                    if let size = try? JSONValue(parsing: Data(line)),
                       case .integer(let width)? = size["Width"], case .integer(let height)? = size["Height"] {
                        if let process = s.process {
                            process.resize(width: width, height: height)
                        } else {
                            s.initialSize = (width, height)
                        }
                    }
                }
            }
        }
    }

    /// The client finished (FIN) or reset one of its streams: for stdin, the process reads EOF.
    func remoteFinished(_ id: UInt32) {
        state.withLock { s in
            guard id == s.ids["stdin"] else { return }
            s.stdinFinished = true
            s.process?.closeStdin()
        }
    }

    /// The process started: feeds it what stdin already brought.
    func attach(_ process: ExecProcess) {
        state.withLock { s in
            s.process = process
            if let size = s.initialSize { process.resize(width: size.width, height: size.height) }
            for chunk in s.pendingStdin { process.writeStdin(chunk) }
            s.pendingStdin = []
            if s.stdinFinished { process.closeStdin() }
            if s.gone { process.terminate() }
        }
    }

    /// The connection is gone: a process still running is ended, as the kubelet does.
    func clientGone() {
        state.withLock { s in
            s.gone = true
            if let process = s.process, process.exitCode == nil {
                process.closeStdin()
                process.terminate()
            }
        }
    }
}
