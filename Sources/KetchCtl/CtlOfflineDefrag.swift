import Foundation
import GoText

/// `defrag --data-dir DIR`: defragments a Ketch data directory that no server has open, with the
/// code `ketch etcd` runs for a Defragment call (the SQLite engine's `defragment`), logging as
/// etcd's backend does (zap's console format on stderr). A data directory in use is refused: its
/// server holds the directory's lock (etcdctl would wait for etcd to release bbolt's instead).
enum CtlOfflineDefrag {
    static func run(dataDirectory: String) throws {
        let member = (dataDirectory as NSString).appendingPathComponent("member")
        let database = (member as NSString).appendingPathComponent("ketch.db")
        let fm = FileManager.default
        if !fm.fileExists(atPath: database) {
            if fm.fileExists(atPath: (member as NSString).appendingPathComponent("snap/db")) {
                throw CtlFailure(CtlExit.error, "\(dataDirectory) holds an etcd (bbolt) member, not a Ketch store: "
                                 + "defragment it with etcdutl defrag --data-dir \(dataDirectory)")
            }
            // etcd's backend panics on a database it cannot open (and etcdctl exits with Go's 2).
            log("panic", "backend/backend.go:182", "failed to open database", [
                ("path", .string(database)), ("error", .string("open \(database): no such file or directory")),
            ])
            CtlIO.err("panic: failed to open database\n")
            throw CtlFailure.silentExit(2)
        }
        let storage: any CtlDefragmentable
        do {
            storage = try CtlLocal.required("defrag --data-dir").openForDefragmentation(dataDirectory: dataDirectory)
        } catch let error as CtlLocalStoreError {
            throw CtlFailure(CtlExit.error, "cannot defragment \(dataDirectory): \(error); "
                             + "to defragment a running member, omit --data-dir")
        }
        defer { storage.close() }
        do {
            let before = try storage.size()
            log("info", "backend/backend.go:481", "defragmenting", [
                ("path", .string(database)),
                ("current-db-size-bytes", .int(before.total)), ("current-db-size", .string(GoFormat.humanBytes(UInt64(max(0, before.total))))),
                ("current-db-size-in-use-bytes", .int(before.inUse)),
                ("current-db-size-in-use", .string(GoFormat.humanBytes(UInt64(max(0, before.inUse))))),
            ])
            let start = ContinuousClock.now
            try storage.defragment()
            let took = CtlMaintenance.seconds(ContinuousClock.now - start)
            let after = try storage.size()
            log("info", "backend/backend.go:539", "finished defragmenting directory", [
                ("path", .string(database)),
                ("current-db-size-bytes-diff", .int(after.total - before.total)),
                ("current-db-size-bytes", .int(after.total)), ("current-db-size", .string(GoFormat.humanBytes(UInt64(max(0, after.total))))),
                ("current-db-size-in-use-bytes-diff", .int(after.inUse - before.inUse)),
                ("current-db-size-in-use-bytes", .int(after.inUse)),
                ("current-db-size-in-use", .string(GoFormat.humanBytes(UInt64(max(0, after.inUse))))),
                ("took", .raw(String(took))),
            ])
        } catch {
            throw CtlFailure(CtlExit.error, "\(error)")
        }
    }

    enum Field {
        case string(String), int(Int64), raw(String)

        var text: String {
            switch self {
            case .string(let s): return GoQuote.quote(s)
            case .int(let n): return String(n)
            case .raw(let r): return r
            }
        }
    }

    /// One line of zap's console encoder: time, level, caller, message, then the fields as JSON.
    static func log(_ level: String, _ caller: String, _ message: String, _ fields: [(String, Field)]) {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let json = "{" + fields.map { "\(GoQuote.quote($0.0)): \($0.1.text)" }.joined(separator: ", ") + "}"
        CtlIO.err("\(formatter.string(from: Date()))\t\(level)\t\(caller)\t\(message)\t\(json)\n")
    }
}
