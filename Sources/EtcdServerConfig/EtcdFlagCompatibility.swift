import ArgumentParser

/// Reads the etcd flags that ArgumentParser leaves over — boolean settings and settings Ketch
/// accepts without effect — with Go's `flag` syntax (`-x`, `--x`, `--x=v`, `--x v`; a boolean
/// takes no separate value: `--x` or `--x=false`). Refuses flags whose omission would weaken
/// security, and unknown flags, as etcd does.
public enum EtcdFlagCompatibility {
    /// Flags Ketch does not implement and must not silently ignore.
    static let refused: [String: String] = [
        "client-crl-file": "certificate revocation lists are not checked by ketch etcd",
        "client-cert-allowed-hostname": "client certificates are not matched against a hostname by ketch etcd",
    ]

    /// The flags in `args`, by etcd setting name, with their raw values (`true` for a bare boolean).
    public static func parse(_ args: [String]) throws -> [(name: String, value: String)] {
        var flags: [(name: String, value: String)] = []
        var i = 0
        while i < args.count {
            let arg = args[i]
            guard arg.hasPrefix("-"), arg != "-", arg != "--" else {
                throw ValidationError("'\(arg)' is not a valid flag")
            }
            let body = arg.hasPrefix("--") ? arg.dropFirst(2) : arg.dropFirst()
            let parts = body.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            if let reason = refused[name] {
                throw ValidationError("--\(name): \(reason)")
            }
            guard let setting = EtcdSetting.all[name] else {
                throw ValidationError("flag provided but not defined: -\(name)")
            }
            var value: String
            if parts.count == 2 {
                value = String(parts[1])
            } else if setting.kind == .bool {
                value = "true"
            } else {
                guard i + 1 < args.count else { throw ValidationError("flag needs an argument: -\(name)") }
                i += 1
                value = args[i]
            }
            if setting.parse(value) == nil {
                throw ValidationError("invalid \(setting.kind == .bool ? "boolean " : "")value \"\(value)\" for flag -\(name): parse error")
            }
            flags.append((name, value))
            i += 1
        }
        return flags
    }
}
