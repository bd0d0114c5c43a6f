import KetchPKI

/// What `ketch init` is asked to build: kubeadm's InitConfiguration and ClusterConfiguration
/// reduced to what a single control-plane node needs. Defaults are kubeadm's.
public struct ControlPlaneConfiguration: Sendable, Equatable {
    /// The node's name (kubeadm: the host name, lower-cased).
    public var nodeName: String
    /// `--apiserver-advertise-address`: where the apiserver and etcd are reached.
    public var advertiseAddress: String
    /// `--apiserver-bind-port`.
    public var apiServerPort: Int = 6443
    /// `--etcd-client-port`: etcd's client URLs.
    public var etcdClientPort: Int = 2379
    /// etcd's peer URLs (a single member still listens on them).
    public var etcdPeerPort: Int = 2380
    /// etcd's `--listen-metrics-urls` on loopback, where the probes look.
    public var etcdMetricsPort: Int = 2381
    /// kube-controller-manager's `--secure-port` (its /healthz).
    public var controllerManagerPort: Int = 10257
    /// kube-scheduler's `--secure-port` (its /healthz, /livez, /readyz).
    public var schedulerPort: Int = 10259
    /// `--service-cidr`; one block (dual stack is not supported).
    public var serviceCIDR: String = "10.96.0.0/12"
    /// `--pod-network-cidr`; nil leaves node CIDR allocation off, as kubeadm does.
    public var podCIDR: String?
    /// `--kubernetes-version`.
    public var kubernetesVersion: String = KubernetesRelease.default.description
    /// `--service-dns-domain`.
    public var dnsDomain: String = "cluster.local"
    /// The cluster's name in kubeconfigs and kube-controller-manager's `--cluster-name`.
    public var clusterName: String = "kubernetes"
    /// Where the manifests' images come from.
    public var imageRepository: String = "registry.k8s.io"
    /// kubeadm's `encryptionAlgorithm` (`RSA-2048`, `ECDSA-P256`, …); recorded in kubeadm-config.
    public var encryptionAlgorithm: String = "RSA-2048"
    /// Where everything is written.
    public var layout: StateLayout

    /// Every other field starts at kubeadm's default.
    public init(nodeName: String, advertiseAddress: String = "127.0.0.1", layout: StateLayout) {
        self.nodeName = nodeName
        self.advertiseAddress = advertiseAddress
        self.layout = layout
    }

    /// The apiserver URL every kubeconfig names: `https://ADDRESS:PORT`.
    public var apiServerURL: String {
        let host = IPAddress(advertiseAddress)?.urlHost ?? advertiseAddress
        return "https://\(host):\(apiServerPort)"
    }

    /// Checks every field and derives what the templates need.
    /// - Throws: `BootstrapError.invalidConfiguration` naming the first bad field.
    public func resolved() throws -> ResolvedControlPlane {
        try ResolvedControlPlane(self)
    }

    /// Throws the same errors as `resolved()`; for callers that only want the check.
    public func validate() throws {
        _ = try resolved()
    }
}

/// A checked `ControlPlaneConfiguration` with the values derived from it.
public struct ResolvedControlPlane: Sendable, Equatable {
    /// The configuration as given.
    public let configuration: ControlPlaneConfiguration
    /// The parsed `kubernetesVersion`.
    public let release: KubernetesRelease
    let advertiseAddress: IPAddress
    let serviceNetwork: IPNetwork
    let podNetwork: IPNetwork?
    let serviceIP: IPAddress
    let dnsIP: IPAddress

    /// The `kubernetes` Service's ClusterIP: the first address of the service CIDR (`10.96.0.1`).
    public var kubernetesServiceIP: String { serviceIP.description }
    /// The cluster DNS Service's IP: the tenth address (`10.96.0.10`), as kubeadm's `GetDNSIP`.
    public var clusterDNSIP: String { dnsIP.description }
    /// The service CIDR in canonical form (host bits cleared).
    public var serviceCIDR: String { serviceNetwork.description }
    /// The pod network CIDR in canonical form, if one was given.
    public var podCIDR: String? { podNetwork?.description }

    init(_ c: ControlPlaneConfiguration) throws {
        func invalid(_ why: String) -> BootstrapError { .invalidConfiguration(why) }

        guard Self.isDNSSubdomain(c.nodeName) else {
            throw invalid("node name \"\(c.nodeName)\" is not a valid DNS-1123 subdomain (lower-case letters, digits, '-' and '.', at most 253 characters)")
        }
        guard let address = IPAddress(c.advertiseAddress) else {
            throw invalid("advertise address \"\(c.advertiseAddress)\" is not an IP address")
        }
        guard !address.isUnspecified else {
            throw invalid("advertise address \(c.advertiseAddress) is unspecified; give the address clients use to reach this node")
        }
        let ports = [("apiserver bind port", c.apiServerPort), ("etcd client port", c.etcdClientPort),
                     ("etcd peer port", c.etcdPeerPort), ("etcd metrics port", c.etcdMetricsPort),
                     ("controller-manager port", c.controllerManagerPort), ("scheduler port", c.schedulerPort)]
        for (name, port) in ports where !(1...65535).contains(port) {
            throw invalid("\(name) \(port) is not between 1 and 65535")
        }
        for (i, a) in ports.enumerated() {
            for b in ports[(i + 1)...] where a.1 == b.1 {
                throw invalid("\(a.0) and \(b.0) are both \(a.1)")
            }
        }
        guard !c.serviceCIDR.contains(",") else {
            throw invalid("service CIDR \"\(c.serviceCIDR)\": dual-stack service CIDRs are not supported")
        }
        guard let services = IPNetwork(c.serviceCIDR) else {
            throw invalid("service CIDR \"\(c.serviceCIDR)\" is not a CIDR (like 10.96.0.0/12)")
        }
        // kube-apiserver refuses service ranges with more than 20 host bits (/12 for IPv4, /108 for
        // IPv6); kubeadm needs at least the tenth address for cluster DNS.
        guard services.hostBits <= 20 else {
            throw invalid("service CIDR \(services) is too large (at most /\(services.address.bytes.count * 8 - 20))")
        }
        guard let first = services.address(at: 1), let dns = services.address(at: 10), services.hostBits >= 4 else {
            throw invalid("service CIDR \(services) is too small (at least /\(services.address.bytes.count * 8 - 4))")
        }
        var pods: IPNetwork?
        if let text = c.podCIDR {
            guard !text.contains(",") else {
                throw invalid("pod network CIDR \"\(text)\": dual-stack pod networks are not supported")
            }
            guard let network = IPNetwork(text) else {
                throw invalid("pod network CIDR \"\(text)\" is not a CIDR (like 10.244.0.0/16)")
            }
            guard network.family == services.family else {
                throw invalid("pod network CIDR \(network) and service CIDR \(services) are of different IP families")
            }
            pods = network
        }
        guard let release = KubernetesRelease(c.kubernetesVersion) else {
            throw invalid("Kubernetes version \"\(c.kubernetesVersion)\" is not a release like \(KubernetesRelease.default)")
        }
        guard Self.isDNSSubdomain(c.dnsDomain) else {
            throw invalid("DNS domain \"\(c.dnsDomain)\" is not a valid DNS-1123 subdomain")
        }
        configuration = c
        advertiseAddress = address
        serviceNetwork = services
        podNetwork = pods
        self.release = release
        serviceIP = first
        dnsIP = dns
    }

    /// The first node's pod CIDR as kube-controller-manager would allocate it (`/24` for IPv4,
    /// `/64` for IPv6, kube-controller-manager's `--node-cidr-mask-size` defaults).
    var nodePodNetwork: IPNetwork? {
        podNetwork.map { $0.firstSubnet(prefixLength: $0.family == .ipv4 ? 24 : 64) }
    }

    /// Kubernetes' DNS-1123 subdomain rule (node and object names).
    static func isDNSSubdomain(_ s: String) -> Bool {
        guard !s.isEmpty, s.count <= 253 else { return false }
        return s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            guard let first = label.first, let last = label.last else { return false }
            let allowed = label.allSatisfy { $0 == "-" || ($0.isASCII && ($0.isLowercase || $0.isNumber)) }
            return allowed && first != "-" && last != "-"
        }
    }
}
