import Foundation
import KetchBootstrap

extension StateLayout {
    /// Whether `ketch init` has run to the end here: the admin kubeconfig, the two manifests
    /// `ketch up` runs and the etcd data directory exist.
    public var hasCluster: Bool {
        [kubeconfig(.admin), manifest(.etcd), manifest(.kubeAPIServer), etcdDataDirectory]
            .allSatisfy { FileManager.default.fileExists(atPath: $0) }
    }
}
