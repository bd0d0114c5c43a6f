import ArgumentParser

/// Sorts etcd flags that `ketch etcd` does not implement into accepted-and-ignored, refused
/// (where ignoring would be unsafe, e.g. TLS), and unknown (an error, as etcd's own).
enum EtcdFlagCompatibility {
    /// Flags whose silent omission would weaken security or surprise the user.
    static let refused: [String: String] = [
        "cert-file": "TLS is not served by this version of ketch etcd",
        "key-file": "TLS is not served by this version of ketch etcd",
        "trusted-ca-file": "TLS is not served by this version of ketch etcd",
        "client-cert-auth": "TLS is not served by this version of ketch etcd",
        "auto-tls": "TLS is not served by this version of ketch etcd",
        "client-crl-file": "TLS is not served by this version of ketch etcd",
        "config-file": "--config-file is not read by this version of ketch etcd; pass flags instead",
    ]

    /// Checks `args` (everything the parser did not recognise); returns the flags accepted without effect.
    static func check(_ args: [String]) throws -> [String] {
        var accepted: [String] = []
        var i = 0
        while i < args.count {
            let arg = args[i]
            guard arg.hasPrefix("-") else {
                throw ValidationError("'\(arg)' is not a valid flag")
            }
            let body = arg.drop { $0 == "-" }
            let name = String(body.split(separator: "=", maxSplits: 1).first ?? "")
            let hasValue = body.contains("=")
            if let reason = refused[name] {
                throw ValidationError("--\(name): \(reason)")
            }
            if EtcdCompatibilityFlags.boolean.contains(name) {
                accepted.append(arg)
            } else if EtcdCompatibilityFlags.valued.contains(name) {
                if !hasValue {
                    guard i + 1 < args.count else { throw ValidationError("flag needs an argument: --\(name)") }
                    i += 1
                }
                accepted.append(hasValue ? arg : "\(arg) \(args[i])")
            } else {
                throw ValidationError("flag provided but not defined: -\(name)")
            }
            i += 1
        }
        return accepted
    }
}
