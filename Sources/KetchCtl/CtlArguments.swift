import Foundation

/// One flag as cobra/pflag declares it: what parsing needs (name, shorthand, whether it takes a
/// value) and what help prints (pflag's type, default and usage text). The same definitions drive
/// both ``CtlArgumentParser`` and ``CtlHelp``.
struct CtlFlag {
    /// How pflag prints the flag's default in help: `--name[=false]` for booleans (which need no
    /// value), `--name="text"` for strings, `--name=5s` for everything else (ints, durations, lists).
    enum Kind {
        case bool, string, other
    }

    var name: String
    var short: Character?
    var kind: Kind
    /// The default as pflag prints it (`DefValue`): `false`, `simple`, `5s`, `[127.0.0.1:2379]`.
    var defaultValue: String
    var usage: String
    /// Accepted when parsing but not shown in help (flags etcdctl 3.5.1 does not have).
    var hidden = false

    /// Takes a value (`--name value`, `--name=value`); otherwise a boolean (`--name`, `--name=false`).
    var takesValue: Bool { kind != .bool }

    static func bool(_ name: String, short: Character? = nil, default value: Bool = false, _ usage: String) -> CtlFlag {
        CtlFlag(name: name, short: short, kind: .bool, defaultValue: value ? "true" : "false", usage: usage)
    }

    static func string(_ name: String, short: Character? = nil, default value: String = "", _ usage: String) -> CtlFlag {
        CtlFlag(name: name, short: short, kind: .string, defaultValue: value, usage: usage)
    }

    /// An int, duration or list flag; `value` is its default as pflag prints it.
    static func other(_ name: String, short: Character? = nil, default value: String, _ usage: String) -> CtlFlag {
        CtlFlag(name: name, short: short, kind: .other, defaultValue: value, usage: usage)
    }

    /// The same flag, left out of help.
    var hiddenFromHelp: CtlFlag {
        var f = self
        f.hidden = true
        return f
    }
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
    /// etcdctl's global (root persistent) flags, and `--help`, which cobra gives every command.
    static let globalFlags: [CtlFlag] = [
        .string("cacert", "verify certificates of TLS-enabled secure servers using this CA bundle"),
        .string("cert", "identify secure client using this TLS certificate file"),
        .other("command-timeout", default: "5s", "timeout for short running command (excluding dial timeout)"),
        .bool("debug", "enable client-side debug logging"),
        .other("dial-timeout", default: "2s", "dial timeout for client connections"),
        .string("discovery-srv", short: "d", "domain name to query for SRV records describing cluster endpoints"),
        .string("discovery-srv-name", "service name to query when using DNS discovery"),
        .other("endpoints", default: "[127.0.0.1:2379]", "gRPC endpoints"),
        helpFlag,
        .bool("hex", "print byte strings as hex encoded strings"),
        .bool("insecure-discovery", default: true, "accept insecure SRV records describing cluster endpoints"),
        .bool("insecure-skip-tls-verify",
              "skip server certificate verification (CAUTION: this option should be enabled only for testing purposes)"),
        .bool("insecure-transport", default: true, "disable transport security for client connections"),
        .other("keepalive-time", default: "2s", "keepalive time for client connections"),
        .other("keepalive-timeout", default: "6s", "keepalive timeout for client connections"),
        .string("key", "identify secure client using this TLS key file"),
        .string("password", "password for authentication (if this option is used, --user option shouldn't include password)"),
        .string("user", "username[:password] for authentication (prompt if password is not supplied)"),
        .string("write-out", short: "w", default: "simple", "set the output format (fields, json, protobuf, simple, table)"),
        // Not an etcdctl 3.5.1 flag (etcdctl rejects it); accepted for compatibility with older ketch
        // command lines, never shown.
        CtlFlag.string("auth-jwt-token", "").hiddenFromHelp,
    ]

    /// cobra's help flag; help prints it as `help for <command name>`.
    static let helpFlag = CtlFlag.bool("help", short: "h", "help for etcdctl")

    /// Each command's own flags, by command path: its local flags plus the persistent flags of the
    /// groups above it (`endpoint --cluster`), from ``CtlHelp/commands``.
    static let commandFlags: [String: [CtlFlag]] = {
        var all: [String: [CtlFlag]] = [:]
        for spec in CtlHelp.commands {
            all[spec.path] = spec.flags + spec.persistentFlags + CtlHelp.inheritedCommandFlags(of: spec)
        }
        return all
    }()

    /// The flags of every command, in table order (for finding the command path).
    private static let everyFlag: [CtlFlag] = globalFlags + CtlHelp.commands.flatMap { $0.flags + $0.persistentFlags }

    /// Commands with subcommands.
    static let groups: Set<String> = Set(CtlHelp.commands.compactMap { spec in
        spec.components.count == 2 ? spec.components[0] : nil
    })

    static func parse(_ args: [String]) throws -> CtlParsedArguments {
        // First the command path: the leading positionals that name a command.
        let leading = positionals(args, flags: everyFlag)
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
                    } else if chars.count >= 2, chars.first == "=" {
                        // pflag's `-l=false`.
                        try set(flag, String(chars.dropFirst()), "-\(c), --\(flag.name)")
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
            // cobra looks for the command before it adds the help flag, so there `--help` and `-h`
            // take the next word as their value: `etcdctl --help get` is the root's help.
            if a == "--help" || a == "-h" {
                i += 1
            } else if a.hasPrefix("--") {
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
