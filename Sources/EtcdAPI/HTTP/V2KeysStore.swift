import Foundation

// etcd's v2 key API (directories, `set`/`mk`/`rm`, v2 error codes) emulated over the v3 key space.
// `ketch ctl` in v2 mode runs it through a gRPC client, `ketch etcd --enable-v2` straight on its
// store, so both views agree. The mapping (see docs/v2-emulation.md):
//
// - a v2 file `/a/b` is the v3 key `/a/b`;
// - a v2 directory `/a` exists when some v3 key starts with `/a/`; `mkdir /a` stores the empty
//   marker key `/a/` so that an empty directory can exist, and removing the last entry of a
//   directory leaves its marker behind (v2 directories outlive their children);
// - when both `/a` and keys under `/a/` exist, the directory wins;
// - keys that do not start with `/`, or hold an empty path segment (`/a//b`), are not visible;
// - indexes are v3 revisions: createdIndex is the create revision, modifiedIndex the mod revision.

/// One v3 key as the emulation reads it.
public struct V2StoredKey: Sendable, Hashable {
    public var key: [UInt8]
    public var value: [UInt8]
    public var createRevision: Int64
    public var modRevision: Int64

    public init(key: [UInt8], value: [UInt8], createRevision: Int64, modRevision: Int64) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
    }
}

/// A condition of a write, as a v3 transaction compare.
public struct V2Guard: Sendable, Hashable {
    public enum Target: Sendable, Hashable { case createRevision, modRevision }
    public enum Relation: Sendable, Hashable { case equal, less }
    public var key: [UInt8]
    /// Compare every key in `[key, rangeEnd)` (an empty range passes a revision compare with 0).
    public var rangeEnd: [UInt8]?
    public var target: Target
    public var relation: Relation
    public var value: Int64
}

/// One write of a v2 operation.
public enum V2Write: Sendable, Hashable {
    case put(key: [UInt8], value: [UInt8])
    case delete(key: [UInt8], rangeEnd: [UInt8]?)
}

/// A range read's answer.
public struct V2RangeResult: Sendable {
    public var kvs: [V2StoredKey]
    public var count: Int64
    public var revision: Int64

    public init(kvs: [V2StoredKey], count: Int64, revision: Int64) {
        self.kvs = kvs
        self.count = count
        self.revision = revision
    }
}

/// The v3 store the emulation runs on.
public protocol V2KeysBackend: Sendable {
    /// One key (`rangeEnd` nil) or `[key, rangeEnd)`, sorted by key.
    func range(key: [UInt8], rangeEnd: [UInt8]?, countOnly: Bool) async throws -> V2RangeResult
    /// Applies `writes` atomically if every guard holds; returns the new revision, or nil when a guard failed.
    func commit(guards: [V2Guard], writes: [V2Write]) async throws -> Int64?
}

/// A v2 node (etcd's `NodeExtern`).
public struct V2Node: Sendable, Hashable {
    /// `/a/b`; the root's is empty.
    public var key: String
    public var dir: Bool
    /// A file's value (nil for directories and in delete answers).
    public var value: String?
    /// A directory's listed children (nil when not listed).
    public var nodes: [V2Node]?
    public var createdIndex: Int64
    public var modifiedIndex: Int64

    public init(key: String, dir: Bool, value: String? = nil, nodes: [V2Node]? = nil, createdIndex: Int64, modifiedIndex: Int64) {
        self.key = key
        self.dir = dir
        self.value = value
        self.nodes = nodes
        self.createdIndex = createdIndex
        self.modifiedIndex = modifiedIndex
    }
}

/// A v2 answer (etcd's `Event`, plus the store index sent as `X-Etcd-Index`).
public struct V2Response: Sendable, Hashable {
    public var action: String
    public var node: V2Node
    public var prevNode: V2Node?
    public var index: Int64
}

/// A v2 error (etcd's `v2error.Error`).
public struct V2Error: Error, Sendable, Hashable {
    public var code: Int
    public var cause: String
    public var index: Int64

    public init(_ code: Int, _ cause: String, index: Int64) {
        self.code = code
        self.cause = cause
        self.index = index
    }

    public static let keyNotFound = 100, testFailed = 101, notFile = 102, notDir = 104, nodeExist = 105
    public static let rootReadOnly = 107, dirNotEmpty = 108, invalidField = 209, invalidForm = 210
    public static let raftInternal = 300

    public var message: String {
        switch code {
        case 100: "Key not found"
        case 101: "Compare failed"
        case 102: "Not a file"
        case 104: "Not a directory"
        case 105: "Key already exists"
        case 107: "Root is read only"
        case 108: "Directory not empty"
        case 200: "Value is Required in POST form"
        case 201: "PrevValue is Required in POST form"
        case 202: "The given TTL in POST form is not a number"
        case 203: "The given index in POST form is not a number"
        case 209: "Invalid field"
        case 210: "Invalid POST form"
        case 300: "Raft Internal Error"
        default: "Unknown error"
        }
    }

    /// The HTTP status etcd answers with.
    public var httpStatus: Int {
        switch code {
        case 100: 404
        case 102, 108: 403
        case 101, 105: 412
        case 300: 500
        default: 400
        }
    }
}

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

    static func prefixEnd(_ prefix: [UInt8]) -> [UInt8] {
        var end = prefix
        while let last = end.last {
            if last < 0xff {
                end[end.count - 1] = last + 1
                return end
            }
            end.removeLast()
        }
        return [0]
    }

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
        let under = try await backend.range(key: prefix, rangeEnd: Self.prefixEnd(prefix), countOnly: false)
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

    /// The first ancestor of `path` that is a file (which makes `path` unreachable), if any.
    func fileAncestor(of path: String) async throws -> String? {
        var ancestors: [String] = []
        var p = Self.parent(of: path)
        while p != "/" {
            ancestors.append(p)
            p = Self.parent(of: p)
        }
        for a in ancestors.reversed() {
            let file = try await backend.range(key: Array(a.utf8), rangeEnd: nil, countOnly: true)
            guard file.count > 0 else { continue }
            let prefix = Self.dirPrefix(a)
            let under = try await backend.range(key: prefix, rangeEnd: Self.prefixEnd(prefix), countOnly: true)
            if under.count == 0 { return a }
        }
        return nil
    }

    /// Why `path` is not there, as etcd's walk down the tree finds it: the first ancestor that
    /// is missing (key not found) or a file (not a directory).
    func missing(_ path: String, _ revision: Int64) async throws -> V2Error {
        var ancestors: [String] = []
        var p = Self.parent(of: path)
        while p != "/" {
            ancestors.append(p)
            p = Self.parent(of: p)
        }
        for a in ancestors.reversed() {
            let prefix = Self.dirPrefix(a)
            if try await backend.range(key: prefix, rangeEnd: Self.prefixEnd(prefix), countOnly: true).count > 0 { continue }
            if try await backend.range(key: Array(a.utf8), rangeEnd: nil, countOnly: true).count > 0 {
                return V2Error(V2Error.notDir, a, index: revision)
            }
            return V2Error(V2Error.keyNotFound, a, index: revision)
        }
        return V2Error(V2Error.keyNotFound, path, index: revision)
    }

    // MARK: Operations

    /// GET: a file, or a directory with its children (all levels with `recursive`).
    public func get(_ key: String, recursive: Bool) async throws -> V2Response {
        let path = Self.clean(key)
        let s = try await read(path)
        switch s.found {
        case .absent:
            throw try await missing(path, s.revision)
        case .file(let kv):
            return V2Response(action: "get", node: Self.fileNode(kv, key: path), prevNode: nil, index: s.revision)
        case .dir(let d):
            return V2Response(action: "get", node: d.node(depth: recursive ? .max : 1), prevNode: nil, index: s.revision)
        }
    }

    /// What a PUT asks for (etcd's `applierV2store.Put`).
    public struct PutOptions: Sendable {
        public var dir = false
        public var prevExist: Bool?
        public var prevValue = ""
        public var prevIndex: Int64 = 0
        public init(dir: Bool = false, prevExist: Bool? = nil, prevValue: String = "", prevIndex: Int64 = 0) {
            self.dir = dir
            self.prevExist = prevExist
            self.prevValue = prevValue
            self.prevIndex = prevIndex
        }
    }

    public func put(_ key: String, value: String, options o: PutOptions) async throws -> V2Response {
        if let exists = o.prevExist {
            if exists {
                if o.prevIndex == 0 && o.prevValue.isEmpty { return try await update(key, value: value) }
                return try await compareAndSwap(key, value: value, prevValue: o.prevValue, prevIndex: o.prevIndex)
            }
            return try await create(key, dir: o.dir, value: value)
        }
        if o.prevIndex > 0 || !o.prevValue.isEmpty {
            return try await compareAndSwap(key, value: value, prevValue: o.prevValue, prevIndex: o.prevIndex)
        }
        return try await set(key, dir: o.dir, value: value)
    }

    /// Runs `attempt` until its writes commit (a guard fails when someone wrote in between).
    private func retrying(_ attempt: () async throws -> V2Response?) async throws -> V2Response {
        for _ in 0..<20 {
            if let r = try await attempt() { return r }
        }
        throw V2Error(V2Error.raftInternal, "too many concurrent changes", index: 0)
    }

    private func guards(_ path: String, _ s: Snapshot) -> [V2Guard] {
        let prefix = Self.dirPrefix(path)
        var g = [V2Guard(key: Array(path.utf8), rangeEnd: nil, target: .modRevision, relation: .equal, value: s.fileModRevision)]
        switch s.found {
        case .dir:
            g.append(V2Guard(key: prefix, rangeEnd: Self.prefixEnd(prefix), target: .modRevision, relation: .less, value: s.revision + 1))
        default:
            g.append(V2Guard(key: prefix, rangeEnd: Self.prefixEnd(prefix), target: .createRevision, relation: .equal, value: 0))
        }
        return g
    }

    private func newNode(_ path: String, dir: Bool, value: String, revision: Int64, created: Int64? = nil) -> V2Node {
        V2Node(key: path, dir: dir, value: dir ? nil : value, createdIndex: created ?? revision, modifiedIndex: revision)
    }

    private func writesFor(_ path: String, dir: Bool, value: String) -> V2Write {
        dir ? .put(key: Self.dirPrefix(path), value: []) : .put(key: Array(path.utf8), value: Array(value.utf8))
    }

    /// `prevExist=false`: only when nothing is there.
    public func create(_ key: String, dir: Bool, value: String) async throws -> V2Response {
        let path = Self.clean(key)
        return try await retrying {
            let s = try await read(path)
            if path == "/" { throw V2Error(V2Error.rootReadOnly, "/", index: s.revision) }
            guard case .absent = s.found else { throw V2Error(V2Error.nodeExist, path, index: s.revision) }
            if let file = try await fileAncestor(of: path) { throw V2Error(V2Error.notDir, file, index: s.revision) }
            guard let rev = try await backend.commit(guards: guards(path, s), writes: [writesFor(path, dir: dir, value: value)]) else { return nil }
            return V2Response(action: "create", node: newNode(path, dir: dir, value: value, revision: rev), prevNode: nil, index: rev)
        }
    }

    /// POST: a new file named after the next index in directory `key`.
    public func createInOrder(_ key: String, value: String) async throws -> V2Response {
        let dirPath = Self.clean(key)
        return try await retrying {
            let s = try await read(dirPath)
            if case .file = s.found { throw V2Error(V2Error.notDir, dirPath, index: s.revision) }
            let name = String(format: "%020lld", s.revision + 1)
            return try await create((dirPath == "/" ? "" : dirPath) + "/" + name, dir: false, value: value)
        }
    }

    /// Plain PUT: creates or replaces a file; a directory only where nothing (or a file) is.
    public func set(_ key: String, dir: Bool, value: String) async throws -> V2Response {
        let path = Self.clean(key)
        return try await retrying {
            let s = try await read(path)
            if path == "/" { throw V2Error(V2Error.rootReadOnly, "/", index: s.revision) }
            var writes: [V2Write] = []
            var prev: V2Node?
            var created: Int64?
            switch s.found {
            case .dir:
                throw V2Error(V2Error.notFile, path, index: s.revision)
            case .file(let kv):
                prev = Self.fileNode(kv, key: path)
                if dir {
                    writes.append(.delete(key: Array(path.utf8), rangeEnd: nil))
                } else {
                    created = kv.createRevision
                }
            case .absent:
                if let file = try await fileAncestor(of: path) { throw V2Error(V2Error.notDir, file, index: s.revision) }
            }
            writes.append(writesFor(path, dir: dir, value: value))
            guard let rev = try await backend.commit(guards: guards(path, s), writes: writes) else { return nil }
            return V2Response(action: "set", node: newNode(path, dir: dir, value: value, revision: rev, created: created),
                              prevNode: prev, index: rev)
        }
    }

    /// `prevExist=true`: a file's new value, or a directory's new modified index.
    public func update(_ key: String, value: String) async throws -> V2Response {
        let path = Self.clean(key)
        return try await retrying {
            let s = try await read(path)
            if path == "/" { throw V2Error(V2Error.rootReadOnly, "/", index: s.revision) }
            switch s.found {
            case .absent:
                throw try await missing(path, s.revision)
            case .dir(let d):
                if !value.isEmpty { throw V2Error(V2Error.notFile, path, index: s.revision) }
                // etcd keeps a directory's modified index on update (only its TTL would change).
                let prev = d.node(depth: 0)
                guard try await backend.commit(guards: guards(path, s), writes: []) != nil else { return nil }
                return V2Response(action: "update", node: newNode(path, dir: true, value: "", revision: s.revision, created: prev.createdIndex),
                                  prevNode: prev, index: s.revision)
            case .file(let kv):
                guard let rev = try await backend.commit(guards: guards(path, s), writes: [.put(key: Array(path.utf8), value: Array(value.utf8))])
                else { return nil }
                return V2Response(action: "update", node: newNode(path, dir: false, value: value, revision: rev, created: kv.createRevision),
                                  prevNode: Self.fileNode(kv, key: path), index: rev)
            }
        }
    }

    /// The file at `path` for a compare-and-swap or compare-and-delete, checked against the conditions.
    private func compared(_ path: String, _ s: Snapshot, prevValue: String, prevIndex: Int64) async throws -> V2StoredKey {
        if path == "/" { throw V2Error(V2Error.rootReadOnly, "/", index: s.revision) }
        switch s.found {
        case .absent: throw try await missing(path, s.revision)
        case .dir: throw V2Error(V2Error.notFile, path, index: s.revision)
        case .file(let kv):
            let current = String(decoding: kv.value, as: UTF8.self)
            let indexMatch = prevIndex == 0 || kv.modRevision == prevIndex
            let valueMatch = prevValue.isEmpty || current == prevValue
            let cause: String
            switch (valueMatch, indexMatch) {
            case (true, true): return kv
            case (false, true): cause = "[\(prevValue) != \(current)]"
            case (true, false): cause = "[\(prevIndex) != \(kv.modRevision)]"
            case (false, false): cause = "[\(prevValue) != \(current)] [\(prevIndex) != \(kv.modRevision)]"
            }
            throw V2Error(V2Error.testFailed, cause, index: s.revision)
        }
    }

    public func compareAndSwap(_ key: String, value: String, prevValue: String, prevIndex: Int64) async throws -> V2Response {
        let path = Self.clean(key)
        return try await retrying {
            let s = try await read(path)
            let kv = try await compared(path, s, prevValue: prevValue, prevIndex: prevIndex)
            guard let rev = try await backend.commit(guards: guards(path, s), writes: [.put(key: Array(path.utf8), value: Array(value.utf8))])
            else { return nil }
            return V2Response(action: "compareAndSwap", node: newNode(path, dir: false, value: value, revision: rev, created: kv.createRevision),
                              prevNode: Self.fileNode(kv, key: path), index: rev)
        }
    }

    /// The marker that keeps `path`'s parent directory alive once `removing` keys under it are gone.
    private func parentMarker(of path: String, removing: Int64) async throws -> [V2Write] {
        let parent = Self.parent(of: path)
        guard parent != "/" else { return [] }
        let prefix = Self.dirPrefix(parent)
        let under = try await backend.range(key: prefix, rangeEnd: Self.prefixEnd(prefix), countOnly: true)
        return under.count - removing <= 0 ? [.put(key: prefix, value: [])] : []
    }

    /// DELETE: a file; a directory with `dir` when empty, with `recursive` with everything in it.
    public func delete(_ key: String, dir: Bool, recursive: Bool, prevValue: String = "", prevIndex: Int64 = 0) async throws -> V2Response {
        let path = Self.clean(key)
        if prevIndex > 0 || !prevValue.isEmpty {
            return try await retrying {
                let s = try await read(path)
                let kv = try await compared(path, s, prevValue: prevValue, prevIndex: prevIndex)
                let writes = [V2Write.delete(key: Array(path.utf8), rangeEnd: nil)] + (try await parentMarker(of: path, removing: 1))
                guard let rev = try await backend.commit(guards: guards(path, s), writes: writes) else { return nil }
                return V2Response(action: "compareAndDelete",
                                  node: V2Node(key: path, dir: false, createdIndex: kv.createRevision, modifiedIndex: rev),
                                  prevNode: Self.fileNode(kv, key: path), index: rev)
            }
        }
        let dir = dir || recursive
        return try await retrying {
            let s = try await read(path)
            if path == "/" { throw V2Error(V2Error.rootReadOnly, "/", index: s.revision) }
            switch s.found {
            case .absent:
                throw try await missing(path, s.revision)
            case .file(let kv):
                let writes = [V2Write.delete(key: Array(path.utf8), rangeEnd: nil)] + (try await parentMarker(of: path, removing: 1))
                guard let rev = try await backend.commit(guards: guards(path, s), writes: writes) else { return nil }
                return V2Response(action: "delete", node: V2Node(key: path, dir: false, createdIndex: kv.createRevision, modifiedIndex: rev),
                                  prevNode: Self.fileNode(kv, key: path), index: rev)
            case .dir(let d):
                if !dir { throw V2Error(V2Error.notFile, path, index: s.revision) }
                if !recursive && !d.isEmpty { throw V2Error(V2Error.dirNotEmpty, path, index: s.revision) }
                let prefix = Self.dirPrefix(path)
                let removing = Int64(d.descendants) + (d.marker == nil ? 0 : 1) + (s.fileModRevision > 0 ? 1 : 0)
                var writes = [V2Write.delete(key: prefix, rangeEnd: Self.prefixEnd(prefix))]
                if s.fileModRevision > 0 { writes.append(.delete(key: Array(path.utf8), rangeEnd: nil)) }
                writes += try await parentMarker(of: path, removing: removing)
                guard let rev = try await backend.commit(guards: guards(path, s), writes: writes) else { return nil }
                let prev = d.node(depth: 0)
                return V2Response(action: "delete", node: V2Node(key: path, dir: true, createdIndex: prev.createdIndex, modifiedIndex: rev),
                                  prevNode: prev, index: rev)
            }
        }
    }

    /// The store's current index (revision).
    public func currentIndex() async throws -> Int64 {
        try await backend.range(key: Array("/".utf8), rangeEnd: nil, countOnly: true).revision
    }
}

// MARK: - JSON as etcd writes it

/// Go's `encoding/json` string escaping (HTML-safe, as `json.Marshal` and etcd's encoder write).
public enum V2JSON {
    public static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// The server's node (`NodeExtern`, empty fields omitted).
    public static func serverNode(_ n: V2Node) -> String {
        var fields: [String] = []
        if !n.key.isEmpty { fields.append("\"key\":" + string(n.key)) }
        if let v = n.value { fields.append("\"value\":" + string(v)) }
        if n.dir { fields.append("\"dir\":true") }
        if let nodes = n.nodes, !nodes.isEmpty { fields.append("\"nodes\":[" + nodes.map(serverNode).joined(separator: ",") + "]") }
        if n.modifiedIndex != 0 { fields.append("\"modifiedIndex\":\(n.modifiedIndex)") }
        if n.createdIndex != 0 { fields.append("\"createdIndex\":\(n.createdIndex)") }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// The server's answer body.
    public static func serverResponse(_ r: V2Response) -> String {
        var s = "{\"action\":" + string(r.action) + ",\"node\":" + serverNode(r.node)
        if let p = r.prevNode { s += ",\"prevNode\":" + serverNode(p) }
        return s + "}"
    }

    public static func serverError(_ e: V2Error) -> String {
        "{\"errorCode\":\(e.code),\"message\":" + string(e.message) + ",\"cause\":" + string(e.cause) + ",\"index\":\(e.index)}"
    }

    /// The Go v2 client's node (`client.Node`), as `etcdctl -o json` prints it.
    public static func clientNode(_ n: V2Node) -> String {
        var s = "{\"key\":" + string(n.key)
        if n.dir { s += ",\"dir\":true" }
        s += ",\"value\":" + string(n.value ?? "")
        if let nodes = n.nodes, !nodes.isEmpty {
            s += ",\"nodes\":[" + nodes.map(clientNode).joined(separator: ",") + "]"
        } else {
            s += ",\"nodes\":null"
        }
        return s + ",\"createdIndex\":\(n.createdIndex),\"modifiedIndex\":\(n.modifiedIndex)}"
    }

    public static func clientResponse(_ r: V2Response) -> String {
        "{\"action\":" + string(r.action) + ",\"node\":" + clientNode(r.node) + ",\"prevNode\":"
            + (r.prevNode.map(clientNode) ?? "null") + "}"
    }
}
