import GoText
import Foundation

/// One etcd setting, known by the same name as a flag (`--max-txn-ops`), an environment
/// variable (`ETCD_MAX_TXN_OPS`) and a config-file key (`max-txn-ops`).
struct EtcdSetting: Sendable {
    /// The Go type etcd gives the setting; it decides which spellings are valid.
    enum Kind: Sendable {
        case string, bool, int, uint, int64, stringList

        /// How etcd's JSON decoder names the type in its errors.
        var goName: String {
            switch self {
            case .string: return "string"
            case .bool: return "bool"
            case .int: return "int"
            case .uint: return "uint"
            case .int64: return "int64"
            case .stringList: return "[]string"
            }
        }
    }

    /// A parsed value.
    enum Value: Sendable {
        case string(String), bool(Bool), int(Int64), strings([String])

        var string: String {
            switch self {
            case .string(let s): return s
            case .bool(let b): return String(b)
            case .int(let i): return String(i)
            case .strings(let list): return list.joined(separator: ",")
            }
        }
    }

    let name: String
    let kind: Kind
    /// Stores the value; `nil` for settings accepted for compatibility without effect.
    let apply: (@Sendable (inout EtcdServerOptions, Value) -> Void)?

    var environmentVariable: String { "ETCD_" + name.uppercased().replacingOccurrences(of: "-", with: "_") }

    /// Parses a flag or environment value as Go's `flag` package does (`strconv.ParseBool`,
    /// `ParseInt(s, 0, …)` with 0x/0o/0b prefixes); `nil` is etcd's "parse error".
    func parse(_ text: String) -> Value? {
        switch kind {
        case .string: return .string(text)
        case .stringList: return .strings(EtcdURLList.split(text))
        case .bool:
            switch text {
            case "1", "t", "T", "true", "TRUE", "True": return .bool(true)
            case "0", "f", "F", "false", "FALSE", "False": return .bool(false)
            default: return nil
            }
        case .int, .int64:
            return Self.goInteger(text).map(Value.int)
        case .uint:
            return Self.goInteger(text).flatMap { $0 >= 0 ? Value.int($0) : nil }
        }
    }

    private static func goInteger(_ text: String) -> Int64? {
        var digits = Substring(text)
        var sign: Int64 = 1
        if let first = digits.first, first == "-" || first == "+" {
            sign = first == "-" ? -1 : 1
            digits = digits.dropFirst()
        }
        var radix = 10
        let lower = digits.lowercased()
        if lower.hasPrefix("0x") { radix = 16; digits = digits.dropFirst(2) }
        else if lower.hasPrefix("0b") { radix = 2; digits = digits.dropFirst(2) }
        else if lower.hasPrefix("0o") { radix = 8; digits = digits.dropFirst(2) }
        else if digits.count > 1 && digits.hasPrefix("0") { radix = 8; digits = digits.dropFirst() }
        digits = Substring(digits.replacingOccurrences(of: "_", with: ""))
        guard !digits.isEmpty, let magnitude = Int64(digits, radix: radix) else { return nil }
        return sign * magnitude
    }
}

extension EtcdSetting {
    private static func setting(
        _ name: String, _ kind: Kind, _ apply: @escaping @Sendable (inout EtcdServerOptions, Value) -> Void
    ) -> EtcdSetting {
        EtcdSetting(name: name, kind: kind, apply: apply)
    }

    /// Settings that change what `ketch etcd` does.
    static let effective: [EtcdSetting] = [
        setting("name", .string) { $0.name = $1.string },
        setting("data-dir", .string) { $0.dataDir = $1.string },
        setting("listen-client-urls", .stringList) { $0.listenClientURLs = EtcdURLList.split($1.string) },
        setting("advertise-client-urls", .stringList) { $0.advertiseClientURLs = EtcdURLList.split($1.string) },
        setting("listen-peer-urls", .stringList) { $0.listenPeerURLs = EtcdURLList.split($1.string) },
        setting("initial-advertise-peer-urls", .stringList) { $0.initialAdvertisePeerURLs = EtcdURLList.split($1.string) },
        setting("initial-cluster", .string) { $0.initialCluster = $1.string },
        setting("initial-cluster-token", .string) { $0.initialClusterToken = $1.string },
        setting("initial-cluster-state", .string) { $0.initialClusterState = $1.string },
        setting("max-txn-ops", .uint) { if case .int(let v) = $1 { $0.maxTxnOps = Int(v) } },
        setting("max-request-bytes", .uint) { if case .int(let v) = $1 { $0.maxRequestBytes = Int(v) } },
        setting("quota-backend-bytes", .int64) { if case .int(let v) = $1 { $0.quotaBackendBytes = v } },
        setting("log-level", .string) { $0.logLevel = $1.string },
        setting("cert-file", .string) { $0.client.certFile = $1.string },
        setting("key-file", .string) { $0.client.keyFile = $1.string },
        setting("trusted-ca-file", .string) { $0.client.trustedCAFile = $1.string },
        setting("client-cert-auth", .bool) { if case .bool(let v) = $1 { $0.client.clientCertAuth = v } },
        setting("auto-tls", .bool) { if case .bool(let v) = $1 { $0.client.autoTLS = v } },
        setting("listen-metrics-urls", .stringList) { $0.listenMetricsURLs = EtcdURLList.split($1.string) },
        setting("metrics", .string) { $0.metrics = $1.string },
        setting("self-signed-cert-validity", .uint) { if case .int(let v) = $1 { $0.selfSignedCertValidity = Int(v) } },
        setting("experimental-watch-progress-notify-interval", .string) {
            if let interval = GoDuration.parse($1.string), interval > .zero { $0.watchProgressNotifyInterval = interval }
        },
        setting("auth-token-ttl", .uint) { if case .int(let v) = $1 { $0.authTokenTTL = Int(v) } },
        setting("enable-v2", .bool) { if case .bool(let v) = $1 { $0.enableV2 = v } },
    ]

    /// Only a flag or `ETCD_CONFIG_FILE`; not a key of the file itself.
    static let configFile = EtcdSetting(name: "config-file", kind: .string, apply: nil)

    /// Every setting etcd 3.5 knows, by name: the effective ones, `config-file`, and the ones
    /// accepted without effect (``EtcdCompatibilityFlags``).
    static let all: [String: EtcdSetting] = {
        var table: [String: EtcdSetting] = [:]
        for name in EtcdCompatibilityFlags.valued { table[name] = EtcdSetting(name: name, kind: .string, apply: nil) }
        for name in EtcdCompatibilityFlags.boolean { table[name] = EtcdSetting(name: name, kind: .bool, apply: nil) }
        for setting in effective + [configFile] { table[setting.name] = setting }
        return table
    }()
}
