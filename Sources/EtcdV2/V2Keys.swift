import EtcdKeySpace
import Foundation

/// The v2 operations over a ``V2KeysBackend``.
public struct V2Keys: Sendable {
    public let backend: any V2KeysBackend

    public init(backend: any V2KeysBackend) {
        self.backend = backend
    }

    // MARK: Paths

    /// Go's `path.Clean(path.Join("/", key))`.
    public static func clean(_ key: String) -> String {
        var parts: [Substring] = []
        for part in key.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    static func dirPrefix(_ path: String) -> [UInt8] { path == "/" ? Array("/".utf8) : Array((path + "/").utf8) }
}
