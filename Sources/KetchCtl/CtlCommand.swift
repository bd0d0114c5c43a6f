import EtcdClient
import Foundation
import GRPCCore

/// `ketch ctl` (and `ketch` run as `etcdctl`): an etcdctl 3.5-compatible client for any etcd v3 endpoint.
///
/// Its command line is parsed the way etcdctl's (cobra) parses it, so flags may come before or
/// after the command and take Go's forms; the executable hands the arguments straight to
/// ``execute(_:environment:localStore:)``.
public enum CtlCommand {
    /// etcdctl 3.5's `--help`, listing the commands ketch ctl serves (``CtlHelp``).
    public static var usage: String { CtlHelp.text(for: CtlHelp.root) }

    /// Runs an etcdctl command line with `localStore` serving the commands that work on local
    /// files (snapshot status and restore, offline defrag); returns the exit code.
    public static func execute(_ args: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
                               localStore: (any CtlLocalStore)?) async -> Int32 {
        await CtlLocal.$store.withValue(localStore) { await execute(args, environment: environment) }
    }

    /// Runs an etcdctl command line; returns the exit code.
    static func execute(_ args: [String], environment: [String: String] = ProcessInfo.processInfo.environment) async -> Int32 {
        if let api = environment["ETCDCTL_API"], !api.isEmpty, api != "3" {
            if api == "2" {
                return await CtlV2.execute(args, environment: environment)
            } else {
                CtlIO.err("unsupported API version: \(api)\n")
            }
            return CtlExit.error
        }
        do {
            let parsed = try CtlArgumentParser.parse(args)
            // cobra rejects bad global flag values (`--dial-timeout=x`) before it gets to help.
            _ = try CtlGlobals(parsed, environment: [:])
            if let code = try CtlHelp.handle(parsed) { return code }
            let globals = try CtlGlobals(parsed, environment: environment)
            try await dispatch(parsed, globals)
            return CtlExit.success
        } catch let failure as CtlFailure {
            if !failure.silent { CtlIO.err("Error: \(failure.message)\n") }
            return failure.code
        } catch {
            CtlIO.err("Error: \(error)\n")
            return CtlExit.error
        }
    }

    static let unimplemented: Set<String> = [
        "txn", "compaction", "lease", "alarm", "defrag", "snapshot", "move-leader", "migrate",
        "auth", "user", "role", "check", "downgrade",
    ]

    /// What a command runs: its parsed arguments and the global options.
    typealias Handler = @Sendable (CtlParsedArguments, CtlGlobals) async throws -> Void

    /// The commands of each file, merged: every group of commands registers itself in its own
    /// file (`CtlTxn.commands`, `CtlLease.commands`, …), keyed by the command path.
    static var registered: [String: Handler] {
        var all: [String: Handler] = [:]
        for table in [CtlTxn.commands, CtlLease.commands, CtlMaintenance.commands, CtlSnapshot.commands, CtlAuth.commands,
                      CtlConcurrency.commands, CtlDatascale.commands] {
            all.merge(table) { first, _ in first }
        }
        return all
    }

    private static func dispatch(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        if let handler = registered[p.path.joined(separator: " ")] {
            try await handler(p, g)
            return
        }
        switch p.path.joined(separator: " ") {
        case "get": try await CtlKV.get(p, g)
        case "put": try await CtlKV.put(p, g, stdin: { FileHandle.standardInput.readDataToEndOfFile() })
        case "del": try await CtlKV.del(p, g)
        case "watch": try await CtlWatch.watch(p, g)
        case "endpoint health": try await CtlCluster.endpointHealth(p, g)
        case "endpoint status": try await CtlCluster.endpointStatus(p, g)
        case "member list": try await CtlCluster.memberList(p, g)
        case "version":
            CtlIO.out("etcdctl version: \(CtlCluster.etcdctlVersion)\nAPI version: \(CtlCluster.apiVersion)\n")
        default:
            let name = p.path[0]
            if unimplemented.contains(name) || p.path.count > 1 && groups.contains(name) {
                throw CtlFailure(CtlExit.error, "ketch ctl does not implement \"\(p.path.joined(separator: " "))\" yet")
            }
            throw CtlFailure(CtlExit.error, "unknown command \"\(name)\" for \"etcdctl\"\nRun 'etcdctl --help' for usage.")
        }
    }

    private static var groups: Set<String> { CtlArgumentParser.groups }

    /// An operation's error as etcdctl reports it: etcd's message, or `context deadline exceeded`
    /// when no endpoint answered in time. Server errors are preceded, as in etcdctl, by the Go
    /// client's retry warning on stderr.
    static func failure(_ error: any Error, endpoints: [String]) -> CtlFailure {
        switch error {
        case let f as CtlFailure: return f
        case let e as EtcdClientError:
            switch e {
            case .unavailable, .deadlineExceeded:
                return CtlFailure(CtlExit.error, "context deadline exceeded")
            case .server(let code, let message):
                retryWarning(code: code, message: message, endpoints: endpoints)
                return CtlFailure(CtlExit.error, message)
            default:
                return CtlFailure(CtlExit.error, e.description)
            }
        default:
            return CtlFailure(CtlExit.error, "\(error)")
        }
    }

    /// etcd's Go client logs a failed unary call like this before etcdctl prints the error.
    static func retryWarning(code: RPCError.Code, message: String, endpoints: [String]) {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let target = endpoints.first.map { ep -> String in
            ep.range(of: "://").map { String(ep[$0.upperBound...]) } ?? ep
        } ?? ""
        let line = GoJSON.object([
            ("level", .string("warn")), ("ts", .string(formatter.string(from: Date()))), ("logger", .string("etcd-client")),
            ("caller", .string("v3/retry_interceptor.go:62")), ("msg", .string("retrying of unary invoker failed")),
            ("target", .string("etcd-endpoints://0xc000100000/\(target)")), ("attempt", .int(0)),
            ("error", .string("rpc error: code = \(goCodeName(code)) desc = \(message)")),
        ])
        CtlIO.err(line.text + "\n")
    }

    static func goCodeName(_ code: RPCError.Code) -> String {
        switch code {
        case .cancelled: "Canceled"
        case .unknown: "Unknown"
        case .invalidArgument: "InvalidArgument"
        case .deadlineExceeded: "DeadlineExceeded"
        case .notFound: "NotFound"
        case .alreadyExists: "AlreadyExists"
        case .permissionDenied: "PermissionDenied"
        case .resourceExhausted: "ResourceExhausted"
        case .failedPrecondition: "FailedPrecondition"
        case .aborted: "Aborted"
        case .outOfRange: "OutOfRange"
        case .unimplemented: "Unimplemented"
        case .internalError: "Internal"
        case .unavailable: "Unavailable"
        case .dataLoss: "DataLoss"
        case .unauthenticated: "Unauthenticated"
        default: "Unknown"
        }
    }
}

extension CtlParsedArguments {
    /// An int64 flag, with pflag's error text.
    func int64(_ name: String) throws -> Int64 {
        guard let text = value(name) else { return 0 }
        guard let n = Int64(text) else {
            throw CtlFailure(CtlExit.error, "invalid argument \"\(text)\" for \"--\(name)\" flag: strconv.ParseInt: parsing \"\(text)\": invalid syntax")
        }
        return n
    }
}
