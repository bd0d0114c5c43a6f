import EtcdClient
import Foundation

/// One flag as cobra/pflag declares it.
struct CtlFlag {
    var name: String
    var short: Character?
    /// Takes a value (`--name value`, `--name=value`); otherwise a boolean (`--name`, `--name=false`).
    var takesValue: Bool
}

/// The command line after cobra-style parsing: the command path, its positional arguments and flag values.
struct CtlParsedArguments {
    var path: [String] = []
    var positionals: [String] = []
    var values: [String: String] = [:]
    var bools: [String: Bool] = [:]
    /// What followed a `--` (also in `positionals`), nil without one (`watch KEY -- COMMAND`).
    var afterSeparator: [String]?

    func value(_ name: String) -> String? { values[name] }
    func flag(_ name: String) -> Bool { bools[name] ?? false }
    func wasSet(_ name: String) -> Bool { values[name] != nil || bools[name] != nil }
}

/// Parses etcdctl's command lines as cobra does: flags anywhere (before or after the command and its
/// arguments), `--flag=value` and `--flag value`, `-w json` and `-wjson`, booleans as `--flag` or
/// `--flag=true|false`, `--` ending flags.
enum CtlArgumentParser {
    static let globalFlags: [CtlFlag] = [
        .init(name: "endpoints", takesValue: true),
        .init(name: "write-out", short: "w", takesValue: true),
        .init(name: "hex", takesValue: false),
        .init(name: "debug", takesValue: false),
        .init(name: "dial-timeout", takesValue: true),
        .init(name: "command-timeout", takesValue: true),
        .init(name: "keepalive-time", takesValue: true),
        .init(name: "keepalive-timeout", takesValue: true),
        .init(name: "insecure-transport", takesValue: false),
        .init(name: "insecure-discovery", takesValue: false),
        .init(name: "insecure-skip-tls-verify", takesValue: false),
        .init(name: "cert", takesValue: true),
        .init(name: "key", takesValue: true),
        .init(name: "cacert", takesValue: true),
        .init(name: "auth-jwt-token", takesValue: true),
        .init(name: "user", takesValue: true),
        .init(name: "password", takesValue: true),
        .init(name: "discovery-srv", short: "d", takesValue: true),
        .init(name: "discovery-srv-name", takesValue: true),
        .init(name: "help", short: "h", takesValue: false),
    ]

    /// Each command's own flags, by command path.
    static let commandFlags: [String: [CtlFlag]] = [
        "get": [
            .init(name: "consistency", takesValue: true), .init(name: "order", takesValue: true),
            .init(name: "sort-by", takesValue: true), .init(name: "limit", takesValue: true),
            .init(name: "rev", takesValue: true), .init(name: "prefix", takesValue: false),
            .init(name: "from-key", takesValue: false), .init(name: "keys-only", takesValue: false),
            .init(name: "count-only", takesValue: false), .init(name: "print-value-only", takesValue: false),
        ],
        "put": [
            .init(name: "lease", takesValue: true), .init(name: "prev-kv", takesValue: false),
            .init(name: "ignore-value", takesValue: false), .init(name: "ignore-lease", takesValue: false),
        ],
        "del": [
            .init(name: "prefix", takesValue: false), .init(name: "prev-kv", takesValue: false),
            .init(name: "from-key", takesValue: false), .init(name: "range", takesValue: false),
        ],
        "watch": [
            .init(name: "rev", takesValue: true), .init(name: "prefix", takesValue: false),
            .init(name: "interactive", short: "i", takesValue: false), .init(name: "prev-kv", takesValue: false),
            .init(name: "progress-notify", takesValue: false),
        ],
        "endpoint health": [.init(name: "cluster", takesValue: false)],
        "endpoint status": [.init(name: "cluster", takesValue: false)],
        "member list": [],
        "version": [],
        // CtlTxn, CtlLease, CtlMaintenance, CtlAuth
        "txn": [.init(name: "interactive", short: "i", takesValue: false)],
        "compaction": [.init(name: "physical", takesValue: false)],
        "lease timetolive": [.init(name: "keys", takesValue: false)],
        "lease keep-alive": [.init(name: "once", takesValue: false)],
        "member add": [.init(name: "peer-urls", takesValue: true), .init(name: "learner", takesValue: false)],
        "member update": [.init(name: "peer-urls", takesValue: true)],
        "endpoint hashkv": [.init(name: "cluster", takesValue: false), .init(name: "rev", takesValue: true)],
        "defrag": [.init(name: "cluster", takesValue: false), .init(name: "data-dir", takesValue: true)],
        "check perf": [
            .init(name: "load", takesValue: true), .init(name: "prefix", takesValue: true),
            .init(name: "auto-compact", takesValue: false), .init(name: "auto-defrag", takesValue: false),
        ],
        "user add": [
            .init(name: "interactive", takesValue: false), .init(name: "new-user-password", takesValue: true),
            .init(name: "no-password", takesValue: false),
        ],
        "user get": [.init(name: "detail", takesValue: false)],
        "user passwd": [.init(name: "interactive", takesValue: false)],
        "role grant-permission": [.init(name: "prefix", takesValue: false), .init(name: "from-key", takesValue: false)],
        "role revoke-permission": [.init(name: "prefix", takesValue: false), .init(name: "from-key", takesValue: false)],
        "snapshot save": [],
        "snapshot status": [],
        "snapshot restore": [
            .init(name: "data-dir", takesValue: true), .init(name: "wal-dir", takesValue: true),
            .init(name: "name", takesValue: true), .init(name: "initial-cluster", takesValue: true),
            .init(name: "initial-cluster-token", takesValue: true),
            .init(name: "initial-advertise-peer-urls", takesValue: true),
            .init(name: "skip-hash-check", takesValue: false),
        ],
    ]

    /// Commands with subcommands.
    static let groups: Set<String> = ["endpoint", "member", "snapshot", "lease", "alarm", "user", "role", "auth", "check"]

    static func parse(_ args: [String]) throws -> CtlParsedArguments {
        // First the command path: the leading positionals that name a command.
        let allFlags = globalFlags + commandFlags.values.flatMap { $0 }
        let leading = positionals(args, flags: allFlags)
        var path: [String] = []
        if let first = leading.first {
            path = [first]
            if groups.contains(first), leading.count > 1 { path.append(leading[1]) }
        }
        let key = path.joined(separator: " ")
        let flags = globalFlags + (commandFlags[key] ?? [])

        var result = CtlParsedArguments()
        result.path = path
        var rest: [String] = []
        var i = 0
        func find(long: String) -> CtlFlag? { flags.first { $0.name == long } }
        func find(short: Character) -> CtlFlag? { flags.first { $0.short == short } }
        func set(_ flag: CtlFlag, _ value: String?, _ spelled: String) throws {
            if flag.takesValue {
                guard let value else { throw CtlFailure(CtlExit.error, "flag needs an argument: \(spelled)") }
                result.values[flag.name] = value
            } else if let value {
                switch value.lowercased() {
                case "true", "1", "t": result.bools[flag.name] = true
                case "false", "0", "f": result.bools[flag.name] = false
                default:
                    throw CtlFailure(CtlExit.error, "invalid argument \"\(value)\" for \"\(spelled)\" flag: strconv.ParseBool: parsing \"\(value)\": invalid syntax")
                }
            } else {
                result.bools[flag.name] = true
            }
        }
        while i < args.count {
            let a = args[i]
            i += 1
            if a == "--" {
                rest += args[i...]
                result.afterSeparator = Array(args[i...])
                break
            }
            if a.hasPrefix("--") {
                let body = a.dropFirst(2)
                let name = body.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
                let inline = body.contains("=") ? String(body[body.index(after: body.firstIndex(of: "=")!)...]) : nil
                guard let flag = find(long: name) else { throw CtlFailure(CtlExit.error, "unknown flag: --\(name)") }
                var value = inline
                if flag.takesValue, value == nil {
                    guard i < args.count else { throw CtlFailure(CtlExit.error, "flag needs an argument: --\(name)") }
                    value = args[i]
                    i += 1
                }
                try set(flag, value, "--\(name)")
            } else if a.hasPrefix("-"), a.count > 1 {
                var chars = Array(a.dropFirst())
                while !chars.isEmpty {
                    let c = chars.removeFirst()
                    guard let flag = find(short: c) else {
                        throw CtlFailure(CtlExit.error, "unknown shorthand flag: '\(c)' in \(a)")
                    }
                    if flag.takesValue {
                        var value = String(chars)
                        if value.hasPrefix("=") { value.removeFirst() }
                        if value.isEmpty {
                            guard i < args.count else { throw CtlFailure(CtlExit.error, "flag needs an argument: '\(c)' in -\(c)") }
                            value = args[i]
                            i += 1
                        }
                        try set(flag, value, "-\(c), --\(flag.name)")
                        chars = []
                    } else {
                        try set(flag, nil, "-\(c)")
                    }
                }
            } else {
                rest.append(a)
            }
        }
        result.positionals = Array(rest.dropFirst(path.count))
        return result
    }

    /// The positional arguments, skipping flags and the values of flags that take one.
    private static func positionals(_ args: [String], flags: [CtlFlag]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < args.count {
            let a = args[i]
            i += 1
            if a == "--" { out += args[i...]; break }
            if a.hasPrefix("--") {
                let name = String(a.dropFirst(2).split(separator: "=", maxSplits: 1).first ?? "")
                if !a.contains("="), flags.first(where: { $0.name == name })?.takesValue == true { i += 1 }
            } else if a.hasPrefix("-"), a.count > 1 {
                if a.count == 2, let c = a.dropFirst().first, flags.first(where: { $0.short == c })?.takesValue == true { i += 1 }
            } else {
                out.append(a)
            }
        }
        return out
    }
}

/// etcdctl's global settings: flags, else ETCDCTL_* variables, else defaults.
struct CtlGlobals {
    var endpoints: [String]
    var writeOut: String
    var hex: Bool
    var dialTimeout: Duration
    var commandTimeout: Duration
    var caFile: String?
    var certFile: String?
    var keyFile: String?
    var insecureSkipVerify: Bool
    var user: String?
    var password: String?

    init(_ args: CtlParsedArguments, environment: [String: String]) throws {
        func setting(_ name: String) -> String? {
            if let v = args.value(name) { return v }
            let variable = "ETCDCTL_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
            if let v = environment[variable] { return v }
            return nil
        }
        func boolSetting(_ name: String) throws -> Bool {
            if let b = args.bools[name] { return b }
            let variable = "ETCDCTL_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
            guard let v = environment[variable] else { return false }
            switch v.lowercased() {
            case "true", "1", "t": return true
            case "false", "0", "f", "": return false
            default: throw CtlFailure(CtlExit.error, "invalid value \"\(v)\" for \(variable)")
            }
        }
        func duration(_ name: String, _ fallback: Duration) throws -> Duration {
            guard let text = setting(name) else { return fallback }
            guard let d = GoDuration.parse(text) else {
                throw CtlFailure(CtlExit.error, "invalid argument \"\(text)\" for \"--\(name)\" flag: time: invalid duration \"\(text)\"")
            }
            return d
        }
        endpoints = (setting("endpoints") ?? "127.0.0.1:2379").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        writeOut = setting("write-out") ?? "simple"
        hex = try boolSetting("hex")
        dialTimeout = try duration("dial-timeout", .seconds(2))
        commandTimeout = try duration("command-timeout", .seconds(5))
        caFile = setting("cacert")
        certFile = setting("cert")
        keyFile = setting("key")
        insecureSkipVerify = try boolSetting("insecure-skip-tls-verify")
        user = setting("user")
        password = setting("password")
        if let u = user, password == nil, let colon = u.firstIndex(of: ":") {
            user = String(u[..<colon])
            password = String(u[u.index(after: colon)...])
        }
    }

    /// The client configuration for `endpoints` (all, or one for per-endpoint commands).
    func clientConfiguration(endpoints: [String]? = nil) -> EtcdClientConfiguration {
        EtcdClientConfiguration(
            endpoints: endpoints ?? self.endpoints, caFile: caFile, certFile: certFile, keyFile: keyFile,
            insecureSkipVerify: insecureSkipVerify, dialTimeout: min(dialTimeout, commandTimeout),
            requestTimeout: commandTimeout, username: user, password: password)
    }

    /// A client that connects on its first call.
    func client(endpoints: [String]? = nil) throws -> EtcdClient {
        do {
            return try EtcdClient.lazy(clientConfiguration(endpoints: endpoints))
        } catch let error as EtcdClientError {
            throw CtlFailure(CtlExit.badArgs, error.description)
        }
    }

    /// Runs `body` with a client for `endpoints` (default: all), closing it after; errors become
    /// etcdctl's messages.
    func withClient<R: Sendable>(endpoints: [String]? = nil, _ body: (EtcdClient) async throws -> R) async throws -> R {
        let client = try client(endpoints: endpoints)
        do {
            let result = try await body(client)
            await client.close()
            return result
        } catch {
            await client.close()
            throw CtlCommand.failure(error, endpoints: endpoints ?? self.endpoints)
        }
    }
}
