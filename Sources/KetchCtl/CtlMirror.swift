import EtcdClient
import Foundation
import Synchronization

/// `make-mirror`, as etcdctl 3.5.1 runs it: copy every key under `--prefix` as of one revision to
/// the destination (one put each), then apply the source's changes after that revision as they
/// come (one transaction per source revision); every 30 s print how many keys were mirrored so
/// far. It runs until killed (no signal handling, as in etcdctl).
enum CtlMirror {
    /// clientv3/mirror's page size for the initial copy.
    static let batchLimit: Int64 = 1000

    static func makeMirror(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        guard p.positionals.count == 1 else {
            throw CtlFailure(CtlExit.badArgs, "make-mirror takes one destination argument")
        }
        let prefix = Array((p.value("prefix") ?? "").utf8)
        var destPrefix = Array((p.value("dest-prefix") ?? "").utf8)
        let noDestPrefix = p.flag("no-dest-prefix")

        // The destination: its own TLS and user flags; the global dial timeout.
        var user = p.value("dest-user").flatMap { $0.isEmpty ? nil : $0 }
        var password: String?
        if let u = user {
            if let pw = p.value("dest-password"), !pw.isEmpty {
                password = pw
            } else if let colon = u.firstIndex(of: ":") {
                user = String(u[..<colon])
                password = String(u[u.index(after: colon)...])
            } else {
                password = CtlAuth.ask("Destination Password: ")
            }
        }
        func nonEmpty(_ name: String) -> String? { p.value(name).flatMap { $0.isEmpty ? nil : $0 } }
        let destination = EtcdClientConfiguration(
            endpoints: [p.positionals[0]], caFile: nonEmpty("dest-cacert"), certFile: nonEmpty("dest-cert"),
            keyFile: nonEmpty("dest-key"), dialTimeout: g.dialTimeout, requestTimeout: nil,
            username: user, password: password)
        let dc: EtcdClient
        do {
            dc = try EtcdClient.lazy(destination)
        } catch {
            throw CtlFailure(CtlExit.badArgs, "\(error)")
        }
        let c = try g.unlimitedClient()

        let total = Atomic<Int64>(0)
        let reporter = Task {
            while true {
                try await Task.sleep(for: .seconds(30))
                CtlIO.out("\(total.load(ordering: .relaxed))\n")
            }
        }
        defer { reporter.cancel() }

        // SyncBase: the revision to copy at (etcd's mirror reads the key "foo" for it).
        let revision: Int64
        do {
            revision = try await waiting { try await c.range(key: Array("foo".utf8)) }.header.revision
        } catch {
            throw CtlCommand.failure(error, endpoints: g.endpoints)
        }
        if noDestPrefix && !destPrefix.isEmpty {
            throw CtlFailure(CtlExit.badArgs, "`--dest-prefix` and `--no-dest-prefix` cannot be set at the same time, choose one")
        }
        if !noDestPrefix && destPrefix.isEmpty { destPrefix = prefix }
        func modify(_ key: [UInt8]) -> [UInt8] { EtcdConcurrencyKeys.replacingFirst(prefix, with: destPrefix, in: key) }

        // The base copy, a page at a time.
        var key = prefix.isEmpty ? [0] : prefix
        let end = prefix.isEmpty ? EtcdKeys.fromKeyEnd : EtcdKeys.prefixEnd(of: prefix)
        while true {
            let page: EtcdRangeResult
            do {
                let from = key
                page = try await waiting { try await c.range(key: from, end: end, limit: batchLimit, revision: revision) }
            } catch {
                throw CtlCommand.failure(error, endpoints: g.endpoints)
            }
            for kv in page.kvs {
                do {
                    _ = try await waiting { try await dc.put(key: modify(kv.key), value: kv.value) }
                } catch {
                    throw CtlCommand.failure(error, endpoints: [p.positionals[0]])
                }
                total.add(1, ordering: .relaxed)
            }
            guard page.more, let last = page.kvs.last else { break }
            key = last.key + [0]
        }

        // SyncUpdates: the changes after that revision, one destination transaction per revision.
        let watchKey = prefix.isEmpty ? [0] : prefix
        let watchEnd = prefix.isEmpty ? [0] : EtcdKeys.prefixEnd(of: prefix)
        var next = revision + 1
        while true {
            do {
                for try await batch in c.watch(key: watchKey, end: watchEnd, startRevision: next) {
                    var ops: [EtcdOp] = []
                    var lastRevision: Int64 = 0
                    for event in batch.events {
                        let rev = event.kv.modRevision
                        if lastRevision != 0 && rev > lastRevision {
                            try await commit(dc, ops)
                            ops = []
                        }
                        lastRevision = rev
                        switch event.type {
                        case .put: ops.append(.put(key: modify(event.kv.key), value: event.kv.value))
                        case .delete: ops.append(.delete(key: modify(event.kv.key)))
                        }
                        total.add(1, ordering: .relaxed)
                    }
                    if !ops.isEmpty { try await commit(dc, ops) }
                    if let last = batch.events.last { next = last.kv.modRevision + 1 }
                }
            } catch let error as EtcdClientError where error.isUnavailable {
                try await Task.sleep(for: .milliseconds(250))
                continue
            } catch let failure as CtlFailure {
                throw failure
            } catch let error as EtcdClientError where error.isCompacted {
                throw CtlFailure(CtlExit.error, "etcdserver: mvcc: required revision has been compacted")
            } catch let error as EtcdClientError {
                if case .watchCanceled = error { break }
                throw CtlCommand.failure(error, endpoints: g.endpoints)
            }
            break
        }
        // The watch ended without an error: etcdctl's ExitWithError(ExitError, nil).
        throw CtlFailure(CtlExit.error, "<nil>")

        func commit(_ dc: EtcdClient, _ ops: [EtcdOp]) async throws {
            do {
                _ = try await waiting { try await dc.txn(compares: [], success: ops) }
            } catch {
                throw CtlCommand.failure(error, endpoints: [p.positionals[0]])
            }
        }
    }

    /// Retries while no endpoint answers: etcd's Go client waits for a connection (no deadline).
    static func waiting<R>(_ body: () async throws -> R) async throws -> R {
        while true {
            do {
                return try await body()
            } catch let error as EtcdClientError where error.isUnavailable {
                try await Task.sleep(for: .milliseconds(250))
            }
        }
    }
}
