import Foundation
import Logging

/// Combines flags, `ETCD_*` variables and `--config-file` with etcd 3.5.1's precedence
/// (checked against the real binary):
/// 1. When a config file is named (`--config-file`, else `ETCD_CONFIG_FILE`), it alone
///    configures the server on top of the defaults: every other flag and variable is ignored,
///    unchecked (no conflict or unknown-variable messages).
/// 2. Otherwise an `ETCD_*` variable sets a setting that no flag set. A variable for a setting
///    that a flag also sets is fatal ("conflicting environment variable is shadowed by
///    corresponding command-line flag"); an `ETCD_*` variable etcd does not know is only warned about.
public struct EtcdConfigResolver {
    /// Why the configuration cannot be used; etcd exits 1 for each.
    public enum Failure: Error, Equatable {
        /// Logged as etcd's "failed to verify flags".
        case invalid(String)
        /// A flag and a variable set the same setting.
        case conflict(variable: String)

        /// What etcd logs before it exits.
        public var note: EtcdLogNote {
            switch self {
            case .invalid(let message):
                return EtcdLogNote(level: .warning, message: "failed to verify flags", metadata: ["error": "\(message)"])
            case .conflict(let variable):
                return EtcdLogNote(
                    level: .critical,
                    message: "conflicting environment variable is shadowed by corresponding command-line flag (either unset environment variable or disable flag))",
                    metadata: ["environment-variable": "\(variable)"])
            }
        }
    }

    /// Messages to log once logging is set up (etcd logs these before it starts, too), in order.
    public private(set) var notes: [EtcdLogNote] = []

    /// A resolver with no notes yet.
    public init() {}

    /// The options the flags, the environment and the config file they name give.
    ///
    /// - Parameters:
    ///   - flags: settings given on the command line, by etcd name, in order.
    ///   - environment: the process environment.
    /// - Throws: ``Failure``.
    public mutating func resolve(flags: [(name: String, value: String)], environment: [String: String]) throws -> EtcdServerOptions {
        var configFile = flags.last(where: { $0.name == EtcdSetting.configFile.name })?.value ?? ""
        if configFile.isEmpty { configFile = environment[EtcdSetting.configFile.environmentVariable] ?? "" }
        var options = EtcdServerOptions()
        if !configFile.isEmpty {
            try load(configFile: configFile, into: &options)
            return options
        }

        var given: [(name: String, value: String, variable: String?)] = flags.map { ($0.name, $0.value, nil) }
        let flagNames = Set(flags.map(\.name))
        for (variable, value) in environment.sorted(by: { $0.key < $1.key }) where variable.hasPrefix("ETCD_") {
            let name = variable.dropFirst("ETCD_".count).lowercased().replacingOccurrences(of: "_", with: "-")
            guard let setting = EtcdSetting.all[name] else {
                notes.append(EtcdLogNote(level: .warning, message: "unrecognized environment variable",
                                         metadata: ["environment-variable": "\(variable)=\(value)"]))
                continue
            }
            if flagNames.contains(name) { throw Failure.conflict(variable: variable) }
            guard setting.parse(value) != nil else {
                throw Failure.invalid("invalid value \"\(value)\" for \(variable): parse error")
            }
            given.append((name, value, variable))
        }
        for (name, value, variable) in given {
            guard let setting = EtcdSetting.all[name], let parsed = setting.parse(value) else { continue }
            if let apply = setting.apply {
                apply(&options, parsed)
            } else if name != EtcdSetting.configFile.name {
                let source: Logger.Metadata = variable.map { ["environment-variable": "\($0)=\(value)"] }
                    ?? ["flag": "--\(name)=\(value)"]
                notes.append(EtcdLogNote(level: .warning, message: "flag has no effect on a single Ketch member; ignored",
                                         metadata: source))
            }
        }
        return options
    }

    private mutating func load(configFile path: String, into options: inout EtcdServerOptions) throws {
        let ignored: [String]
        do {
            ignored = try EtcdConfigFile.apply(path: path, to: &options)
        } catch let error as EtcdConfigFile.Invalid {
            throw Failure.invalid(error.description)
        }
        notes.append(EtcdLogNote(
            level: .info,
            message: "loaded server configuration, other configuration command line flags and environment variables will be ignored if provided",
            metadata: ["path": "\(path)"]))
        for key in ignored {
            notes.append(EtcdLogNote(level: .warning, message: "setting has no effect on a single Ketch member; ignored",
                                     metadata: ["config-file-key": "\(key)", "path": "\(path)"]))
        }
    }
}
