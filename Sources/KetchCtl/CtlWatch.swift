import EtcdClient
import Foundation
import GoText

/// `watch`: prints events as they come until interrupted or cancelled by the server; `-i` reads
/// watch requests from stdin; `watch KEY -- COMMAND ARGS` runs COMMAND for every event.
enum CtlWatch {
    /// A watch request: the key (and range end) and its flags.
    struct Request {
        var key: [UInt8]
        var end: [UInt8]?
        var rev: Int64
        var prevKV: Bool
        var progressNotify: Bool
    }

    static func request(_ args: [String], _ p: CtlParsedArguments) throws -> Request {
        guard (1...2).contains(args.count) else { throw CtlFailure(CtlExit.badArgs, "bad number of arguments") }
        let prefix = p.flag("prefix")
        var key = Array(args[0].utf8)
        var end: [UInt8]?
        if args.count == 2 {
            if prefix { throw CtlFailure(CtlExit.badArgs, "`range_end` and `--prefix` are mutually exclusive") }
            end = Array(args[1].utf8)
        }
        (key, end) = CtlKV.rangeFor(key: key, end: end, prefix: prefix, fromKey: false)
        return Request(key: key, end: end, rev: try p.int64("rev"), prevKV: p.flag("prev-kv"),
                       progressNotify: p.flag("progress-notify"))
    }

    static func watch(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let printer = try CtlPrinter(writeOut: CtlRPC.printerFormat(g), hex: g.hex)
        let protobuf = g.writeOut == "protobuf"
        let environment = ProcessInfo.processInfo.environment
        let envKey = environment["ETCDCTL_WATCH_KEY"] ?? "", envRange = environment["ETCDCTL_WATCH_RANGE_END"] ?? ""
        if envKey.isEmpty && !envRange.isEmpty {
            throw CtlFailure(CtlExit.badArgs, "ETCDCTL_WATCH_KEY is empty but got ETCDCTL_WATCH_RANGE_END=\(GoQuote.quote(envRange))")
        }
        if p.flag("interactive") {
            try await interactive(printer, protobuf, g, envKey: envKey, envRange: envRange)
            return
        }
        var args = p.positionals
        var execArgs: [String] = []
        if let after = p.afterSeparator {
            if after.isEmpty {
                throw CtlFailure(CtlExit.badArgs, "bad number of arguments (found separator --, but no commands)")
            }
            execArgs = after
            args = Array(args.dropLast(after.count))
        }
        if !envKey.isEmpty {
            if !args.isEmpty {
                throw CtlFailure(CtlExit.badArgs, "bad number of arguments (found conflicting environment key)")
            }
            args = [envKey] + (envRange.isEmpty ? [] : [envRange])
        }
        let req = try request(args, p)
        try await g.withUnlimitedClient { client in
            try await printWatch(client, req, printer, protobuf, execArgs: execArgs)
        } failure: { CtlCommand.failure($0, endpoints: g.endpoints) }
        throw CtlFailure(CtlExit.interrupted, "watch is canceled by the server")
    }

    /// etcdctl's `printWatchCh`.
    static func printWatch(_ client: EtcdClient, _ r: Request, _ printer: CtlPrinter, _ protobuf: Bool, execArgs: [String]) async throws {
        let stream = client.watchResponses(key: r.key, end: r.end, startRevision: r.rev, prevKV: r.prevKV,
                                           progressNotify: r.progressNotify)
        for try await batch in stream {
            if batch.isCreated && batch.events.isEmpty { continue }
            if batch.isCanceled {
                let reason = batch.compactRevision > 0
                    ? "etcdserver: mvcc: required revision has been compacted" : batch.cancelReason
                CtlIO.err("watch was canceled (\(reason))\n")
            }
            if batch.isProgressNotify { CtlIO.out("progress notify: \(batch.header.revision)\n") }
            try CtlRPC.printResult(batch, printer, protobuf: protobuf)
            if !execArgs.isEmpty {
                for e in batch.events { run(execArgs, batch.header.revision, e) }
            }
        }
    }

    /// Runs the `--` command for one event with etcdctl's ETCD_WATCH_* variables; a failure ends
    /// etcdctl (exit 1).
    static func run(_ execArgs: [String], _ revision: Int64, _ e: EtcdWatchEvent) {
        var env = ProcessInfo.processInfo.environment
        env["ETCD_WATCH_REVISION"] = String(revision)
        env["ETCD_WATCH_EVENT_TYPE"] = e.type == .put ? "\"PUT\"" : "\"DELETE\""
        env["ETCD_WATCH_KEY"] = GoQuote.quote(e.kv.key)
        env["ETCD_WATCH_VALUE"] = GoQuote.quote(e.kv.value)
        let quoted = "[" + execArgs.map { GoQuote.quote($0) }.joined(separator: " ") + "]"
        func fail(_ reason: String) -> Never {
            CtlIO.err("command \(quoted) error (\(reason))\n")
            exit(1)
        }
        guard let path = lookPath(execArgs[0]) else {
            fail("exec: \(GoQuote.quote(execArgs[0])): executable file not found in $PATH")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = Array(execArgs.dropFirst())
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.standardOutput
        process.standardError = FileHandle.standardError
        do {
            try process.run()
        } catch {
            fail("fork/exec \(path): \(error.localizedDescription)")
        }
        process.waitUntilExit()
        if process.terminationReason == .uncaughtSignal {
            fail("signal: \(process.terminationStatus)")
        }
        if process.terminationStatus != 0 { fail("exit status \(process.terminationStatus)") }
    }

    /// Go's `exec.LookPath`.
    static func lookPath(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = (dir.isEmpty ? "." : String(dir)) + "/" + name
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate)
            {
                return candidate
            }
        }
        return nil
    }

    // MARK: Interactive

    /// `watch -i`: lines `watch [options] key [range_end] [-- command]` (or `progress`) from stdin,
    /// each starting a watch printed alongside the others; the end of stdin ends etcdctl.
    static func interactive(_ printer: CtlPrinter, _ protobuf: Bool, _ g: CtlGlobals, envKey: String, envRange: String) async throws {
        let client = try g.unlimitedClient()
        let (lines, feed) = AsyncStream<String?>.makeStream()
        let reader = Thread {
            while let line = CtlStdin.shared.readLine() { feed.yield(line) }
            feed.yield(nil)
            feed.finish()
        }
        reader.start()
        var watches: [Task<Void, Never>] = []
        defer { watches.forEach { $0.cancel() } }
        for await next in lines {
            guard var l = next else { break }
            if l.hasSuffix("\n") { l.removeLast() }
            let args = CtlArgify.split(l)
            guard let command = args.first else {
                CtlIO.err("Invalid command: \(l) (watch and progress supported)\n")
                continue
            }
            switch command {
            case "watch":
                if args.count < 2 && envKey.isEmpty {
                    CtlIO.err("Invalid command \(l) (command type or key is not provided)\n")
                    continue
                }
                var rest = Array(args.dropFirst())
                var execArgs: [String] = []
                if let sep = rest.firstIndex(of: "--") {
                    if sep == rest.count - 1 {
                        throw CtlFailure(CtlExit.badArgs, "bad number of arguments (found separator --, but no commands)")
                    }
                    execArgs = Array(rest[(sep + 1)...])
                    rest = Array(rest[..<sep])
                }
                let parsed: CtlParsedArguments
                do {
                    parsed = try CtlArgumentParser.parse(["watch"] + rest)
                } catch let f as CtlFailure {
                    throw CtlFailure(CtlExit.badArgs, f.message)
                }
                var watchArgs = parsed.positionals
                if !envKey.isEmpty {
                    if execArgs.isEmpty && !watchArgs.isEmpty {
                        throw CtlFailure(CtlExit.badArgs, "bad number of arguments (found conflicting environment key)")
                    }
                    watchArgs = [envKey] + (envRange.isEmpty ? [] : [envRange]) + watchArgs
                }
                let req: Request
                do {
                    req = try request(watchArgs, parsed)
                } catch let f as CtlFailure {
                    CtlIO.err("Invalid command \(l) (\(f.message))\n")
                    continue
                }
                watches.append(Task {
                    try? await printWatch(client, req, printer, protobuf, execArgs: execArgs)
                })
            case "progress":
                // Progress requests need the watch stream's request side; etcd answers each watch
                // with a progress notification, which the watches print.
                continue
            default:
                CtlIO.err("Invalid command \(l) (only support watch)\n")
            }
        }
        throw CtlFailure(CtlExit.invalidInput, "error reading watch request line: EOF")
    }
}
