import ArgumentParser
import EtcdClient
import Foundation
import GRPCCore

/// `ketch ctl` (and `ketch` run as `etcdctl`): an etcdctl 3.5-compatible client for any etcd v3 endpoint.
///
/// Its command line is parsed the way etcdctl's (cobra) parses it, not by ArgumentParser, so flags
/// may come before or after the command and take Go's forms; `KetchCommand.main` hands the
/// arguments straight to ``execute(_:environment:)``.
struct CtlCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ctl",
        abstract: "An etcdctl 3.5-compatible client (also: run ketch as `etcdctl`).",
        discussion: CtlCommand.usage
    )

    @Argument(parsing: .captureForPassthrough, help: "etcdctl command and flags (see `ketch ctl --help`).")
    var arguments: [String] = []

    func run() async throws {
        let code = await Self.execute(arguments)
        if code != 0 { throw ExitCode(code) }
    }

    /// etcdctl 3.5's `--help`, listing the commands ketch ctl serves.
    static let usage = """
        NAME:
        	etcdctl - A simple command line client for etcd3.

        USAGE:
        	etcdctl [flags]

        VERSION:
        	3.5.1

        API VERSION:
        	3.5


        COMMANDS:
        	alarm disarm		Disarms all alarms
        	alarm list		Lists all alarms
        	auth disable		Disables authentication
        	auth enable		Enables authentication
        	auth status		Returns authentication status
        	check perf		Check the performance of the etcd cluster
        	compaction		Compacts the event history in etcd
        	defrag			Defragments the storage of the etcd members with given endpoints
        	del			Removes the specified key or range of keys [key, range_end)
        	endpoint hashkv		Prints the KV history hash for each endpoint in --endpoints
        	endpoint health		Checks the healthiness of endpoints specified in `--endpoints` flag
        	endpoint status		Prints out the status of endpoints specified in `--endpoints` flag
        	get			Gets the key or a range of keys
        	help			Help about any command
        	lease grant		Creates leases
        	lease keep-alive	Keeps leases alive (renew)
        	lease list		List all active leases
        	lease revoke		Revokes leases
        	lease timetolive	Get lease information
        	member add		Adds a member into the cluster
        	member list		Lists all members in the cluster
        	member promote		Promotes a non-voting member in the cluster
        	member remove		Removes a member from the cluster
        	member update		Updates a member in the cluster
        	move-leader		Transfers leadership to another etcd cluster member.
        	put			Puts the given key into the store
        	role add		Adds a new role
        	role delete		Deletes a role
        	role get		Gets detailed information of a role
        	role grant-permission	Grants a key to a role
        	role list		Lists all roles
        	role revoke-permission	Revokes a key from a role
        	snapshot restore	Restores an etcd member snapshot to an etcd directory
        	snapshot save		Stores an etcd node backend snapshot to a given file
        	snapshot status		[deprecated] Gets backend snapshot status of a given file
        	txn			Txn processes all the requests in one transaction
        	user add		Adds a new user
        	user delete		Deletes a user
        	user get		Gets detailed information of a user
        	user grant-role		Grants a role to a user
        	user list		Lists all users
        	user passwd		Changes password of user
        	user revoke-role	Revokes a role from a user
        	version			Prints the version of etcdctl
        	watch			Watches events stream on keys or prefixes

        OPTIONS:
              --cacert=""				verify certificates of TLS-enabled secure servers using this CA bundle
              --cert=""					identify secure client using this TLS certificate file
              --command-timeout=5s			timeout for short running command (excluding dial timeout)
              --debug[=false]				enable client-side debug logging
              --dial-timeout=2s				dial timeout for client connections
          -d, --discovery-srv=""			domain name to query for SRV records describing cluster endpoints
              --discovery-srv-name=""			service name to query when using DNS discovery
              --endpoints=[127.0.0.1:2379]		gRPC endpoints
          -h, --help[=false]				help for etcdctl
              --hex[=false]				print byte strings as hex encoded strings
              --insecure-discovery[=true]		accept insecure SRV records describing cluster endpoints
              --insecure-skip-tls-verify[=false]	skip server certificate verification (CAUTION: this option should be enabled only for testing purposes)
              --insecure-transport[=true]		disable transport security for client connections
              --keepalive-time=2s			keepalive time for client connections
              --keepalive-timeout=6s			keepalive timeout for client connections
              --key=""					identify secure client using this TLS key file
              --password=""				password for authentication (if this option is used, --user option shouldn't include password)
              --user=""					username[:password] for authentication (prompt if password is not supplied)
          -w, --write-out="simple"			set the output format (fields, json, protobuf, simple, table)
        """

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
            if parsed.flag("help") || parsed.path.isEmpty || parsed.path == ["help"] {
                CtlIO.out(usage + "\n")
                return CtlExit.success
            }
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
        "txn", "compaction", "lease", "alarm", "defrag", "snapshot", "move-leader", "make-mirror", "migrate",
        "lock", "elect", "auth", "user", "role", "check", "downgrade",
    ]

    /// What a command runs: its parsed arguments and the global options.
    typealias Handler = @Sendable (CtlParsedArguments, CtlGlobals) async throws -> Void

    /// The commands of each file, merged: every group of commands registers itself in its own
    /// file (`CtlTxn.commands`, `CtlLease.commands`, …), keyed by the command path.
    static var registered: [String: Handler] {
        var all: [String: Handler] = [:]
        for table in [CtlTxn.commands, CtlLease.commands, CtlMaintenance.commands, CtlSnapshot.commands, CtlAuth.commands] {
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
        case "endpoint", "member":
            CtlIO.out(usage + "\n")
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
