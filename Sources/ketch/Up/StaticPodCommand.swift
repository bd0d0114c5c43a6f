import Foundation
import KetchBootstrap

/// A static Pod manifest's command line, turned into the `ketch` subcommand that runs it
/// (`etcd --flags…` → `ketch etcd --flags…`, `kube-apiserver --flags…` → `ketch apiserver --flags…`),
/// plus the few flag values `ketch up` needs to probe the component.
struct StaticPodCommand: Sendable {
    /// The component as kubeadm names it (`etcd`, `kube-apiserver`); also its log file's name.
    let component: String
    /// The `ketch` subcommand that stands in for the manifest's binary.
    let subcommand: String
    /// The manifest's flags, unchanged.
    let flags: [String]
    /// Where the manifest came from, for messages.
    let manifestPath: String

    /// The manifest binaries Ketch can run, and the subcommand for each.
    static let subcommands = ["etcd": "etcd", "kube-apiserver": "apiserver"]

    init(manifestPath: String) throws {
        let command = try StaticPodManifest(contentsOf: manifestPath).command
        let binary = (command[0] as NSString).lastPathComponent
        guard let subcommand = Self.subcommands[binary] else {
            throw UpError("\(manifestPath) runs \"\(command[0])\", which Ketch has no stand-in for")
        }
        self.component = binary
        self.subcommand = subcommand
        self.flags = Array(command.dropFirst())
        self.manifestPath = manifestPath
    }

    /// `ketch` arguments: the subcommand, then the manifest's flags.
    var ketchArguments: [String] { [subcommand] + flags }

    /// The value of `--name` (in `--name=value` or `--name value` form), the last one winning as in Go's flag package.
    func value(of name: String) -> String? {
        var found: String?
        var index = flags.startIndex
        while index < flags.endIndex {
            let flag = flags[index]
            for prefix in ["--" + name, "-" + name] {
                if flag.hasPrefix(prefix + "=") {
                    found = String(flag.dropFirst(prefix.count + 1))
                } else if flag == prefix, index + 1 < flags.endIndex {
                    found = flags[index + 1]
                    index += 1
                }
            }
            index += 1
        }
        return found
    }

    /// The URLs of a comma-separated URL flag (`--listen-metrics-urls`, …).
    func urls(of name: String) -> [URL] {
        (value(of: name) ?? "").split(separator: ",").compactMap { URL(string: $0.trimmingCharacters(in: .whitespaces)) }
    }
}

/// Host and port of a URL, with the wildcard addresses a server listens on turned into the
/// loopback address a client on this machine dials.
struct DialAddress: Sendable, CustomStringConvertible {
    let host: String
    let port: Int

    init(host: String, port: Int) {
        var host = host
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        switch host {
        case "", "0.0.0.0": host = "127.0.0.1"
        case "::": host = "::1"
        default: break
        }
        self.host = host
        self.port = port
    }

    init?(_ url: URL, defaultPort: Int) {
        guard let host = url.host else { return nil }
        self.init(host: host, port: url.port ?? defaultPort)
    }

    /// `host:port`, IPv6 hosts bracketed.
    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A failure of `ketch up`, printed as is.
struct UpError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
