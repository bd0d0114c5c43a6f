import KetchPKI

extension ResolvedControlPlane {
    /// The placeholders every template may use; seed objects add their own on top
    /// (see `RegistrySeed`). The manifests README lists them.
    public var placeholders: TemplateValues {
        let c = configuration
        let loopback = IPAddress.loopback(advertiseAddress.family)
        let layout = c.layout
        // kubeadm listens on loopback and the advertise address; with a loopback advertise address
        // that would be one socket twice, which etcd refuses.
        let listenClientURLs = [loopback, advertiseAddress].reduce(into: [IPAddress]()) { seen, ip in
            if !seen.contains(ip) { seen.append(ip) }
        }.map { "https://\($0.urlHost):\(c.etcdClientPort)" }.joined(separator: ",")
        return [
            "NODE_NAME": .string(c.nodeName),
            "ADVERTISE_ADDRESS": .string(advertiseAddress.description),
            "ADVERTISE_HOST": .string(advertiseAddress.urlHost),
            "ADVERTISE_ADDRESS_FAMILY": .string(advertiseAddress.family.rawValue),
            "LOOPBACK_ADDRESS": .string(loopback.description),
            "LOOPBACK_HOST": .string(loopback.urlHost),
            "APISERVER_PORT": .integer(c.apiServerPort),
            "ETCD_CLIENT_PORT": .integer(c.etcdClientPort),
            "ETCD_PEER_PORT": .integer(c.etcdPeerPort),
            "ETCD_METRICS_PORT": .integer(c.etcdMetricsPort),
            "CONTROLLER_MANAGER_PORT": .integer(c.controllerManagerPort),
            "SCHEDULER_PORT": .integer(c.schedulerPort),
            "ETCD_LISTEN_CLIENT_URLS": .string(listenClientURLs),
            "KUBERNETES_DIR": .string(layout.kubernetesDirectory),
            "PKI_DIR": .string(layout.pki.directory),
            "MANIFESTS_DIR": .string(layout.manifestsDirectory),
            "ETCD_DATA_DIR": .string(layout.etcdDataDirectory),
            "CONTROLLER_MANAGER_KUBECONFIG": .string(layout.kubeconfig(.controllerManager)),
            "SCHEDULER_KUBECONFIG": .string(layout.kubeconfig(.scheduler)),
            "IMAGE_REPOSITORY": .string(c.imageRepository),
            "KUBERNETES_VERSION": .string(release.description),
            "ETCD_IMAGE_TAG": .string(release.etcdImageTag),
            "SERVICE_CIDR": .string(serviceNetwork.description),
            "SERVICE_IP_FAMILY": .string(serviceNetwork.family.rawValue),
            "KUBERNETES_SERVICE_IP": .string(kubernetesServiceIP),
            "CLUSTER_DNS_IP": .string(clusterDNSIP),
            "POD_CIDR": .optional(podNetwork?.description),
            "ALLOCATE_NODE_CIDRS": .optional(podNetwork == nil ? nil : "true"),
            "DNS_DOMAIN": .string(c.dnsDomain),
            "CLUSTER_NAME": .string(c.clusterName),
            "ENCRYPTION_ALGORITHM": .string(c.encryptionAlgorithm),
        ]
    }
}
