import EtcdKeySpace
import Foundation

extension V2Keys {
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
            g.append(V2Guard(key: prefix, rangeEnd: prefixRangeEnd(prefix), target: .modRevision, relation: .less, value: s.revision + 1))
        default:
            g.append(V2Guard(key: prefix, rangeEnd: prefixRangeEnd(prefix), target: .createRevision, relation: .equal, value: 0))
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
            let s = try await readChangeable(path)
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
            let s = try await readChangeable(path)
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
            let s = try await readChangeable(path)
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
        let under = try await backend.range(key: prefix, rangeEnd: prefixRangeEnd(prefix), countOnly: true)
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
            let s = try await readChangeable(path)
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
                var writes = [V2Write.delete(key: prefix, rangeEnd: prefixRangeEnd(prefix))]
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
