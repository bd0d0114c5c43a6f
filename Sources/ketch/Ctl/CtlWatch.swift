import EtcdClient
import Foundation

/// `watch`: prints events as they come until interrupted or cancelled by the server.
enum CtlWatch {
    static func watch(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let printer = try CtlPrinter(writeOut: g.writeOut, hex: g.hex)
        if p.flag("interactive") { throw CtlFailure(CtlExit.badFeature, "ketch ctl does not implement interactive watch yet") }
        var args = p.positionals
        // etcdctl reads the key and range end from the environment too.
        let environment = ProcessInfo.processInfo.environment
        if args.isEmpty, let key = environment["ETCDCTL_WATCH_KEY"] {
            args = [key] + (environment["ETCDCTL_WATCH_RANGE_END"].map { [$0] } ?? [])
        }
        guard (1...2).contains(args.count) else { throw CtlFailure(CtlExit.badArgs, "bad number of arguments") }
        let prefix = p.flag("prefix")
        var key = Array(args[0].utf8)
        var end: [UInt8]?
        if args.count == 2 {
            if prefix { throw CtlFailure(CtlExit.badArgs, "`range_end` and `--prefix` are mutually exclusive") }
            end = Array(args[1].utf8)
        }
        (key, end) = CtlKV.rangeFor(key: key, end: end, prefix: prefix, fromKey: false)
        let rev = try p.int64("rev")
        var configuration = g.clientConfiguration()
        configuration.requestTimeout = nil
        let client: EtcdClient
        do {
            client = try EtcdClient.lazy(configuration)
        } catch {
            throw CtlFailure(CtlExit.badArgs, "\(error)")
        }
        let stream = client.watchResponses(key: key, end: end, startRevision: rev, prevKV: p.flag("prev-kv"),
                                           progressNotify: p.flag("progress-notify"))
        do {
            for try await batch in stream {
                if batch.isCreated && batch.events.isEmpty { continue }
                if batch.isCanceled {
                    let reason = batch.compactRevision > 0
                        ? "etcdserver: mvcc: required revision has been compacted" : batch.cancelReason
                    CtlIO.err("watch was canceled (\(reason))\n")
                }
                if batch.isProgressNotify { CtlIO.out("progress notify: \(batch.header.revision)\n") }
                try printer.watch(batch)
            }
        } catch let failure as CtlFailure {
            await client.close()
            throw failure
        } catch {
            await client.close()
            throw CtlCommand.failure(error, endpoints: g.endpoints)
        }
        await client.close()
        throw CtlFailure(CtlExit.interrupted, "watch is canceled by the server")
    }
}
