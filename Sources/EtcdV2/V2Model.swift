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
