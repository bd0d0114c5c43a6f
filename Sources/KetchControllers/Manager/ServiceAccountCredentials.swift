import Foundation
import KubeClient
import KubeCore
import Logging
import Synchronization

/// `--use-service-account-credentials`: each controller talks to the apiserver as its own
/// ServiceAccount in kube-system (`system:serviceaccount:kube-system:deployment-controller`),
/// which the bootstrap RBAC policy binds to its `system:controller:*` role, as upstream's
/// SAControllerClientBuilder does: the account is created if missing, a token is requested
/// through TokenRequest and renewed before it expires.
public final class ServiceAccountCredentials: Sendable {
    private let root: any KubeAPI
    private let config: KubeConfig
    private let userAgent: String
    private let logger: Logger
    /// How long each token lives.
    let lifetime: Int = 3600

    /// Credentials made through `root` (the controller-manager's own identity), for clients of
    /// the server in `config`.
    public init(root: any KubeAPI, config: KubeConfig, userAgent: String, logger: Logger) {
        self.root = root
        self.config = config
        self.userAgent = userAgent
        self.logger = logger
    }

    /// A client acting as the ServiceAccount `name` in kube-system.
    public func client(for name: String) -> any KubeAPI {
        TokenKubeAPI(account: name, credentials: self)
    }

    /// A fresh client with a new token for `account`, and when to replace it.
    func issue(_ account: String) async throws -> (api: HTTPKubeAPI, renewAt: Date) {
        let accounts = BuiltinResources.serviceAccounts
        if try await root.getIfPresent(accounts, namespace: "kube-system", name: account) == nil {
            let object: JSONValue = .object(["apiVersion": .string("v1"), "kind": .string("ServiceAccount"),
                                             "metadata": .object(["name": .string(account), "namespace": .string("kube-system")])])
            do { _ = try await root.create(accounts, namespace: "kube-system", object) }
            catch let status as KubeStatus where status.code == 409 {}
        }
        let request: JSONValue = .object([
            "apiVersion": .string("authentication.k8s.io/v1"), "kind": .string("TokenRequest"),
            "spec": .object(["expirationSeconds": .integer(lifetime)]),
        ])
        let answer = try await root.createSubresource(accounts, namespace: "kube-system", name: account, subresource: "token", request)
        guard let token = answer["status"]?["token"]?.string else {
            throw KubeStatus.internalError("TokenRequest for kube-system/\(account) returned no token")
        }
        var tokenConfig = config
        tokenConfig.clientCertificatePEM = nil
        tokenConfig.clientKeyPEM = nil
        tokenConfig.bearerToken = token
        let api = try HTTPKubeAPI(config: tokenConfig, userAgent: "\(userAgent)/\(account)")
        // Renew at 80% of the lifetime, as client-go's cached token source does.
        return (api, Date().addingTimeInterval(Double(lifetime) * 0.8))
    }
}

/// A KubeAPI that forwards to a client holding a ServiceAccount token, replacing it before the
/// token expires.
final class TokenKubeAPI: KubeAPI {
    private let account: String
    private let credentials: ServiceAccountCredentials
    private let current = Mutex<(api: HTTPKubeAPI, renewAt: Date)?>(nil)

    init(account: String, credentials: ServiceAccountCredentials) {
        self.account = account
        self.credentials = credentials
    }

    private func api() async throws -> HTTPKubeAPI {
        if let live = current.withLock({ $0 }), live.renewAt > Date() { return live.api }
        let fresh = try await credentials.issue(account)
        let old = current.withLock { slot -> HTTPKubeAPI? in
            let old = slot?.api
            slot = fresh
            return old
        }
        // Watches on the old client run until their server-side timeout; close it after that.
        if let old { Task { try? await Task.sleep(for: .seconds(700)); try? await old.shutdown() } }
        return fresh.api
    }

    func get(_ type: ResourceType, namespace: String?, name: String) async throws -> JSONValue {
        try await api().get(type, namespace: namespace, name: name)
    }
    func list(_ type: ResourceType, namespace: String?, options: KubeListOptions) async throws -> KubeList {
        try await api().list(type, namespace: namespace, options: options)
    }
    func create(_ type: ResourceType, namespace: String?, _ object: JSONValue) async throws -> JSONValue {
        try await api().create(type, namespace: namespace, object)
    }
    func update(_ type: ResourceType, namespace: String?, _ object: JSONValue, subresource: String?) async throws -> JSONValue {
        try await api().update(type, namespace: namespace, object, subresource: subresource)
    }
    func patch(_ type: ResourceType, namespace: String?, name: String, _ patch: JSONValue,
               kind: KubePatchKind, subresource: String?) async throws -> JSONValue {
        try await api().patch(type, namespace: namespace, name: name, patch, kind: kind, subresource: subresource)
    }
    func delete(_ type: ResourceType, namespace: String?, name: String, options: KubeDeleteOptions) async throws -> JSONValue {
        try await api().delete(type, namespace: namespace, name: name, options: options)
    }
    func createSubresource(_ type: ResourceType, namespace: String?, name: String, subresource: String,
                           _ body: JSONValue) async throws -> JSONValue {
        try await api().createSubresource(type, namespace: namespace, name: name, subresource: subresource, body)
    }
    func watch(_ type: ResourceType, namespace: String?, options: KubeListOptions) async throws
        -> AsyncThrowingStream<KubeWatchEvent, any Error> {
        try await api().watch(type, namespace: namespace, options: options)
    }
}
