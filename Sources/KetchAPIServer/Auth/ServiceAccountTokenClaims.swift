import Foundation
import KubeCore

/// What a verified service-account token says: the account, and what the token is bound to.
/// The apiserver uses it to check the account (and bound object) still exist with these UIDs,
/// as kube's token validators do, before trusting `user`.
public struct ServiceAccountTokenClaims: Sendable, Hashable {
    /// An object a token names by name and UID (`kubernetes.io.pod`, `.secret`, `.node`).
    public struct ObjectReference: Sendable, Hashable {
        /// `Pod`, `Secret` or `Node`.
        public var kind: String
        /// The object's name.
        public var name: String
        /// The object's UID.
        public var uid: String
    }

    /// The service account's namespace.
    public var namespace: String
    /// The service account's name.
    public var serviceAccountName: String
    /// The service account's UID (may be empty in bound tokens kube never minted).
    public var serviceAccountUID: String
    /// The Pod, Secret or Node the token is bound to, for bound tokens.
    public var boundObject: ObjectReference?
    /// The node of the pod a pod-bound token was issued for (kube's pod-node info).
    public var node: ObjectReference?
    /// For legacy secret-based tokens, the Secret holding the token; nil for bound tokens.
    public var legacySecretName: String?
    /// The token's `jti`, if any.
    public var tokenID: String?
    /// When the token expires; nil for legacy tokens, which never do.
    public var expiration: Date?

    /// Creates claims.
    public init(namespace: String, serviceAccountName: String, serviceAccountUID: String,
                boundObject: ObjectReference? = nil, node: ObjectReference? = nil,
                legacySecretName: String? = nil, tokenID: String? = nil, expiration: Date? = nil) {
        self.namespace = namespace
        self.serviceAccountName = serviceAccountName
        self.serviceAccountUID = serviceAccountUID
        self.boundObject = boundObject
        self.node = node
        self.legacySecretName = legacySecretName
        self.tokenID = tokenID
        self.expiration = expiration
    }

    /// `system:serviceaccount:<namespace>:<name>`, the user name kube gives the account.
    public var userName: String { "system:serviceaccount:\(namespace):\(serviceAccountName)" }

    /// The user kube authenticates the token as: the account's user name, the service-account
    /// groups plus `system:authenticated`, and the account's UID.
    public var user: UserInfo {
        UserInfo(name: userName,
                 groups: ["system:serviceaccounts", "system:serviceaccounts:\(namespace)", "system:authenticated"],
                 uid: serviceAccountUID.isEmpty ? nil : serviceAccountUID)
    }
}
