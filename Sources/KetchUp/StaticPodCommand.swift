import Foundation
import KetchBootstrap

/// A static Pod manifest's command line, turned into the `ketch` subcommand that runs it
/// (`etcd --flags…` → `ketch etcd --flags…`, `kube-apiserver --flags…` → `ketch apiserver --flags…`),
/// plus the few flag values `ketch up` needs to probe the component.
public struct StaticPodCommand: Sendable {
    /// The component as kubeadm names it (`etcd`, `kube-apiserver`); also its log file's name.
    public let component: String
    /// The `ketch` subcommand that stands in for the manifest's binary.
    public let subcommand: String
    /// The manifest's flags, unchanged.
    public let flags: [String]
    /// Where the manifest came from, for messages.
    public let manifestPath: String

    /// The manifest binaries Ketch can run, and the subcommand for each.
    public static let subcommands = [
        "etcd": "etcd", "kube-apiserver": "apiserver",
        "kube-controller-manager": "controller-manager", "kube-scheduler": "scheduler",
    ]

    /// Reads the manifest at `manifestPath`; throws ``UpError`` for a binary Ketch cannot stand in for.
    public init(manifestPath: String) throws {
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
    public var ketchArguments: [String] { [subcommand] + flags }

    /// How `ketch up` (the `executable`, pid `parentPID`) runs this command: through
    /// `ketch up _exec-child`, which readies the child as a container runtime would, then execs.
    public func launch(executable: String, parentPID: Int32) -> ComponentLaunch {
        ComponentLaunch(
            name: component, executable: executable,
            arguments: ["up", ComponentLaunch.execChildCommandName, "--parent-pid", String(parentPID), "--"] + ketchArguments,
            shownCommand: ([executable] + ketchArguments).joined(separator: " "), origin: manifestPath)
    }

    /// The value of `--name` (in `--name=value` or `--name value` form), the last one winning as in Go's flag package.
    public func value(of name: String) -> String? {
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
    public func urls(of name: String) -> [URL] {
        (value(of: name) ?? "").split(separator: ",").compactMap { URL(string: $0.trimmingCharacters(in: .whitespaces)) }
    }
}
