import Crypto
import Foundation
import KubeCore

/// One static pod manifest as the kubelet's file source sees it: the parsed Pod and a hash of
/// the file's bytes, which becomes the mirror pod's `kubernetes.io/config.hash` and tells the
/// emulator when the manifest changed.
public struct StaticPodFile: Sendable, Equatable {
    /// Where the manifest was read from.
    public var path: URL
    /// The manifest as JSON (a Pod without status).
    public var pod: JSONValue
    /// 32 hex digits (MD5 of the bytes), the length kubelet's config hashes have.
    public var hash: String
    /// The file's modification time when read.
    public var modified: Date?

    /// `metadata.name` of the manifest.
    public var name: String { pod["metadata"]?["name"]?.string ?? "" }
    /// `metadata.namespace`, `default` when unset (the kubelet's file source does the same).
    public var namespace: String {
        let ns = pod["metadata"]?["namespace"]?.string ?? ""
        return ns.isEmpty ? "default" : ns
    }

    /// Parses manifest bytes; throws when they are not a YAML or JSON Pod with a name.
    public init(path: URL, data: Data, modified: Date? = nil) throws {
        guard let pod = try YAMLJSON.parse(String(decoding: data, as: UTF8.self)),
              pod["kind"]?.string ?? "Pod" == "Pod",
              let name = pod["metadata"]?["name"]?.string, !name.isEmpty else {
            throw KubeStatus.badRequest("static pod manifest \(path.path) is not a named Pod")
        }
        self.path = path
        self.pod = pod
        self.hash = Insecure.MD5.hash(data: data).map { String(format: "%02x", $0) }.joined()
        self.modified = modified
    }

    /// Reads the manifest at `path`.
    public init(contentsOf path: URL) throws {
        let data = try Data(contentsOf: path)
        let modified = (try? FileManager.default.attributesOfItem(atPath: path.path))?[.modificationDate] as? Date
        try self.init(path: path, data: data, modified: modified)
    }

    /// The manifest files of a directory, as the kubelet picks them: regular files not starting
    /// with a dot, sorted by name. (The kubelet reads any extension; editors' `*.swp`/`*~`
    /// leftovers are skipped here so a half-saved edit does not flap a pod.)
    public static func manifestPaths(in directory: URL) -> [URL] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        return names.sorted().filter { name in
            !name.hasPrefix(".") && !name.hasSuffix("~") && !name.hasSuffix(".swp")
        }.map { directory.appendingPathComponent($0) }.filter { url in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }

    /// The first container's `--flag=value`, e.g. etcd's `--data-dir`.
    public func flag(_ name: String) -> String? {
        let prefix = "--\(name)="
        for container in pod["spec"]?["containers"]?.array ?? [] {
            for arg in (container["command"]?.array ?? []) + (container["args"]?.array ?? []) {
                if let s = arg.string, s.hasPrefix(prefix) { return String(s.dropFirst(prefix.count)) }
            }
        }
        return nil
    }

    /// The tag of the first container's image (`v1.33.4` in `registry.k8s.io/kube-apiserver:v1.33.4`).
    public var imageTag: String? {
        guard let image = pod["spec"]?["containers"]?.array?.first?["image"]?.string else { return nil }
        let lastComponent = image.split(separator: "/").last.map(String.init) ?? image
        guard let colon = lastComponent.lastIndex(of: ":") else { return nil }
        return String(lastComponent[lastComponent.index(after: colon)...].prefix { $0 != "@" })
    }
}
