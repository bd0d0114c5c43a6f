import EtcdKeySpace
import Foundation

extension V2Keys {
    // MARK: Reading

    /// A directory assembled from the keys under its prefix.
    final class Dir {
        let key: String
        var marker: V2StoredKey?
        var files: [String: V2StoredKey] = [:]
        var dirs: [String: Dir] = [:]
        var minCreate: Int64 = .max
        /// Keys under the prefix other than the marker.
        var descendants = 0

        init(key: String) { self.key = key }

        var createdIndex: Int64 { marker?.createRevision ?? (minCreate == .max ? 0 : minCreate) }
        var modifiedIndex: Int64 { marker?.modRevision ?? createdIndex }
        var isEmpty: Bool { files.isEmpty && dirs.isEmpty }

        func child(_ name: String) -> Dir {
            if let d = dirs[name] { return d }
            let d = Dir(key: (key == "/" ? "" : key) + "/" + name)
            dirs[name] = d
            return d
        }

        /// Adds a key found under this directory's prefix (`rest` follows the prefix).
        func add(_ kv: V2StoredKey, rest: String) {
            if rest.isEmpty {
                marker = kv
                return
            }
            var components = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            let isMarker = components.last == ""
            if isMarker { components.removeLast() }
            guard !components.isEmpty, !components.contains("") else { return }
            descendants += 1
            minCreate = min(minCreate, kv.createRevision)
            var dir = self
            for name in components.dropLast() {
                dir = dir.child(name)
                dir.descendants += 1
                dir.minCreate = min(dir.minCreate, kv.createRevision)
            }
            let last = components[components.count - 1]
            if isMarker {
                let d = dir.child(last)
                d.marker = kv
                d.minCreate = min(d.minCreate, kv.createRevision)
            } else {
                dir.files[last] = kv
            }
        }

        /// As a node: children listed down to `depth` levels (0: none), sorted by key.
        func node(depth: Int) -> V2Node {
            var node = V2Node(key: key == "/" ? "" : key, dir: true, createdIndex: key == "/" ? 0 : createdIndex,
                              modifiedIndex: key == "/" ? 0 : modifiedIndex)
            guard depth > 0 else { return node }
            var children: [V2Node] = []
            for d in dirs.values { children.append(d.node(depth: depth - 1)) }
            for (name, kv) in files where dirs[name] == nil {
                children.append(V2Keys.fileNode(kv, key: (key == "/" ? "" : key) + "/" + name))
            }
            children.sort { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            node.nodes = children.isEmpty ? nil : children
            return node
        }
    }

    static func fileNode(_ kv: V2StoredKey, key: String) -> V2Node {
        V2Node(key: key, dir: false, value: String(decoding: kv.value, as: UTF8.self),
               createdIndex: kv.createRevision, modifiedIndex: kv.modRevision)
    }

    /// What a path is at one revision.
    enum Found {
        case dir(Dir)
        case file(V2StoredKey)
        case absent
    }

    struct Snapshot {
        var found: Found
        var revision: Int64
        /// The mod revision of the key named like the path (0: none), for guards.
        var fileModRevision: Int64
    }

    func read(_ path: String) async throws -> Snapshot {
        let prefix = Self.dirPrefix(path)
        let under = try await backend.range(key: prefix, rangeEnd: prefixRangeEnd(prefix), countOnly: false)
        let dir = Dir(key: path)
        for kv in under.kvs where kv.key.count >= prefix.count {
            dir.add(kv, rest: String(decoding: kv.key[prefix.count...], as: UTF8.self))
        }
        if path == "/" { return Snapshot(found: .dir(dir), revision: under.revision, fileModRevision: 0) }
        let file = try await backend.range(key: Array(path.utf8), rangeEnd: nil, countOnly: false)
        let fileMod = file.kvs.first?.modRevision ?? 0
        let revision = max(under.revision, file.revision)
        if dir.marker != nil || !dir.isEmpty {
            return Snapshot(found: .dir(dir), revision: revision, fileModRevision: fileMod)
        }
        if let kv = file.kvs.first { return Snapshot(found: .file(kv), revision: revision, fileModRevision: fileMod) }
        return Snapshot(found: .absent, revision: revision, fileModRevision: 0)
    }

    /// ``read(_:)`` for an operation that changes `path`, which the root refuses.
    func readChangeable(_ path: String) async throws -> Snapshot {
        let s = try await read(path)
        if path == "/" { throw V2Error(V2Error.rootReadOnly, "/", index: s.revision) }
        return s
    }

    /// `path`'s ancestors below the root, outermost first (`/a/b/c`: `/a`, `/a/b`).
    static func ancestors(of path: String) -> [String] {
        var ancestors: [String] = []
        var p = parent(of: path)
        while p != "/" {
            ancestors.append(p)
            p = parent(of: p)
        }
        return ancestors.reversed()
    }

    /// The first ancestor of `path` that is a file (which makes `path` unreachable), if any.
    func fileAncestor(of path: String) async throws -> String? {
        for a in Self.ancestors(of: path) {
            let file = try await backend.range(key: Array(a.utf8), rangeEnd: nil, countOnly: true)
            guard file.count > 0 else { continue }
            let prefix = Self.dirPrefix(a)
            let under = try await backend.range(key: prefix, rangeEnd: prefixRangeEnd(prefix), countOnly: true)
            if under.count == 0 { return a }
        }
        return nil
    }

    /// Why `path` is not there, as etcd's walk down the tree finds it: the first ancestor that
    /// is missing (key not found) or a file (not a directory).
    func missing(_ path: String, _ revision: Int64) async throws -> V2Error {
        for a in Self.ancestors(of: path) {
            let prefix = Self.dirPrefix(a)
            if try await backend.range(key: prefix, rangeEnd: prefixRangeEnd(prefix), countOnly: true).count > 0 { continue }
            if try await backend.range(key: Array(a.utf8), rangeEnd: nil, countOnly: true).count > 0 {
                return V2Error(V2Error.notDir, a, index: revision)
            }
            return V2Error(V2Error.keyNotFound, a, index: revision)
        }
        return V2Error(V2Error.keyNotFound, path, index: revision)
    }
}
