import KubeCore

/// What the controllers, the scheduler and the simulated kubelet need from a kube-apiserver:
/// its REST verbs on one resource, as client-go's dynamic client offers them.
///
/// Objects travel as ``JSONValue``. A refusal from the server arrives as the ``KubeStatus`` it
/// sent (404 NotFound, 409 Conflict/AlreadyExists, 410 Expired, 422 Invalid, …), so callers
/// branch on `code` and `reason` exactly as client-go's `apierrors` helpers do. Transport
/// failures (connection refused, TLS) arrive as other errors.
///
/// Two implementations exist: ``HTTPKubeAPI`` talks HTTPS to a real or Ketch apiserver, and the
/// unit tests' in-memory fake stands in for one.
public protocol KubeAPI: Sendable {
    /// GET of one object.
    func get(_ type: ResourceType, namespace: String?, name: String) async throws -> JSONValue
    /// GET of a collection (one page when `options.limit` is set).
    func list(_ type: ResourceType, namespace: String?, options: KubeListOptions) async throws -> KubeList
    /// POST of a new object (`metadata.generateName` honoured by the server).
    func create(_ type: ResourceType, namespace: String?, _ object: JSONValue) async throws -> JSONValue
    /// PUT of a whole object, or of one of its subresources (`status`, `finalize`, `scale`).
    func update(_ type: ResourceType, namespace: String?, _ object: JSONValue, subresource: String?) async throws -> JSONValue
    /// PATCH of an object or subresource.
    func patch(_ type: ResourceType, namespace: String?, name: String, _ patch: JSONValue,
               kind: KubePatchKind, subresource: String?) async throws -> JSONValue
    /// DELETE of one object. Returns what the server answered: the object as it is now (held by
    /// finalizers or a grace period) or as it was, or a Status.
    @discardableResult
    func delete(_ type: ResourceType, namespace: String?, name: String, options: KubeDeleteOptions) async throws -> JSONValue
    /// POST to a subresource of an object that creates something else: `pods/<name>/binding`,
    /// `pods/<name>/eviction`.
    @discardableResult
    func createSubresource(_ type: ResourceType, namespace: String?, name: String, subresource: String,
                           _ body: JSONValue) async throws -> JSONValue
    /// A watch from `options.resourceVersion`. The stream ends when the server closes it (its
    /// timeout, or a restart); an `ERROR` event carries the server's Status (410 when the
    /// version has been compacted) and is delivered as ``KubeWatchEvent/error(_:)``.
    func watch(_ type: ResourceType, namespace: String?, options: KubeListOptions) async throws
        -> AsyncThrowingStream<KubeWatchEvent, any Error>
}

extension KubeAPI {
    /// PUT of the whole object.
    public func update(_ type: ResourceType, namespace: String?, _ object: JSONValue) async throws -> JSONValue {
        try await update(type, namespace: namespace, object, subresource: nil)
    }

    /// PUT of the `status` subresource.
    public func updateStatus(_ type: ResourceType, namespace: String?, _ object: JSONValue) async throws -> JSONValue {
        try await update(type, namespace: namespace, object, subresource: "status")
    }

    /// GET that answers nil for 404 instead of throwing.
    public func getIfPresent(_ type: ResourceType, namespace: String?, name: String) async throws -> JSONValue? {
        do {
            return try await get(type, namespace: namespace, name: name)
        } catch let status as KubeStatus where status.code == 404 {
            return nil
        }
    }

    /// Every object of a collection, following `continue` tokens page by page.
    public func listAll(_ type: ResourceType, namespace: String?, options: KubeListOptions = .init()) async throws -> KubeList {
        var options = options
        var all = try await list(type, namespace: namespace, options: options)
        while let token = all.continueToken, !token.isEmpty {
            options.continueToken = token
            let page = try await list(type, namespace: namespace, options: options)
            all.items += page.items
            all.continueToken = page.continueToken
        }
        return all
    }
}
