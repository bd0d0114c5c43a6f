import EtcdClient
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// etcdctl's snapshot save/status/restore.
///
/// `save` works against any etcd v3 endpoint (the file is whatever the server streams: bbolt
/// from etcd, SQLite from ketch etcd). `status` and `restore` work on Ketch snapshots only
/// (docs/snapshot-format.md); an etcd (bbolt) snapshot is refused with a clear error, as etcd's
/// tools refuse Ketch's.
enum CtlSnapshot {
    /// The commands this file serves, by command path (e.g. "lease grant").
    static let commands: [String: CtlCommand.Handler] = [
        "snapshot save": { p, g in try await save(p, g) },
        "snapshot status": { p, g in try status(p, g) },
        "snapshot restore": { p, g in try restore(p, g) },
    ]

    // MARK: save

    /// `snapshot save FILE`: streams the member's backend into FILE.part, fsyncs, renames to FILE.
    /// Logs as etcdctl 3.5 does (zap JSON on stderr), then prints `Snapshot saved at FILE`.
    static func save(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        guard p.positionals.count == 1 else {
            throw CtlFailure(CtlExit.badArgs, "snapshot save expects one argument")
        }
        let path = p.positionals[0]
        guard g.endpoints.count == 1 else {
            throw CtlFailure(CtlExit.interrupted,
                             "snapshot must be requested to one selected node, not multiple \(GoFormat.list(g.endpoints))")
        }
        let endpoint = g.endpoints[0]
        let partPath = path + ".part"
        let fd = open(partPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw CtlFailure(CtlExit.interrupted, "could not open \(partPath) (open \(partPath): \(goErrno(errno)))")
        }
        let file = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var finished = false
        defer {
            if !finished {
                try? file.close()
                unlink(partPath)
            }
        }
        ZapLog.json("info", caller: "snapshot/v3_snapshot.go:68", "created temporary db file", [("path", partPath)])

        let started = ContinuousClock.now
        // etcdctl has no deadline for a snapshot unless --command-timeout is given explicitly.
        let timeout: Duration? = p.wasSet("command-timeout") ? g.commandTimeout : nil
        let opened = Mutex(false)
        let announce: @Sendable () -> Void = {
            let first = opened.withLock { o -> Bool in
                defer { o = true }
                return !o
            }
            guard first else { return }
            ZapLog.json("info", logger: "client", caller: "v3/maintenance.go:211", "opened snapshot stream; downloading")
            ZapLog.json("info", caller: "snapshot/v3_snapshot.go:76", "fetching snapshot", [("endpoint", endpoint)])
        }
        let size: Int64
        do {
            size = try await g.withClient { client in
                try await client.snapshot(timeout: timeout) { chunk in
                    announce()
                    try file.write(contentsOf: chunk.blob)
                }
            }
        } catch let failure as CtlFailure {
            throw CtlFailure(CtlExit.interrupted, failure.message)
        } catch {
            throw CtlFailure(CtlExit.interrupted, "\(error)")
        }
        announce()
        ZapLog.json("info", logger: "client", caller: "v3/maintenance.go:219", "completed snapshot read; closing")
        guard try CtlLocal.required("snapshot save").snapshotHasChecksum(size: size) else {
            throw CtlFailure(CtlExit.interrupted, "sha256 checksum not found [bytes: \(size)]")
        }
        do {
            try file.synchronize()
            try file.close()
        } catch {
            throw CtlFailure(CtlExit.interrupted, "\(error.localizedDescription)")
        }
        ZapLog.json("info", caller: "snapshot/v3_snapshot.go:91", "fetched snapshot", [
            ("endpoint", endpoint), ("size", GoFormat.humanBytes(UInt64(size))),
            ("took", humanTime(since: started)),
        ])
        guard rename(partPath, path) == 0 else {
            throw CtlFailure(CtlExit.interrupted,
                             "could not rename \(partPath) to \(path) (rename \(partPath) \(path): \(goErrno(errno)))")
        }
        finished = true
        ZapLog.json("info", caller: "snapshot/v3_snapshot.go:100", "saved", [("path", path)])
        CtlIO.out("Snapshot saved at \(path)\n")
    }

    /// go-humanize's `Time(then)` for a moment in the past.
    static func humanTime(since start: ContinuousClock.Instant) -> String {
        let (seconds, _) = (ContinuousClock.now - start).components
        switch seconds {
        case ..<1: return "now"
        case ..<2: return "1 second ago"
        case ..<60: return "\(seconds) seconds ago"
        case ..<120: return "1 minute ago"
        case ..<3600: return "\(seconds / 60) minutes ago"
        case ..<7200: return "1 hour ago"
        default: return "\(seconds / 3600) hours ago"
        }
    }

    // MARK: status

    /// `snapshot status FILE`: hash, revision, total keys, total size (docs/snapshot-format.md, "Status").
    static func status(_ p: CtlParsedArguments, _ g: CtlGlobals) throws {
        CtlIO.err("Deprecated: Use `etcdutl snapshot status` instead.\n\n")
        guard p.positionals.count == 1 else {
            throw CtlFailure(CtlExit.badArgs, "snapshot status requires exactly one argument")
        }
        let printer = try CtlPrinter(writeOut: g.writeOut, hex: g.hex)
        let s: CtlSnapshotStatus
        do {
            s = try CtlLocal.required("snapshot status").snapshotStatus(path: p.positionals[0])
        } catch let error as CtlLocalStoreError {
            throw CtlFailure(CtlExit.error, error.description)
        }
        let hash = String(s.hash, radix: 16)
        let size = GoFormat.humanBytes(UInt64(max(0, s.totalSize)))
        switch printer.format {
        case .simple:
            CtlIO.out("\(hash), \(s.revision), \(s.totalKeys), \(size)\n")
        case .table:
            CtlIO.out(GoTable.render(header: ["hash", "revision", "total keys", "total size"],
                                     rows: [[hash, String(s.revision), String(s.totalKeys), size]]))
        case .json:
            CtlIO.out(GoJSON.object([
                ("hash", .uint(UInt64(s.hash))), ("revision", .int(s.revision)), ("totalKey", .int(s.totalKeys)),
                ("totalSize", .int(s.totalSize)),
            ]).text + "\n")
        case .fields:
            CtlIO.out("\"Hash\" : \(s.hash)\n\"Revision\" : \(s.revision)\n\"Keys\" : \(s.totalKeys)\n\"Size\" : \(s.totalSize)\n")
        }
    }

    // MARK: restore

    /// `snapshot restore FILE [--data-dir DIR] [--name --initial-cluster --initial-cluster-token
    /// --initial-advertise-peer-urls --skip-hash-check]`: a new data directory for `ketch etcd`
    /// holding the snapshot's keys, revisions and compaction state, identified by the flags.
    static func restore(_ p: CtlParsedArguments, _ g: CtlGlobals) throws {
        CtlIO.err("Deprecated: Use `etcdutl snapshot restore` instead.\n\n")
        guard p.positionals.count == 1 else {
            throw CtlFailure(CtlExit.badArgs, "snapshot restore requires exactly one argument")
        }
        let path = p.positionals[0]
        let name = p.value("name") ?? "default"
        let dataDir = p.value("data-dir").flatMap { $0.isEmpty ? nil : $0 } ?? name + ".etcd"
        let token = p.value("initial-cluster-token") ?? "etcd-cluster"
        let cluster = p.value("initial-cluster") ?? "default=http://localhost:2380"
        let advertised = split(p.value("initial-advertise-peer-urls") ?? "http://localhost:2380")

        var peers: [String: [String]] = [:]
        for entry in split(cluster) {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw CtlFailure(CtlExit.error, "missing \"=\" in \"\(entry)\" of --initial-cluster")
            }
            peers[parts[0], default: []].append(parts[1])
        }
        guard let mine = peers[name] else {
            throw CtlFailure(CtlExit.error, "couldn't find local name \"\(name)\" in the initial cluster configuration")
        }
        if Set(mine) != Set(advertised) {
            throw CtlFailure(CtlExit.error,
                             "--initial-cluster has \(name)=\(mine.sorted().joined(separator: ",")) but missing from "
                                 + "--initial-advertise-peer-urls=\(advertised.sorted().joined(separator: ","))")
        }
        if peers.count > 1 {
            throw CtlFailure(CtlExit.error,
                             "--initial-cluster names \(peers.count) members (\(peers.keys.sorted().joined(separator: ", "))); "
                                 + "Ketch runs one member per data store")
        }
        let local = try CtlLocal.required("snapshot restore")
        let identity = local.memberIDs(name: name, peerURLs: mine, clusterToken: token)
        let memberHex = String(identity.member, radix: 16)
        let clusterHex = String(identity.cluster, radix: 16)
        let database = (dataDir as NSString).appendingPathComponent("member/ketch.db")

        // As etcdutl: an existing non-empty data dir is refused before anything is logged or read.
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: dataDir, isDirectory: &isDirectory),
           !isDirectory.boolValue || !((try? FileManager.default.contentsOfDirectory(atPath: dataDir))?.isEmpty ?? false) {
            throw CtlFailure(CtlExit.error, local.dataDirectoryNotEmptyMessage(dataDir))
        }
        if let wal = p.value("wal-dir"), !wal.isEmpty {
            ZapLog.console("warn", caller: "snapshot/v3_snapshot.go:251",
                           "ignoring --wal-dir: a Ketch member keeps everything in its data dir's database",
                           [("wal-dir", .string(wal))])
        }
        ZapLog.console("info", caller: "snapshot/v3_snapshot.go:251", "restoring snapshot",
                       [("path", .string(path)), ("data-dir", .string(dataDir)), ("db", .string(database))])
        let status: CtlSnapshotStatus
        do {
            status = try local.restoreSnapshot(path: path, to: dataDir, skipHashCheck: p.flag("skip-hash-check"),
                                               memberID: identity.member, clusterID: identity.cluster)
        } catch let error as CtlLocalStoreError {
            throw CtlFailure(CtlExit.error, error.description)
        }
        ZapLog.console("info", caller: "membership/cluster.go:421", "added member", [
            ("cluster-id", .string(clusterHex)), ("local-member-id", .string("0")), ("added-peer-id", .string(memberHex)),
            ("added-peer-peer-urls", .array(mine.map { .string($0) })),
        ])
        ZapLog.console("info", caller: "snapshot/v3_snapshot.go:272", "restored snapshot", [
            ("path", .string(path)), ("data-dir", .string(dataDir)), ("db", .string(database)),
            ("revision", .int(status.revision)), ("compact-revision", .int(status.compactRevision)),
        ])
    }

    private static func split(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// An errno as Go's syscall package spells it (lower-case).
    static func goErrno(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}

/// Log lines as etcdctl's zap loggers write them on stderr.
enum ZapLog {
    /// `zap.NewProduction()`'s JSON: `{"level":"info","ts":<unix seconds>,"caller":…,"msg":…,…}`
    /// (what `snapshot save` uses).
    static func json(_ level: String, logger: String? = nil, caller: String, _ message: String, _ fields: [(String, String)] = []) {
        var text = "{\"level\":\"\(level)\",\"ts\":\(Date().timeIntervalSince1970)"
        if let logger { text += ",\"logger\":" + GoJSON.string(logger).text }
        text += ",\"caller\":" + GoJSON.string(caller).text + ",\"msg\":" + GoJSON.string(message).text
        for (k, v) in fields { text += "," + GoJSON.string(k).text + ":" + GoJSON.string(v).text }
        CtlIO.err(text + "}\n")
    }

    /// zap's console encoder (what `snapshot restore` uses):
    /// `2006-01-02T15:04:05Z<TAB>info<TAB>caller<TAB>message<TAB>{"key": "value", …}`.
    static func console(_ level: String, caller: String, _ message: String, _ fields: [(String, GoJSON)]) {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var text = "\(formatter.string(from: Date()))\t\(level)\t\(caller)\t\(message)"
        if !fields.isEmpty {
            text += "\t{" + fields.map { k, v in GoJSON.string(k).text + ": " + consoleValue(v) }.joined(separator: ", ") + "}"
        }
        CtlIO.err(text + "\n")
    }

    private static func consoleValue(_ v: GoJSON) -> String {
        if case .array(let items) = v { return "[" + items.map(consoleValue).joined(separator: ", ") + "]" }
        return v.text
    }
}
