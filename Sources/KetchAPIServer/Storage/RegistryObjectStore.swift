import Foundation
import KubeCore

/// Kubernetes objects at their /registry keys, as kube-apiserver's storage layer keeps them:
/// JSON values, `metadata.resourceVersion` = the key's mod revision (filled on read, left out of
/// the stored bytes), optimistic concurrency on update and delete.
///
/// Concrete on purpose: ``RegistryBackend`` below it is the one storage seam, so every user (the
/// handlers, the kubelet emulation, tests) runs these rules. Raw storage only: no defaulting,
/// no uid or timestamps; callers that create objects fill those.
public struct RegistryObjectStore: Sendable {
    /// Where the bytes live.
    public let backend: any RegistryBackend
    /// The key root, kube-apiserver's `--etcd-prefix` (`/registry`).
    public let root: String

    /// Creates a store below `root`.
    public init(backend: any RegistryBackend, root: String = "/registry") {
        self.backend = backend
        self.root = root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    /// The etcd key of an object.
    public func key(_ type: ResourceType, namespace: String?, name: String) -> String {
        type.key(root: root, namespace: type.namespaced ? namespace : nil, name: name)
    }

    /// The object, or nil when there is none.
    public func get(_ type: ResourceType, namespace: String?, name: String) async throws -> JSONValue? {
        guard let stored = try await backend.get(key(type, namespace: namespace, name: name)) else { return nil }
        return try Self.decode(stored)
    }

    /// Stores a new object; throws `KubeStatus.alreadyExists` when the key is taken.
    public func create(_ type: ResourceType, _ object: JSONValue) async throws -> JSONValue {
        let (namespace, name) = Self.identity(object)
        let k = key(type, namespace: namespace, name: name)
        guard let revision = try await backend.create(k, value: try Self.encode(object)) else {
            throw KubeStatus.alreadyExists(type, name: name)
        }
        return Self.withResourceVersion(object, revision)
    }

    /// Replaces an object. When `metadata.resourceVersion` is set it must be the stored one,
    /// else `KubeStatus.conflict`; `KubeStatus.notFound` when absent.
    public func update(_ type: ResourceType, _ object: JSONValue) async throws -> JSONValue {
        let (namespace, name) = Self.identity(object)
        let k = key(type, namespace: namespace, name: name)
        let expected: Int64
        if let rv = object["metadata"]?["resourceVersion"]?.string, !rv.isEmpty {
            guard let parsed = Int64(rv) else {
                throw KubeStatus.badRequest("resourceVersion: Invalid value: \"\(rv)\": must be a number")
            }
            expected = parsed
        } else {
            guard let current = try await backend.get(k) else { throw KubeStatus.notFound(type, name: name) }
            expected = current.modRevision
        }
        switch try await backend.update(k, value: try Self.encode(object), expected: expected) {
        case .written(let revision):
            return Self.withResourceVersion(object, revision)
        case .conflict(let current):
            if current == nil { throw KubeStatus.notFound(type, name: name) }
            throw KubeStatus.conflict(type, name: name)
        }
    }

    /// Removes an object and returns what was stored; nil when there was none.
    public func delete(_ type: ResourceType, namespace: String?, name: String) async throws -> JSONValue? {
        let k = key(type, namespace: namespace, name: name)
        while true {
            guard let current = try await backend.get(k) else { return nil }
            switch try await backend.delete(k, expected: current.modRevision) {
            case .written(let revision):
                return Self.withResourceVersion(try Self.decode(current), revision)
            case .conflict(nil):
                return nil
            case .conflict:
                continue  // changed between read and delete: delete what is there now
            }
        }
    }

    /// Deletes an object only if it is still at `resourceVersion`; conflict otherwise.
    public func delete(_ type: ResourceType, namespace: String?, name: String, expected: Int64) async throws -> JSONValue {
        let k = key(type, namespace: namespace, name: name)
        guard let current = try await backend.get(k) else { throw KubeStatus.notFound(type, name: name) }
        switch try await backend.delete(k, expected: expected) {
        case .written(let revision):
            return Self.withResourceVersion(try Self.decode(current), revision)
        case .conflict(nil):
            throw KubeStatus.notFound(type, name: name)
        case .conflict:
            throw KubeStatus.conflict(type, name: name)
        }
    }

    /// Every object of a type (in one namespace when given) and the list's resourceVersion.
    public func list(_ type: ResourceType, namespace: String?) async throws -> (items: [JSONValue], resourceVersion: String) {
        let page = try await list(type, namespace: namespace, options: ListOptions())
        return (page.items, page.resourceVersion)
    }

    /// What a list request asks for.
    public struct ListOptions: Sendable {
        /// At most this many items (0 = all).
        public var limit: Int = 0
        /// The `continue` token of the previous page.
        public var continueToken: String?
        /// Keep only objects the predicate accepts (label and field selectors); paging counts
        /// only those, as kube-apiserver does.
        public var filter: (@Sendable (JSONValue) -> Bool)?
        /// Creates options.
        public init(limit: Int = 0, continueToken: String? = nil, filter: (@Sendable (JSONValue) -> Bool)? = nil) {
            self.limit = limit
            self.continueToken = continueToken
            self.filter = filter
        }
    }

    /// One page of a list.
    public struct ListPage: Sendable {
        /// The objects, each with its resourceVersion.
        public var items: [JSONValue]
        /// The revision the list was read at.
        public var resourceVersion: String
        /// The token for the next page, nil when this is the last.
        public var continueToken: String?
        /// How many more objects there are, when known (no filter).
        public var remainingItemCount: Int?
    }

    /// Lists with paging: every page of one list is read at the first page's revision, so the
    /// pages together are one consistent snapshot (410 Expired once that revision is compacted).
    public func list(_ type: ResourceType, namespace: String?, options: ListOptions) async throws -> ListPage {
        let prefix = type.listPrefix(root: root, namespace: type.namespaced ? namespace : nil)
        let end = prefix.prefixRangeEnd
        var start = prefix
        var revision: Int64 = 0
        if let token = options.continueToken, !token.isEmpty {
            let decoded = try ContinueToken(encoded: token)
            start = prefix + decoded.start
            revision = decoded.revision
        }
        var items: [JSONValue] = []
        var lastKey: String?
        var more = false
        let want = options.limit
        repeat {
            let batch = want > 0 ? max(want - items.count, 1) + (options.filter == nil ? 0 : 50) : 0
            let page: RangePage
            do {
                page = try await backend.range(start: start, end: end, limit: batch, revision: revision)
            } catch RegistryBackendError.compacted {
                throw KubeStatus.expired(options.continueToken == nil
                    ? "too old resource version"
                    : "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
            }
            if revision == 0 { revision = page.revision }
            more = page.more
            for (i, stored) in page.values.enumerated() {
                guard let object = try? Self.decode(stored) else { lastKey = stored.key; continue }
                if let filter = options.filter, !filter(object) { lastKey = stored.key; continue }
                items.append(object)
                lastKey = stored.key
                if want > 0, items.count >= want {
                    if i < page.values.count - 1 { more = true }
                    break
                }
            }
            if let lastKey { start = lastKey + "\u{0}" }
        } while more && (want == 0 || items.count < want)

        var token: String?
        var remaining: Int?
        if more, want > 0, let lastKey {
            let relative = String(lastKey.dropFirst(prefix.count)) + "\u{0}"
            token = ContinueToken(revision: revision, start: relative).encoded
            if options.filter == nil {
                let rest = try await backend.count(start: start, end: end, revision: revision)
                remaining = rest == 0 ? nil : rest
                if rest == 0 { token = nil }
            }
        }
        return ListPage(items: items, resourceVersion: String(revision), continueToken: token, remainingItemCount: remaining)
    }

    /// The object in stored bytes, with `resourceVersion` set from the mod revision.
    static func decode(_ stored: StoredValue) throws -> JSONValue {
        let object = try JSONValue(parsing: stored.value)
        guard case .object = object else { throw KubeStatus.internalError("value at \(stored.key) is not a JSON object") }
        return withResourceVersion(object, stored.modRevision)
    }

    /// Stored bytes: the object without `resourceVersion`, which the key's revision carries.
    static func encode(_ object: JSONValue) throws -> [UInt8] {
        var copy = object
        if var metadata = copy["metadata"], case .object = metadata {
            metadata["resourceVersion"] = nil
            copy["metadata"] = metadata
        }
        return try copy.encodedBytes()
    }

    /// The object with `metadata.resourceVersion` set.
    static func withResourceVersion(_ object: JSONValue, _ revision: Int64) -> JSONValue {
        var copy = object
        var metadata = copy["metadata"] ?? .object([:])
        metadata["resourceVersion"] = .string(String(revision))
        copy["metadata"] = metadata
        return copy
    }

    /// An object's namespace and name.
    static func identity(_ object: JSONValue) -> (String?, String) {
        (object["metadata"]?["namespace"]?.string, object["metadata"]?["name"]?.string ?? "")
    }
}

/// kube-apiserver's `continue` token: base64 of `{"v":"meta.k8s.io/v1","rv":N,"start":"…"}`.
struct ContinueToken: Sendable {
    var revision: Int64
    var start: String

    init(revision: Int64, start: String) {
        self.revision = revision
        self.start = start
    }

    init(encoded: String) throws {
        var text = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text), let json = try? JSONValue(parsing: data),
              json["v"]?.string == "meta.k8s.io/v1", let start = json["start"]?.string else {
            throw KubeStatus.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
        }
        switch json["rv"] {
        case .integer(let rv)?: self.revision = Int64(rv)
        default: throw KubeStatus.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
        }
        self.start = start
    }

    var encoded: String {
        let json: JSONValue = .object(["v": .string("meta.k8s.io/v1"), "rv": .integer(Int(revision)), "start": .string(start)])
        let data = (try? json.encoded()) ?? Data()
        return data.base64EncodedString()
    }
}
