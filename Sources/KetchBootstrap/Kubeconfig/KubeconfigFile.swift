/// The kubeconfig files kubeadm writes under /etc/kubernetes, each for one client identity.
public enum KubeconfigFile: String, Sendable, CaseIterable {
    case admin
    case superAdmin = "super-admin"
    case kubelet
    case controllerManager = "controller-manager"
    case scheduler

    /// `admin.conf`, `super-admin.conf`, …
    public var fileName: String { rawValue + ".conf" }

    /// The subject of the client certificate this file embeds (kubeadm's identities): the user
    /// name is the certificate's CN, the groups its O values.
    public func identity(nodeName: String) -> ClientIdentity {
        switch self {
        case .admin: return ClientIdentity(commonName: "kubernetes-admin", organizations: ["kubeadm:cluster-admins"])
        case .superAdmin: return ClientIdentity(commonName: "kubernetes-super-admin", organizations: ["system:masters"])
        case .kubelet: return ClientIdentity(commonName: "system:node:\(nodeName)", organizations: ["system:nodes"])
        case .controllerManager: return ClientIdentity(commonName: "system:kube-controller-manager", organizations: [])
        case .scheduler: return ClientIdentity(commonName: "system:kube-scheduler", organizations: [])
        }
    }
}

/// A Kubernetes user as a client certificate names it.
public struct ClientIdentity: Sendable, Equatable {
    /// The user name (certificate CN).
    public let commonName: String
    /// The groups (certificate O values).
    public let organizations: [String]

    public init(commonName: String, organizations: [String]) {
        self.commonName = commonName
        self.organizations = organizations
    }
}
