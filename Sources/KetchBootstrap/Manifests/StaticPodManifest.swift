import Foundation
import Yams

/// Reads back what a runner needs from a static pod manifest (the first container's command),
/// as a kubelet would: `ketch up` starts each component from its manifest.
public struct StaticPodManifest: Sendable, Equatable {
    /// `metadata.name`.
    public let name: String
    /// `spec.containers[0].command`: the binary, then its flags.
    public let command: [String]
    /// `spec.containers[0].image`.
    public let image: String

    /// Parses manifest YAML.
    public init(yaml: String) throws {
        func invalid(_ why: String) -> BootstrapError { .templateInvalid(path: "static pod manifest", reason: why) }
        guard let root = try Yams.compose(yaml: yaml) else { throw invalid("empty") }
        guard let name = root["metadata"]?["name"]?.string else { throw invalid("no metadata.name") }
        guard let container = root["spec"]?["containers"]?.sequence?.first else { throw invalid("no containers") }
        guard let command = container["command"]?.sequence?.compactMap(\.string), !command.isEmpty else {
            throw invalid("no command in the first container")
        }
        self.name = name
        self.command = command
        image = container["image"]?.string ?? ""
    }

    /// Reads the manifest at `path`.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BootstrapError.fileSystem(path: path, reason: "cannot read")
        }
        try self.init(yaml: String(decoding: data, as: UTF8.self))
    }
}
