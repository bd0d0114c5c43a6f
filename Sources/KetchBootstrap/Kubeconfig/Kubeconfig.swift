import Foundation
import Yams

/// A kubeconfig file (`apiVersion: v1`, `kind: Config`) with the fields kubeadm writes: one
/// cluster, one context, one user authenticating with an embedded client certificate.
/// It encodes in kubeadm's key order, so the YAML reads like kubeadm's.
public struct Kubeconfig: Sendable, Equatable, Codable {
    /// Where the apiserver is and which CA vouches for it.
    public struct Cluster: Sendable, Equatable, Codable {
        /// Base64 of the CA certificate PEM.
        public var certificateAuthorityData: String
        public var server: String

        enum CodingKeys: String, CodingKey {
            case certificateAuthorityData = "certificate-authority-data"
            case server
        }
    }

    /// A `clusters` entry.
    public struct NamedCluster: Sendable, Equatable, Codable {
        public var cluster: Cluster
        public var name: String
    }

    /// Which user talks to which cluster.
    public struct Context: Sendable, Equatable, Codable {
        public var cluster: String
        public var user: String
    }

    /// A `contexts` entry (`USER@CLUSTER`).
    public struct NamedContext: Sendable, Equatable, Codable {
        public var context: Context
        public var name: String
    }

    /// A client-certificate user.
    public struct User: Sendable, Equatable, Codable {
        /// Base64 of the client certificate PEM.
        public var clientCertificateData: String
        /// Base64 of the client private key PEM.
        public var clientKeyData: String

        enum CodingKeys: String, CodingKey {
            case clientCertificateData = "client-certificate-data"
            case clientKeyData = "client-key-data"
        }
    }

    /// A `users` entry.
    public struct NamedUser: Sendable, Equatable, Codable {
        public var name: String
        public var user: User
    }

    /// nil encodes as `null`, as kubeadm's cluster-info kubeconfig has it.
    public var clusters: [NamedCluster]?
    public var contexts: [NamedContext]?
    public var currentContext: String
    public var users: [NamedUser]?

    /// Any shape; see the other initializers for kubeadm's.
    public init(clusters: [NamedCluster]?, contexts: [NamedContext]?, currentContext: String, users: [NamedUser]?) {
        self.clusters = clusters
        self.contexts = contexts
        self.currentContext = currentContext
        self.users = users
    }

    /// kubeadm's kubeconfig for `user`: cluster `clusterName` at `server`, context `USER@CLUSTER`.
    public init(clusterName: String, server: String, caPEM: String, user: String, credentials: ClientCredentials) {
        let context = "\(user)@\(clusterName)"
        self.init(
            clusters: [NamedCluster(cluster: Cluster(certificateAuthorityData: Self.base64(caPEM), server: server),
                                    name: clusterName)],
            contexts: [NamedContext(context: Context(cluster: clusterName, user: user), name: context)],
            currentContext: context,
            users: [NamedUser(name: user, user: User(clientCertificateData: Self.base64(credentials.certificatePEM),
                                                     clientKeyData: Self.base64(credentials.keyPEM)))])
    }

    /// The kubeconfig kubeadm publishes in kube-public/cluster-info: the cluster only, no user.
    public static func clusterInfo(server: String, caPEM: String) -> Kubeconfig {
        Kubeconfig(clusters: [NamedCluster(cluster: Cluster(certificateAuthorityData: base64(caPEM), server: server), name: "")],
                   contexts: nil, currentContext: "", users: nil)
    }

    /// The cluster of the current context, if the file names one.
    public var currentCluster: Cluster? {
        guard let name = contexts?.first(where: { $0.name == currentContext })?.context.cluster else { return nil }
        return clusters?.first { $0.name == name }?.cluster
    }

    /// The YAML text.
    public func yaml() throws -> String {
        try YAMLEncoder().encode(self)
    }

    /// Reads a kubeconfig; fields kubeadm does not write are ignored.
    public init(yaml: String) throws {
        self = try YAMLDecoder().decode(Kubeconfig.self, from: yaml)
    }

    static func base64(_ pem: String) -> String { Data(pem.utf8).base64EncodedString() }

    enum CodingKeys: String, CodingKey {
        case apiVersion, clusters, contexts
        case currentContext = "current-context"
        case kind, preferences, users
    }

    private struct Preferences: Codable {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        clusters = try c.decodeIfPresent([NamedCluster].self, forKey: .clusters)
        contexts = try c.decodeIfPresent([NamedContext].self, forKey: .contexts)
        currentContext = try c.decodeIfPresent(String.self, forKey: .currentContext) ?? ""
        users = try c.decodeIfPresent([NamedUser].self, forKey: .users)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("v1", forKey: .apiVersion)
        if let clusters { try c.encode(clusters, forKey: .clusters) } else { try c.encodeNil(forKey: .clusters) }
        if let contexts { try c.encode(contexts, forKey: .contexts) } else { try c.encodeNil(forKey: .contexts) }
        try c.encode(currentContext, forKey: .currentContext)
        try c.encode("Config", forKey: .kind)
        try c.encode(Preferences(), forKey: .preferences)
        if let users { try c.encode(users, forKey: .users) } else { try c.encodeNil(forKey: .users) }
    }
}

/// A client certificate and its private key, both PEM, for a kubeconfig user.
public struct ClientCredentials: Sendable, Equatable {
    public var certificatePEM: String
    public var keyPEM: String

    public init(certificatePEM: String, keyPEM: String) {
        self.certificatePEM = certificatePEM
        self.keyPEM = keyPEM
    }
}
